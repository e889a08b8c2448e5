#nullable enable
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("LoopBridge.Tests")]
[assembly: InternalsVisibleTo("LoopBridge.Tests.Runtime")]
[assembly: InternalsVisibleTo("LoopBridge.Tests.Editor")]
[assembly: InternalsVisibleTo("LoopBridge.Benchmarks")]
