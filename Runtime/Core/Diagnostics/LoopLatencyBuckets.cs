#nullable enable
using System;
using System.Runtime.CompilerServices;

namespace LoopBridge
{
    /// <summary>
    /// The fixed buckets of <see cref="LoopDiagnostics"/>' submit→run latency histograms: one in ticks, one in
    /// microseconds. Bucket <c>i</c> counts latencies up to and including <see cref="TickUpperBound"/>(i) (or
    /// <see cref="MicrosecondUpperBound"/>(i)) and above the previous bucket's bound; the last bucket is open-ended.
    /// </summary>
    /// <remarks>
    /// In ticks, 1 is the normal case: work queued between two ticks runs on the next one. 0 means it was queued while the
    /// tick that ran it was starting. Any thread.
    /// </remarks>
    public static class LoopLatencyBuckets
    {
        /// <summary>The number of buckets of each histogram.</summary>
        public const int Count = 9;

        private static readonly long[] TickBounds = { 0, 1, 2, 4, 8, 16, 32, 64, long.MaxValue };
        private static readonly long[] MicrosecondBounds = { 10, 100, 1_000, 4_000, 16_000, 33_000, 100_000, 1_000_000, long.MaxValue };

        /// <summary>The largest latency, in ticks, bucket <paramref name="bucket"/> counts (<see cref="long.MaxValue"/> for the last).</summary>
        /// <param name="bucket">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The bound.</returns>
        /// <exception cref="IndexOutOfRangeException"><paramref name="bucket"/> is out of range.</exception>
        public static long TickUpperBound(int bucket) => TickBounds[bucket];

        /// <summary>The largest latency, in microseconds, bucket <paramref name="bucket"/> counts (<see cref="long.MaxValue"/> for the last).</summary>
        /// <param name="bucket">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The bound.</returns>
        /// <exception cref="IndexOutOfRangeException"><paramref name="bucket"/> is out of range.</exception>
        public static long MicrosecondUpperBound(int bucket) => MicrosecondBounds[bucket];

        /// <summary>A short label of a tick bucket ("0", "1", "3-4", "65+").</summary>
        /// <param name="bucket">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The label.</returns>
        public static string TickLabel(int bucket) => Label(TickBounds, bucket, "");

        /// <summary>A short label of a microsecond bucket ("≤10µs", "≤4ms", ">1s").</summary>
        /// <param name="bucket">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The label.</returns>
        public static string MicrosecondLabel(int bucket)
        {
            if (bucket == Count - 1)
            {
                return ">1s";
            }

            var us = MicrosecondBounds[bucket];
            return us < 1000 ? $"≤{us}µs" : us < 1_000_000 ? $"≤{us / 1000}ms" : $"≤{us / 1_000_000}s";
        }

        private static string Label(long[] bounds, int bucket, string unit)
        {
            var low = bucket == 0 ? 0 : bounds[bucket - 1] + 1;
            if (bucket == Count - 1)
            {
                return $"{low}+{unit}";
            }

            return low == bounds[bucket] ? $"{low}{unit}" : $"{low}-{bounds[bucket]}{unit}";
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int OfTicks(long ticks) => Find(TickBounds, ticks);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int OfMicroseconds(long microseconds) => Find(MicrosecondBounds, microseconds);

        private static int Find(long[] bounds, long value)
        {
            var i = 0;
            while (value > bounds[i])
            {
                i++;
            }

            return i;
        }
    }
}
