using System;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The diagnostics cost no allocation: submitting and ticking with diagnostics unread, and with detailed timing on and
    /// a snapshot read every tick into a reused object, both allocate 0 B. Headless only: it reads the CoreCLR allocation
    /// counter (the time cost is a benchmark's business, not a test's).
    /// </summary>
    [NonParallelizable]
    public sealed class DiagnosticsAllocationTests
    {
        private const int Iterations = 10_000;
        private static readonly Func<int, int> Double = v => v * 2;

        private static long Measure(MainLoop loop, LoopDiagnosticsSnapshot reader)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Iterations; i++)
            {
                var h = loop.Run(i, Double);
                loop.Tick();
                if (reader != null)
                {
                    loop.Diagnostics.Read(reader);
                }

                if (h.GetResult(TimeSpan.Zero) != i * 2)
                {
                    throw new AssertionException("wrong result");
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Test]
        public void Submission_WithDiagnosticsUnread_AllocatesZeroBytes()
        {
            using var loop = new MainLoop();
            Measure(loop, null);
            Assert.That(Measure(loop, null), Is.EqualTo(0));
            Assert.That(loop.Diagnostics.GetSnapshot().LatencyTickCounts[1], Is.EqualTo(2 * Iterations), "the stamps were recorded");
        }

        [Test]
        public void Submission_WithDetailedTimingAndASnapshotEveryTick_AllocatesZeroBytes()
        {
            using var loop = new MainLoop();
            loop.Diagnostics.DetailedTiming = true;
            var reader = new LoopDiagnosticsSnapshot();
            Measure(loop, reader);
            Assert.That(Measure(loop, reader), Is.EqualTo(0));
            Assert.That(reader.ItemsLastTick, Is.EqualTo(1));
        }
    }
}
