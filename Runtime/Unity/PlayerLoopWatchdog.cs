#nullable enable
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Notices when the LoopBridge system has been removed from Unity's player loop while a play session runs (a
    /// package called <c>PlayerLoop.SetPlayerLoop</c> with a loop that does not keep it, such as
    /// <c>PlayerLoop.GetDefaultPlayerLoop()</c>), and has <see cref="UnityMainLoop"/> reinstall it.
    /// </summary>
    /// <remarks>
    /// <para><b>Why a MonoBehaviour.</b> Whatever replaces the player loop wholesale also removes any second
    /// <c>PlayerLoopSystem</c> we could add to watch the first, and <c>EditorApplication.update</c> does not exist in
    /// players. A MonoBehaviour's <c>Update</c> is called by Unity's own <c>ScriptRunBehaviourUpdate</c> system, which
    /// every player loop that runs scripts keeps (the default one included), in the editor and in players alike. It
    /// is not called while the editor is paused, so a paused session never looks like a stalled one.</para>
    /// <para><b>Cost.</b> One hidden GameObject per play session (DontDestroyOnLoad, not saved, not editable,
    /// destroyed with the session). Each frame compares two integers; the player loop is only read (which copies
    /// it) after a whole frame passed without a tick, and when the system is found in place (for example a
    /// <see cref="UnityMainLoop.Timing"/> phase that does not run every frame, such as <c>FixedUpdate</c>), not again
    /// for <see cref="UnityMainLoop.WatchdogRecheckFrames"/> frames.</para>
    /// <para>Main thread only (Unity calls it there).</para>
    /// </remarks>
    [AddComponentMenu("")]
    internal sealed class PlayerLoopWatchdog : MonoBehaviour
    {
        void Update() => UnityMainLoop.OnWatchdogUpdate(this);
    }
}
