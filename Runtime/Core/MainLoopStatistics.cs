#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// A snapshot of a <see cref="MainLoop"/>'s counters (see <see cref="MainLoop.Statistics"/>). Every completed handle
    /// is counted exactly once in one of <see cref="Succeeded"/>, <see cref="Faulted"/>, <see cref="Canceled"/> or
    /// <see cref="FailedByClose"/>.
    /// </summary>
    public readonly struct MainLoopStatistics
    {
        internal MainLoopStatistics(long ticks, long itemsRun, long succeeded, long faulted, long canceled, long failedByClose,
            long droppedContinuations, int queueDepth, int runningAsync, TimeSpan lastTick, TimeSpan longestTick)
        {
            Ticks = ticks;
            ItemsRun = itemsRun;
            Succeeded = succeeded;
            Faulted = faulted;
            Canceled = canceled;
            FailedByClose = failedByClose;
            DroppedContinuations = droppedContinuations;
            QueueDepth = queueDepth;
            RunningAsync = runningAsync;
            LastTick = lastTick;
            LongestTick = longestTick;
        }

        /// <summary>Ticks run so far.</summary>
        public long Ticks { get; }

        /// <summary>Queue entries processed by ticks (work items, continuations, callbacks).</summary>
        public long ItemsRun { get; }

        /// <summary>Handles completed with a result.</summary>
        public long Succeeded { get; }

        /// <summary>Handles completed with an exception thrown by the work.</summary>
        public long Faulted { get; }

        /// <summary>Handles cancelled (token, <c>Cancel()</c>, or work that threw <see cref="OperationCanceledException"/>), not counting close.</summary>
        public long Canceled { get; }

        /// <summary>Handles failed with <see cref="LoopClosedException"/> because the loop closed (or was closed when they were submitted).</summary>
        public long FailedByClose { get; }

        /// <summary>Continuations posted to the loop's <c>SynchronizationContext</c> after it closed off the main thread, which could not run.</summary>
        public long DroppedContinuations { get; }

        /// <summary>Entries queued when the snapshot was taken.</summary>
        public int QueueDepth { get; }

        /// <summary>Async work items started and not yet completed.</summary>
        public int RunningAsync { get; }

        /// <summary>Duration of the most recent tick.</summary>
        public TimeSpan LastTick { get; }

        /// <summary>Duration of the longest tick so far.</summary>
        public TimeSpan LongestTick { get; }

        /// <summary>All completed handles: the sum of the four outcome counters.</summary>
        public long Completed => Succeeded + Faulted + Canceled + FailedByClose;

        /// <inheritdoc />
        public override string ToString() =>
            $"ticks {Ticks}, run {ItemsRun}, ok {Succeeded}, faulted {Faulted}, canceled {Canceled}, failed-by-close {FailedByClose}, queued {QueueDepth}, longest tick {LongestTick.TotalMilliseconds:0.###} ms";
    }
}
