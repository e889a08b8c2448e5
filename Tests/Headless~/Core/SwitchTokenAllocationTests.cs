using System;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// SwitchTo/NextFrame with a token allocate nothing in steady state: the token is checked when the await ends,
    /// never registered. Headless only: it measures the CoreCLR allocation counters.
    /// </summary>
    [NonParallelizable]
    public sealed class SwitchTokenAllocationTests
    {
        private const int Iterations = 10_000;

        [Test]
        public void NextFrameAndSwitchTo_WithCancellableAndNoneTokens_AllocateZeroBytes()
        {
            using var loop = new MainLoop();
            using var cts = new CancellationTokenSource();
            var resumed = 0;
            Action onResume = () => resumed++;
            long Measure(CancellationToken token)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < Iterations; i++)
                {
                    var next = loop.NextFrame(token).GetAwaiter();
                    next.UnsafeOnCompleted(onResume);
                    loop.Tick();
                    next.GetResult();
                    var sw = loop.SwitchTo(token).GetAwaiter();
                    if (!sw.IsCompleted)
                    {
                        throw new AssertionException("SwitchTo on the main thread must not hop");
                    }

                    sw.GetResult();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Measure(cts.Token); // warm-up: pools, queue segment, JIT
            Measure(CancellationToken.None);
            Assert.That(Measure(cts.Token), Is.EqualTo(0), "cancellable token");
            Assert.That(Measure(CancellationToken.None), Is.EqualTo(0), "CancellationToken.None");
            Assert.That(resumed, Is.EqualTo(4 * Iterations));
        }
    }
}
