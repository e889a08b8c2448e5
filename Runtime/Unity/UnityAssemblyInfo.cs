#nullable enable
using System.Runtime.CompilerServices;

// LoopBridge.Editor restarts the play-mode loop after "Recompile And Continue Playing"
// (UnityMainLoop.RecoverAfterDomainReload), which is not public API.
[assembly: InternalsVisibleTo("LoopBridge.Editor")]
