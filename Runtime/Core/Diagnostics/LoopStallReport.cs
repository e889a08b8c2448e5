#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// One stall or hang report of <see cref="LoopDiagnostics.StallDetected"/>: what is stuck, where it was submitted,
    /// and what the loop was doing. Immutable; safe to keep and to read from any thread.
    /// </summary>
    public sealed class LoopStallReport
    {
        internal LoopStallReport(LoopStallKind kind, string loopName, LoopState state, LoopActivity activity, int queueDepth,
            TimeSpan stuckFor, TimeSpan sinceLastTick, long ticksSinceSubmission, string? work, string? callSite)
        {
            Kind = kind;
            LoopName = loopName;
            State = state;
            Activity = activity;
            QueueDepth = queueDepth;
            StuckFor = stuckFor;
            SinceLastTick = sinceLastTick;
            TicksSinceSubmission = ticksSinceSubmission;
            Work = work;
            CallSite = callSite;
            Message = Format();
        }

        /// <summary>Whether a worker is blocked on a handle or the loop itself is not ticking.</summary>
        public LoopStallKind Kind { get; }

        /// <summary>The loop's <see cref="MainLoopOptions.Name"/>.</summary>
        public string LoopName { get; }

        /// <summary>The loop's life stage when the report was made.</summary>
        public LoopState State { get; }

        /// <summary>Whether the loop was ticking, paused, stalled or closed when the report was made.</summary>
        public LoopActivity Activity { get; }

        /// <summary>Entries queued when the report was made.</summary>
        public int QueueDepth { get; }

        /// <summary>
        /// <see cref="LoopStallKind.BlockedWaiter"/>: how long the thread has been blocked. <see cref="LoopStallKind.LoopNotTicking"/>:
        /// how long the loop has had queued work and no tick (measured with the loop's <see cref="LoopClock"/>).
        /// </summary>
        public TimeSpan StuckFor { get; }

        /// <summary>Time since the loop's last tick ended (or since it was created, if it never ticked).</summary>
        public TimeSpan SinceLastTick { get; }

        /// <summary>
        /// <see cref="LoopStallKind.BlockedWaiter"/>: ticks the loop has started since the awaited work was queued
        /// (0: not a single tick since: the loop is not running); -1 for <see cref="LoopStallKind.LoopNotTicking"/>.
        /// </summary>
        public long TicksSinceSubmission { get; }

        /// <summary>The awaited work (its delegate), for <see cref="LoopStallKind.BlockedWaiter"/>; otherwise null.</summary>
        public string? Work { get; }

        /// <summary>
        /// The stack trace that submitted the awaited work, when the loop has <see cref="MainLoopOptions.TrackHandles"/>;
        /// otherwise null.
        /// </summary>
        public string? CallSite { get; }

        /// <summary>A readable, multi-line account of the report (what <see cref="ToString"/> returns).</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => Message;

        private string Format()
        {
            var nl = Environment.NewLine;
            var where = $"{LoopName} is {Describe(Activity)} (state {State}, {QueueDepth} queued, last tick ended {Seconds(SinceLastTick)} ago)";
            if (Kind == LoopStallKind.BlockedWaiter)
            {
                var site = CallSite == null ? " (enable MainLoopOptions.TrackHandles for the call site)" : $", submitted at{nl}{CallSite}";
                return $"[LoopBridge] A thread has been blocked for {Seconds(StuckFor)} waiting on {Work ?? "a handle"}; " +
                       $"{TicksSinceSubmission} tick(s) since it was queued. {where}{site}";
            }

            return $"[LoopBridge] {where}: queued work has waited {Seconds(StuckFor)} without a tick. " +
                   "Is its driver gone (PlayerLoop system removed, runner stopped) or its main thread blocked?";
        }

        private static string Describe(LoopActivity activity) => activity switch
        {
            LoopActivity.Ticking => "ticking",
            LoopActivity.Paused => "paused",
            LoopActivity.Stalled => "not ticking (stalled)",
            _ => "closed",
        };

        private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.0} s";
    }
}
