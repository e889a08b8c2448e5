using System;
using System.Collections.Generic;

namespace LoopBridge.Benchmarks.Harness
{
    internal static class Stats
    {
        public static double Median(IReadOnlyList<double> samples)
        {
            if (samples.Count == 0)
            {
                return double.NaN;
            }
            var sorted = new List<double>(samples);
            sorted.Sort();
            int n = sorted.Count;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public static double Min(IReadOnlyList<double> samples)
        {
            double m = double.PositiveInfinity;
            foreach (var s in samples) if (!double.IsNaN(s)) m = Math.Min(m, s);
            return samples.Count == 0 ? double.NaN : m;
        }

        public static double Max(IReadOnlyList<double> samples)
        {
            double m = double.NegativeInfinity;
            foreach (var s in samples) if (!double.IsNaN(s)) m = Math.Max(m, s);
            return samples.Count == 0 ? double.NaN : m;
        }

        /// <summary>The nearest-rank percentile of an already sorted array.</summary>
        public static double Percentile(double[] sorted, double p)
        {
            if (sorted.Length == 0)
            {
                return double.NaN;
            }
            int rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
