using System;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Mono host only: shadows <see cref="System.GC"/> for the headless allocation tests (a type in their own
    /// namespace wins over the imported one), forwarding what Mono has and standing in for what it lacks.
    /// </summary>
    /// <remarks>
    /// <para><see cref="System.GC.GetAllocatedBytesForCurrentThread"/> exists on Mono 6.8 and counts under SGen. Under
    /// Boehm it always returns 0, so an allocation test would pass whatever it measured: there the allocation tests
    /// are skipped (Assert.Ignore) instead, and the figure is reported as unavailable.</para>
    /// <para>GC.GetTotalAllocatedBytes (process-wide) does not exist on Mono, and AppDomain's monitoring counters throw
    /// NotImplementedException, so <see cref="GetTotalAllocatedBytes"/> counts the calling thread only. The cross-thread
    /// test's exact assertion (zero bytes on the submitting worker and on the ticking main thread) uses the per-thread
    /// counter and is unaffected; its process-wide bound becomes a main-thread bound.</para>
    /// </remarks>
    internal static class GC
    {
        static readonly bool CounterWorks = ProbeCounter();

        public static long GetAllocatedBytesForCurrentThread()
        {
            if (!CounterWorks)
                Assert.Ignore("this GC (Boehm on Mono) has no allocation counter: GC.GetAllocatedBytesForCurrentThread stays 0");
            return System.GC.GetAllocatedBytesForCurrentThread();
        }

        public static long GetTotalAllocatedBytes(bool precise) => GetAllocatedBytesForCurrentThread();

        public static void Collect() => System.GC.Collect();

        public static void WaitForPendingFinalizers() => System.GC.WaitForPendingFinalizers();

        public static long GetTotalMemory(bool forceFullCollection) => System.GC.GetTotalMemory(forceFullCollection);

        /// <summary>True when allocating 4 KB moves the per-thread counter.</summary>
        internal static bool ProbeCounter()
        {
            var before = System.GC.GetAllocatedBytesForCurrentThread();
            System.GC.KeepAlive(new byte[4096]);
            return System.GC.GetAllocatedBytesForCurrentThread() - before >= 4096;
        }
    }
}
