#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// A snapshot of a <see cref="MainLoop"/>'s counters (see <see cref="MainLoop.Statistics"/>). Every completed handle
    /// is counted exactly once in one of <see cref="Succeeded"/>, <see cref="Faulted"/>, <see cref="Canceled"/> or
    /// <see cref="FailedByClose"/>.
    /// </summary>
    /// <remarks>
    /// <para><b>What is read together.</b> Everything the main thread counts (<see cref="Ticks"/>,
    /// <see cref="ItemsRun"/>, the outcomes of handles completed on the main thread, <see cref="LastTick"/>,
    /// <see cref="LongestTick"/>) comes from one instant between two of its steps, even when read from a worker in
    /// the middle of a tick. Outcomes of handles completed on other threads are added as read just before it. So the
    /// figures add up: <see cref="ItemsRun"/> counts an entry before it runs, and a handle completed by running work
    /// is never counted before its entry (for sync work, <see cref="Succeeded"/> + <see cref="Faulted"/> never exceeds
    /// <see cref="ItemsRun"/>). Every counter only grows.</para>
    /// <para><see cref="QueueDepth"/> and <see cref="RunningAsync"/> are a moment's values, read separately.</para>
    /// </remarks>
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

        /// <summary>Queue entries taken by ticks (work items, continuations, callbacks), counted as each one starts.</summary>
        public long ItemsRun { get; }

        /// <summary>Handles completed with a result.</summary>
        public long Succeeded { get; }

        /// <summary>Handles completed with an exception thrown by the work.</summary>
        public long Faulted { get; }

        /// <summary>Handles cancelled (token, <c>Cancel()</c>, or work that threw <see cref="OperationCanceledException"/>), not counting close.</summary>
        public long Canceled { get; }

        /// <summary>Handles failed with <see cref="LoopClosedException"/> because the loop closed (or was closed when they were submitted).</summary>
        public long FailedByClose { get; }

        /// <summary>
        /// Code that had to run on the main thread and never will because the loop closed: continuations of async work
        /// that arrived after the grace period, or that a close finished by another thread could not run; completion
        /// callbacks that a close finished by another thread could not deliver. Each one was also reported through
        /// <see cref="MainLoop.UnhandledException"/>.
        /// </summary>
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
