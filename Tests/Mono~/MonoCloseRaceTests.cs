using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests.Mono
{
    /// <summary>
    /// The submit/close race of Tests/Headless~/Core/CloseRaceTests, scaled down for the Mono legs (4 producers,
    /// 40 seeds instead of 8 and 200): every submission racing with Close either runs and succeeds, or is failed
    /// with LoopClosedException, exactly once; nothing runs after Close returned on the main thread. Counts, never
    /// times: the only waits are hang guards.
    /// </summary>
    [NonParallelizable]
    [Category("Stress")]
    public sealed class MonoCloseRaceTests
    {
        const int Producers = 4;
        const int Seeds = 40;
        const int MaxPerProducer = 5000;

        [Test]
        public void FourProducers_CloseAtRandomMoment_40Seeds_EveryHandleExactlyOnce()
        {
            var seedsWithBoth = 0;
            for (var seed = 1; seed <= Seeds; seed++)
            {
                if (RunOneSeed(seed))
                    seedsWithBoth++;
            }

            // The race is really exercised: in some seeds close cut through a stream of submissions.
            Assert.That(seedsWithBoth, Is.GreaterThan(0), "seeds in which some submissions ran and others were failed by close");
        }

        /// <summary>One seed; true when both outcomes (ran, failed by close) occurred.</summary>
        static bool RunOneSeed(int seed)
        {
            var random = new Random(seed);
            using var loop = new MainLoop(new MainLoopOptions { Name = "mono seed " + seed });
            const int Total = Producers * MaxPerProducer;
            var ran = new int[Total];
            var completions = new int[Total];
            var outcomes = new int[Total];
            var submitted = new int[Producers];
            var ranAfterCloseReturned = 0;
            var closeReturned = 0;
            var wrongFailure = 0;
            var start = new ManualResetEventSlim();
            Exception failure = null;

            void Complete(int id, UniTaskStatus status, Exception ex)
            {
                Interlocked.Increment(ref completions[id]);
                outcomes[id] = (int)status;
                if (status != UniTaskStatus.Succeeded && !(ex is LoopClosedException { Reason: CloseReason.EngineShutdown }))
                    Interlocked.Increment(ref wrongFailure);
            }

            var threads = new Thread[Producers];
            for (var p = 0; p < Producers; p++)
            {
                var producer = p;
                threads[p] = new Thread(() =>
                {
                    try
                    {
                        start.Wait();
                        var closedSeen = 0;
                        for (var n = 0; n < MaxPerProducer && closedSeen < 20; n++)
                        {
                            var id = producer * MaxPerProducer + n;
                            Volatile.Write(ref submitted[producer], n + 1);
                            if ((n & 15) == 0)
                                Thread.Yield();
                            if (!loop.IsOpen)
                                closedSeen++;
                            Action body = () =>
                            {
                                if (Volatile.Read(ref closeReturned) != 0)
                                    Interlocked.Increment(ref ranAfterCloseReturned);
                                Interlocked.Increment(ref ran[id]);
                            };
                            if ((n & 1) == 0)
                            {
                                loop.Run(body).OnCompleted(o => Complete(id, o.Status, o.Exception));
                            }
                            else
                            {
                                loop.RunAsync(async ct =>
                                {
                                    body();
                                    await loop.NextFrame();
                                }).OnCompleted(o => Complete(id, o.Status, o.Exception));
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        failure = ex;
                    }
                }) { IsBackground = true };
                threads[p].Start();
            }

            start.Set();
            var submittedBeforeClose = random.Next(0, 2000);
            var guard = System.Diagnostics.Stopwatch.StartNew(); // hang guard only
            while (Sum(submitted) < submittedBeforeClose && guard.Elapsed < TimeSpan.FromSeconds(30))
                loop.Tick();
            for (var t = random.Next(0, 6); t > 0; t--)
                loop.Tick();
            Thread.SpinWait(random.Next(0, 20000));
            loop.Close(CloseReason.EngineShutdown);
            Volatile.Write(ref closeReturned, 1);
            foreach (var t in threads)
                Assert.That(t.Join(TimeSpan.FromSeconds(30)), $"seed {seed}: a producer did not stop");
            loop.Tick(); // ticks after close run nothing

            Assert.That(failure, Is.Null, $"seed {seed}");
            var succeeded = 0;
            var failedByClose = 0;
            for (var p = 0; p < Producers; p++)
            {
                for (var n = 0; n < submitted[p]; n++)
                {
                    var id = p * MaxPerProducer + n;
                    if (completions[id] != 1)
                        Assert.Fail($"seed {seed}: submission {id} completed {completions[id]} times");
                    var status = (UniTaskStatus)outcomes[id];
                    // A Run that ran succeeded; an async one may have started and then been failed by close at its await.
                    var ok = (status == UniTaskStatus.Succeeded && ran[id] == 1)
                        || (status == UniTaskStatus.Canceled && (ran[id] == 0 || (n & 1) == 1));
                    if (!ok || ran[id] > 1)
                        Assert.Fail($"seed {seed}: submission {id} ran {ran[id]} times and ended {status}");
                    if (status == UniTaskStatus.Succeeded)
                        succeeded++;
                    else
                        failedByClose++;
                }
            }

            Assert.That(ranAfterCloseReturned, Is.EqualTo(0), $"seed {seed}: work ran after Close returned on the main thread");
            Assert.That(wrongFailure, Is.EqualTo(0), $"seed {seed}: a failure was not LoopClosedException(EngineShutdown)");
            Assert.That(loop.Statistics.QueueDepth, Is.EqualTo(0));
            return succeeded > 0 && failedByClose > 0;
        }

        static int Sum(int[] values)
        {
            var sum = 0;
            for (var i = 0; i < values.Length; i++)
                sum += Volatile.Read(ref values[i]);
            return sum;
        }
    }
}
