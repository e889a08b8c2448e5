#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// A copy of a loop's <see cref="LoopDiagnostics"/>, filled by <see cref="LoopDiagnostics.Read"/>. Reuse one per reader:
    /// reading into it allocates nothing. Not thread-safe itself: one reader at a time.
    /// </summary>
    /// <remarks>
    /// The per-tick values (<see cref="CurrentTick"/> through the history arrays) are a consistent cut between two ticks
    /// when <see cref="IsConsistent"/> is true (it is false only if the main thread kept ticking through eight read attempts).
    /// The histograms and <see cref="Statistics"/> may include entries of the tick in progress.
    /// </remarks>
    public sealed class LoopDiagnosticsSnapshot
    {
        /// <summary>The loop's <see cref="MainLoopOptions.Name"/>.</summary>
        public string LoopName { get; internal set; } = "";

        /// <summary>The loop's life stage.</summary>
        public LoopState State { get; internal set; }

        /// <summary>Why it closed, or null while open.</summary>
        public CloseReason? ClosedBecause { get; internal set; }

        /// <summary>Ticking, paused, stalled or closed.</summary>
        public LoopActivity Activity { get; internal set; }

        /// <summary>The loop's counters (<see cref="MainLoop.Statistics"/>): running async work, dropped continuations, outcomes.</summary>
        public MainLoopStatistics Statistics { get; internal set; }

        /// <summary>Whether <see cref="LoopDiagnostics.DetailedTiming"/> was on (microsecond latencies are measured).</summary>
        public bool DetailedTiming { get; internal set; }

        /// <summary>Whether the per-tick values were read between two ticks (see the remarks).</summary>
        public bool IsConsistent { get; internal set; }

        /// <summary>Ticks the loop has started.</summary>
        public long CurrentTick { get; internal set; }

        /// <summary>Entries queued.</summary>
        public int QueueDepth { get; internal set; }

        /// <summary>Ticks the oldest queued entry has waited (see <see cref="LoopDiagnostics.OldestQueuedAgeTicks"/>).</summary>
        public long OldestQueuedAgeTicks { get; internal set; }

        /// <summary>How long the oldest queued entry has waited (see <see cref="LoopDiagnostics.OldestQueuedAge"/>).</summary>
        public TimeSpan OldestQueuedAge { get; internal set; }

        /// <summary>Time since the last tick began or ended, whichever is later.</summary>
        public TimeSpan TimeSinceLastTick { get; internal set; }

        /// <summary>Entries the last finished tick ran.</summary>
        public int ItemsLastTick { get; internal set; }

        /// <summary>The most entries one tick has run.</summary>
        public int MostItemsInATick { get; internal set; }

        /// <summary>The last finished tick's duration.</summary>
        public TimeSpan LastTickDuration { get; internal set; }

        /// <summary>The longest tick so far.</summary>
        public TimeSpan LongestTick { get; internal set; }

        /// <summary>The tick budget in force at the last tick (<see cref="TimeSpan.Zero"/>: none).</summary>
        public TimeSpan TickBudget { get; internal set; }

        /// <summary>Ticks that took longer than the budget in force (a tick always runs at least one entry, however long).</summary>
        public long TicksOverBudget { get; internal set; }

        /// <summary>The longest an entry has waited, in ticks, from its submission to the tick that ran it.</summary>
        public long LongestWaitTicks { get; internal set; }

        /// <summary>The longest an entry has waited from submission to run (measured only with <see cref="DetailedTiming"/>).</summary>
        public TimeSpan LongestWait { get; internal set; }

        /// <summary>Entries run, by submit→run latency in ticks (buckets: <see cref="LoopLatencyBuckets"/>).</summary>
        public long[] LatencyTickCounts { get; } = new long[LoopLatencyBuckets.Count];

        /// <summary>Entries run, by submit→run latency in microseconds (only entries timed with <see cref="DetailedTiming"/>).</summary>
        public long[] LatencyMicrosecondCounts { get; } = new long[LoopLatencyBuckets.Count];

        /// <summary>How many of the history slots hold data (up to <see cref="LoopDiagnostics.HistoryLength"/>), oldest first.</summary>
        public int HistoryCount { get; internal set; }

        /// <summary>Queue depth at the end of each of the last ticks.</summary>
        public int[] DepthHistory { get; } = new int[LoopDiagnostics.HistoryLength];

        /// <summary>Entries run by each of the last ticks.</summary>
        public int[] ItemsHistory { get; } = new int[LoopDiagnostics.HistoryLength];

        /// <summary>Duration of each of the last ticks, in <see cref="TimeSpan"/> ticks (100 ns).</summary>
        public long[] TickDurationHistory { get; } = new long[LoopDiagnostics.HistoryLength];

        /// <summary>The longest wait, in ticks, of an entry run by each of the last ticks.</summary>
        public long[] LongestWaitTicksHistory { get; } = new long[LoopDiagnostics.HistoryLength];

        /// <summary>The longest wait, in microseconds, of a timed entry run by each of the last ticks (0 without <see cref="DetailedTiming"/>).</summary>
        public long[] LongestWaitMicrosecondsHistory { get; } = new long[LoopDiagnostics.HistoryLength];

        /// <summary>How the loop closed, or null.</summary>
        public LoopCloseRecord? LastClose { get; internal set; }

        /// <summary>The loop's most recent stall or hang report, or null.</summary>
        public LoopStallReport? LastReport { get; internal set; }

        /// <summary>Stall and hang reports the loop has made.</summary>
        public int ReportCount { get; internal set; }

        /// <summary>
        /// An estimate of the <paramref name="fraction"/> quantile of the tick latency (the upper bound of the bucket it
        /// falls in), or -1 with no entries run.
        /// </summary>
        /// <param name="fraction">0 to 1 (0.5: median, 0.99).</param>
        /// <returns>Ticks.</returns>
        public long TickLatencyQuantile(double fraction) => Quantile(LatencyTickCounts, fraction, LoopLatencyBuckets.TickUpperBound, LongestWaitTicks);

        /// <summary>
        /// An estimate of the <paramref name="fraction"/> quantile of the microsecond latency (the upper bound of its bucket,
        /// at most the longest wait), or -1 with no timed entries.
        /// </summary>
        /// <param name="fraction">0 to 1.</param>
        /// <returns>Microseconds.</returns>
        public long MicrosecondLatencyQuantile(double fraction) =>
            Quantile(LatencyMicrosecondCounts, fraction, LoopLatencyBuckets.MicrosecondUpperBound, LongestWait.Ticks / 10);

        /// <inheritdoc />
        public override string ToString() =>
            $"{LoopName}: {Activity}, depth {QueueDepth}, oldest {OldestQueuedAgeTicks} tick(s), {ItemsLastTick}/tick, " +
            $"p99 {TickLatencyQuantile(0.99)} tick(s), longest tick {LongestTick.TotalMilliseconds:0.##} ms, over budget {TicksOverBudget}";

        private static long Quantile(long[] counts, double fraction, Func<int, long> bound, long max)
        {
            long total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            if (total == 0)
            {
                return -1;
            }

            var target = (long)Math.Ceiling(Math.Max(0, Math.Min(1, fraction)) * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                seen += counts[i];
                if (seen >= Math.Max(1, target))
                {
                    return Math.Min(bound(i), max);
                }
            }

            return max;
        }
    }
}
