using System;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// Submit→run latency of work items, in frames and in milliseconds (0.1 ms buckets up to 2 s; longer waits fall in
    /// the last bucket). Main thread only: recorded when an item runs and read by the per-frame statistics.
    /// </summary>
    public sealed class LatencyHistogram
    {
        const int MsBuckets = 20_000;
        const int FrameBuckets = 1_000;

        readonly int[] tenthsOfMs = new int[MsBuckets];
        readonly int[] frames = new int[FrameBuckets];

        /// <summary>Items recorded since the last <see cref="Clear"/>.</summary>
        public long Count { get; private set; }

        /// <summary>Records one item that waited <paramref name="frameDelay"/> frames and <paramref name="milliseconds"/> ms.</summary>
        public void Record(long frameDelay, double milliseconds)
        {
            frames[(int)Math.Min(Math.Max(frameDelay, 0), FrameBuckets - 1)]++;
            tenthsOfMs[(int)Math.Min(Math.Max(milliseconds * 10, 0), MsBuckets - 1)]++;
            Count++;
        }

        /// <summary>The <paramref name="quantile"/> (0..1) of the frame delays.</summary>
        public int FramesAt(double quantile) => Quantile(frames, quantile);

        /// <summary>The <paramref name="quantile"/> (0..1) of the delays in milliseconds (upper bound of its 0.1 ms bucket).</summary>
        public double MillisecondsAt(double quantile) => Count == 0 ? 0 : (Quantile(tenthsOfMs, quantile) + 1) / 10.0;

        /// <summary>Forgets every recorded item.</summary>
        public void Clear()
        {
            Array.Clear(tenthsOfMs, 0, tenthsOfMs.Length);
            Array.Clear(frames, 0, frames.Length);
            Count = 0;
        }

        int Quantile(int[] buckets, double quantile)
        {
            if (Count == 0)
            {
                return 0;
            }

            long rank = (long)Math.Ceiling(quantile * Count);
            long seen = 0;
            for (int i = 0; i < buckets.Length; i++)
            {
                seen += buckets[i];
                if (seen >= rank && seen > 0)
                {
                    return i;
                }
            }

            return buckets.Length - 1;
        }
    }
}
