using System;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// One published sample of the live statistics: built on the main thread, read by the console thread.
    /// Immutable, so it crosses threads by a single reference write.
    /// </summary>
    public sealed class LiveStats
    {
        /// <summary>Creates a sample.</summary>
        public LiveStats(double seconds, long frames, double fps, int p50Frames, double p50Ms, int p99Frames, double p99Ms, double longestTickMs)
        {
            Seconds = seconds;
            Frames = frames;
            Fps = fps;
            P50Frames = p50Frames;
            P50Ms = p50Ms;
            P99Frames = p99Frames;
            P99Ms = p99Ms;
            LongestTickMs = longestTickMs;
        }

        /// <summary>Creates a sample that also carries the loop's queue figures (see <see cref="FromDiagnostics"/>).</summary>
        public LiveStats(double seconds, long frames, double fps, int p50Frames, double p50Ms, int p99Frames, double p99Ms, double longestTickMs,
            int queueDepth, long oldestAgeTicks, int itemsLastTick, long ticksOverBudget)
            : this(seconds, frames, fps, p50Frames, p50Ms, p99Frames, p99Ms, longestTickMs)
        {
            QueueDepth = queueDepth;
            OldestAgeTicks = oldestAgeTicks;
            ItemsLastTick = itemsLastTick;
            TicksOverBudget = ticksOverBudget;
        }

        /// <summary>
        /// Builds a sample from the loop's own diagnostics (<see cref="MainLoop.Diagnostics"/>): the latency quantiles of the
        /// window between <paramref name="previous"/> and <paramref name="current"/> (histogram differences, bucket upper
        /// bounds; milliseconds need <see cref="LoopDiagnostics.DetailedTiming"/>), the longest tick of the window (from the
        /// tick history), and the queue's depth and oldest age now. Allocation-free apart from the sample itself: read the
        /// snapshots with <see cref="LoopDiagnostics.Read"/> into two objects kept across samples.
        /// </summary>
        /// <param name="seconds">Seconds since the runner started.</param>
        /// <param name="fps">Frames per second as measured by the runner.</param>
        /// <param name="current">The diagnostics now.</param>
        /// <param name="previous">The diagnostics at the previous sample, or null for the first.</param>
        /// <returns>The sample.</returns>
        public static LiveStats FromDiagnostics(double seconds, double fps, LoopDiagnosticsSnapshot current, LoopDiagnosticsSnapshot? previous)
        {
            var ticks = current.CurrentTick - (previous?.CurrentTick ?? 0);
            var longest = 0L;
            var inWindow = (int)Math.Min(current.HistoryCount, Math.Max(0, ticks));
            for (var i = current.HistoryCount - inWindow; i < current.HistoryCount; i++)
            {
                longest = Math.Max(longest, current.TickDurationHistory[i]);
            }

            return new LiveStats(seconds, current.CurrentTick, fps,
                (int)Quantile(current.LatencyTickCounts, previous?.LatencyTickCounts, 0.50, LoopLatencyBuckets.TickUpperBound, current.LongestWaitTicks),
                Quantile(current.LatencyMicrosecondCounts, previous?.LatencyMicrosecondCounts, 0.50, LoopLatencyBuckets.MicrosecondUpperBound, current.LongestWait.Ticks / 10) / 1000.0,
                (int)Quantile(current.LatencyTickCounts, previous?.LatencyTickCounts, 0.99, LoopLatencyBuckets.TickUpperBound, current.LongestWaitTicks),
                Quantile(current.LatencyMicrosecondCounts, previous?.LatencyMicrosecondCounts, 0.99, LoopLatencyBuckets.MicrosecondUpperBound, current.LongestWait.Ticks / 10) / 1000.0,
                TimeSpan.FromTicks(longest).TotalMilliseconds,
                current.QueueDepth, current.OldestQueuedAgeTicks, current.ItemsLastTick, current.TicksOverBudget);
        }

        /// <summary>The upper bound of the bucket holding the <paramref name="fraction"/> quantile of (now - before), capped at <paramref name="max"/>; 0 when empty.</summary>
        private static long Quantile(long[] now, long[]? before, double fraction, Func<int, long> bound, long max)
        {
            long total = 0;
            for (var i = 0; i < now.Length; i++)
            {
                total += now[i] - (before?[i] ?? 0);
            }

            if (total <= 0)
            {
                return 0;
            }

            var target = Math.Max(1, (long)Math.Ceiling(fraction * total));
            long seen = 0;
            for (var i = 0; i < now.Length; i++)
            {
                seen += now[i] - (before?[i] ?? 0);
                if (seen >= target)
                {
                    return Math.Min(bound(i), max);
                }
            }

            return max;
        }

        /// <summary>Seconds since the runner started.</summary>
        public double Seconds { get; }

        /// <summary>Frames run so far.</summary>
        public long Frames { get; }

        /// <summary>Frames per second as measured by the runner.</summary>
        public double Fps { get; }

        /// <summary>Median submit→run latency in frames over the sample's window.</summary>
        public int P50Frames { get; }

        /// <summary>Median submit→run latency in milliseconds over the sample's window.</summary>
        public double P50Ms { get; }

        /// <summary>99th-percentile submit→run latency in frames over the sample's window.</summary>
        public int P99Frames { get; }

        /// <summary>99th-percentile submit→run latency in milliseconds over the sample's window.</summary>
        public double P99Ms { get; }

        /// <summary>The longest tick of the loop in the sample's window, in milliseconds.</summary>
        public double LongestTickMs { get; }

        /// <summary>Entries queued when the sample was taken (diagnostics samples only).</summary>
        public int QueueDepth { get; }

        /// <summary>Ticks the oldest queued entry had waited (diagnostics samples only).</summary>
        public long OldestAgeTicks { get; }

        /// <summary>Entries the last tick ran (diagnostics samples only).</summary>
        public int ItemsLastTick { get; }

        /// <summary>Ticks over the budget since the loop started (diagnostics samples only).</summary>
        public long TicksOverBudget { get; }
    }
}
