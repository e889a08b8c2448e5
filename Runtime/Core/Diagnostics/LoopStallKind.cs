#nullable enable
namespace LoopBridge
{
    /// <summary>What a <see cref="LoopStallReport"/> is about.</summary>
    public enum LoopStallKind
    {
        /// <summary>
        /// A thread has been blocked in <c>GetResult</c>/<c>Wait</c> on one handle for longer than
        /// <see cref="LoopDiagnostics.HangThreshold"/>. Reported once per blocking call.
        /// </summary>
        BlockedWaiter = 0,

        /// <summary>
        /// The loop has queued work and has not ticked for <see cref="LoopDiagnostics.StallThreshold"/>. Reported once per
        /// stall: the next report of this kind needs a tick in between.
        /// </summary>
        LoopNotTicking = 1,
    }
}
