using System;
using System.Diagnostics;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>The work items the scenarios submit. Static delegates: no allocation per submission.</summary>
    internal static class Work
    {
        /// <summary>The throughput and round-trip item: <c>x + 1</c>, so every result can be checked.</summary>
        public static readonly Func<int, int> AddOne = x => unchecked(x + 1);

        /// <summary>The burst item of scenario D: about 1 µs of spinning, then an order check. Main thread only.</summary>
        public static readonly Func<int, int> BurstItem = BurstItemImpl;

        private static readonly long TicksPerMicrosecond = Math.Max(1, Stopwatch.Frequency / 1_000_000);

        private static int s_lastBurstArg;
        private static int s_burstRun;
        private static int s_burstOutOfOrder;

        /// <summary>Items of the current burst that have run.</summary>
        public static int BurstRun => s_burstRun;

        /// <summary>Items of the current burst that ran out of submission order.</summary>
        public static int BurstOutOfOrder => s_burstOutOfOrder;

        /// <summary>Resets the burst counters before a trial.</summary>
        public static void ResetBurst()
        {
            s_lastBurstArg = -1;
            s_burstRun = 0;
            s_burstOutOfOrder = 0;
        }

        /// <summary>Spins for about one microsecond.</summary>
        public static void SpinOneMicrosecond()
        {
            long end = Stopwatch.GetTimestamp() + TicksPerMicrosecond;
            while (Stopwatch.GetTimestamp() < end)
            {
            }
        }

        private static int BurstItemImpl(int x)
        {
            SpinOneMicrosecond();
            if (x != s_lastBurstArg + 1)
            {
                s_burstOutOfOrder++;
            }
            s_lastBurstArg = x;
            s_burstRun++;
            return unchecked(x + 1);
        }
    }
}
