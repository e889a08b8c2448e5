#nullable enable
namespace LoopBridge
{
    /// <summary>
    /// Whether a <see cref="MainLoop"/> is being ticked, as <see cref="LoopDiagnostics"/> sees it (stall and hang reports,
    /// the monitor window).
    /// </summary>
    public enum LoopActivity
    {
        /// <summary>Open, and a tick began within <see cref="LoopDiagnostics.StallThreshold"/>.</summary>
        Ticking = 0,

        /// <summary>Open, and its host says it is paused on purpose (<see cref="LoopDiagnostics.IsHostPaused"/>: the editor's pause button).</summary>
        Paused = 1,

        /// <summary>
        /// Open, not paused, and no tick began for at least <see cref="LoopDiagnostics.StallThreshold"/> (or a tick began that
        /// long ago and has not ended): nothing drives it (PlayerLoop system removed, runner stopped) or its main thread is blocked.
        /// </summary>
        Stalled = 2,

        /// <summary>Closing or closed.</summary>
        Closed = 3,
    }
}
