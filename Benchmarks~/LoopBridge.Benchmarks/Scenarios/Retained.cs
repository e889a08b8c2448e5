using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>Memory a pattern keeps after a burst: right after it, then over a quiet period.</summary>
    internal sealed class RetainedResult
    {
        /// <summary>Seconds of quiet (0 = right after the burst) and the process's live bytes above the baseline then.</summary>
        public List<(double Seconds, double Megabytes, long PooledObjects)> Samples { get; } = new List<(double, double, long)>();

        /// <summary>Objects in the pattern's pool when the baseline was measured.</summary>
        public long PooledBefore { get; set; }
    }

    /// <summary>
    /// Scenario G: one burst of <c>total</c> submissions (one producer, <see cref="Burst"/>'s
    /// protocol), the dispatcher disposed, then the memory still live in the process above the
    /// baseline measured just before the burst (<c>GC.GetTotalMemory</c> after a full, blocking
    /// collection): right after the burst, and (for the patterns with a pool that could give
    /// memory back) each second of a quiet period while a fresh dispatcher of the same pattern
    /// ticks idle at 60 Hz. Each sample's full collection is also what a pool that trims on
    /// garbage collections reacts to; a game collects on its own schedule.
    /// </summary>
    internal static class Retained
    {
        public static RetainedResult Run(Func<IPeer> create, int total, int quietSeconds, Func<long> pooledObjects)
        {
            var result = new RetainedResult();
            long baseline = LiveBytes();
            result.PooledBefore = pooledObjects();
            var peer = create();
            try
            {
                peer.Accept(new Burst(1, total, 1));
            }
            finally
            {
                peer.Dispose();
            }
            result.Samples.Add((0, (LiveBytes() - baseline) / 1e6, pooledObjects()));
            if (quietSeconds <= 0) return result;

            var idle = create();
            try
            {
                var start = Stopwatch.GetTimestamp();
                for (int s = 1; s <= quietSeconds; s++)
                {
                    long until = start + s * Stopwatch.Frequency;
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        if (idle.FrameBased) idle.Tick();
                        Thread.Sleep(16);
                    }
                    result.Samples.Add((s, (LiveBytes() - baseline) / 1e6, pooledObjects()));
                }
            }
            finally
            {
                idle.Dispose();
            }
            return result;
        }

        /// <summary>Objects in UniTask's pools (its own count).</summary>
        public static long UniTaskPooled() => TaskPool.GetCacheSizeInfo().Sum(x => (long)x.Item2);

        private static long LiveBytes()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(true);
        }
    }
}
