#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// How one <see cref="MainLoop"/> closed (see <see cref="LoopDiagnostics.LastClose"/> and
    /// <see cref="LoopDiagnostics.GetRecentCloses"/>). Immutable; any thread.
    /// </summary>
    public sealed class LoopCloseRecord
    {
        internal LoopCloseRecord(string loopName, CloseReason reason, DateTime closedAtUtc, TimeSpan duration, int queuedAtClose,
            int runningAtClose, long handlesFailed, long droppedContinuations)
        {
            LoopName = loopName;
            Reason = reason;
            ClosedAtUtc = closedAtUtc;
            Duration = duration;
            QueuedAtClose = queuedAtClose;
            RunningAtClose = runningAtClose;
            HandlesFailed = handlesFailed;
            DroppedContinuations = droppedContinuations;
        }

        /// <summary>The loop's <see cref="MainLoopOptions.Name"/>.</summary>
        public string LoopName { get; }

        /// <summary>Why it closed (the first <see cref="MainLoop.Close"/> call's reason).</summary>
        public CloseReason Reason { get; }

        /// <summary>Wall-clock time when the close finished (every handle completed).</summary>
        public DateTime ClosedAtUtc { get; }

        /// <summary>From the start of the close to its end, grace period included (the loop's <see cref="LoopClock"/>).</summary>
        public TimeSpan Duration { get; }

        /// <summary>Entries queued when the close began (they never started).</summary>
        public int QueuedAtClose { get; }

        /// <summary>Async work items running when the close began.</summary>
        public int RunningAtClose { get; }

        /// <summary>Handles failed with <see cref="LoopClosedException"/> by this close.</summary>
        public long HandlesFailed { get; }

        /// <summary>The loop's dropped continuations when the close finished (see <see cref="MainLoopStatistics.DroppedContinuations"/>).</summary>
        public long DroppedContinuations { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{LoopName} closed ({Reason}) at {ClosedAtUtc:HH:mm:ss} UTC in {Duration.TotalMilliseconds:0.#} ms: {QueuedAtClose} queued, " +
            $"{RunningAtClose} running, {HandlesFailed} handle(s) failed, {DroppedContinuations} dropped continuation(s)";
    }
}
