using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The submit/close race, proven by counting: a submission racing with Close either runs or fails with
    /// LoopClosedException, never both and never neither; and nothing runs after Close returned on the main thread.
    /// Bounded by counts (seeds, submissions); time bounds are hang guards only.
    /// </summary>
    [NonParallelizable]
    [Category("Stress")]
    public sealed class CloseRaceTests
    {
        private const int Producers = 8;
        private const int Seeds = 60;
        private const int MaxPerProducer = 20_000;

        [Test]
        public void EightProducers_CloseAtRandomMoment_60Seeds_EveryHandleExactlyOnce()
        {
            for (var seed = 1; seed <= Seeds; seed++)
            {
                var stats = RunOneSeed(seed);

                // Both outcomes in every seed, by construction rather than by luck: the close waits for a first success,
                // and every producer keeps submitting until it has seen the loop closed (failed at once, by the close).
                Assert.That(stats.Succeeded, Is.GreaterThan(0), $"seed {seed}: nothing ran before the close");
                Assert.That(stats.FailedByClose, Is.GreaterThan(0), $"seed {seed}: nothing was failed by the close");
            }
        }

        private static MainLoopStatistics RunOneSeed(int seed)
        {
            var random = new Random(seed);
            var closeAfterTicks = random.Next(0, 12);
            var spinBeforeClose = random.Next(0, 20_000);
            var grace = random.Next(0, 3) == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(50);
            using var loop = new MainLoop(new MainLoopOptions { CloseGracePeriod = grace, Name = "seed " + seed });

            const int Total = Producers * MaxPerProducer;
            var ran = new int[Total];
            var completions = new int[Total];
            var outcomes = new int[Total];       // 1 succeeded, 3 canceled (closed), other = wrong
            var closedWithWrongReason = 0;
            var submitted = new int[Producers];
            var ranAfterCloseReturned = 0;
            var closeReturned = 0;
            var start = new ManualResetEventSlim();
            Exception failure = null;

            void Complete(int id, UniTaskStatus status, Exception ex)
            {
                Interlocked.Increment(ref completions[id]);
                outcomes[id] = (int)status;
                if (status == UniTaskStatus.Canceled && !(ex is LoopClosedException { Reason: CloseReason.EngineShutdown }))
                {
                    Interlocked.Increment(ref closedWithWrongReason);
                }
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
                        for (var n = 0; n < MaxPerProducer && closedSeen < 50; n++)
                        {
                            if (n == MaxPerProducer - 64 && loop.IsOpen)
                            {
                                // Keep the last 64 slots for after the close (hang guard only), so every producer
                                // submits into the closed loop.
                                loop.Closing.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                            }

                            var id = producer * MaxPerProducer + n;
                            submitted[producer] = n + 1;
                            if ((n & 15) == 0)
                            {
                                // Submit continuously, but let the main thread keep up, so close lands mid-stream.
                                Thread.Yield();
                            }

                            if (!loop.IsOpen)
                            {
                                closedSeen++;
                            }

                            Action body = () =>
                            {
                                if (Volatile.Read(ref closeReturned) != 0)
                                {
                                    Interlocked.Increment(ref ranAfterCloseReturned);
                                }

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
                                    if ((id & 2) == 0)
                                    {
                                        await loop.NextFrame();
                                    }
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

            // Close at a random moment of the stream: after a random number of submissions (ticking meanwhile, as a
            // game would), a random number of further ticks and a random spin.
            var submittedBeforeClose = random.Next(0, 8000);
            var watch = Stopwatch.StartNew();
            while ((SumOf(submitted) < submittedBeforeClose || loop.Statistics.Succeeded == 0) && watch.ElapsedMilliseconds < 30_000)
            {
                loop.Tick(); // the time bound is a hang guard only: the loop exits on counts
            }

            for (var t = 0; t < closeAfterTicks; t++)
            {
                loop.Tick();
            }

            Thread.MemoryBarrier();
            Thread.SpinWait(spinBeforeClose);
            loop.Close(CloseReason.EngineShutdown);
            Volatile.Write(ref closeReturned, 1);

            foreach (var t in threads)
            {
                Assert.That(t.Join(30000), Is.True, $"seed {seed}: producer did not stop");
            }

            // Ticks after close run nothing.
            loop.Tick();
            loop.Tick();

            Assert.That(failure, Is.Null, $"seed {seed}");
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            var count = 0;
            for (var p = 0; p < Producers; p++)
            {
                for (var n = 0; n < submitted[p]; n++)
                {
                    var id = p * MaxPerProducer + n;
                    count++;
                    if (completions[id] != 1)
                    {
                        Assert.Fail($"seed {seed}: submission {id} completed {completions[id]} times");
                    }

                    var status = (UniTaskStatus)outcomes[id];
                    var ok = (status == UniTaskStatus.Succeeded && ran[id] == 1)
                        || (status == UniTaskStatus.Canceled && (ran[id] == 0 || (n & 1) == 1));
                    if (!ok || ran[id] > 1)
                    {
                        Assert.Fail($"seed {seed}: submission {id} ran {ran[id]} times and ended {status}");
                    }
                }
            }

            Assert.That(ranAfterCloseReturned, Is.EqualTo(0), $"seed {seed}: work ran after Close returned on the main thread");
            Assert.That(closedWithWrongReason, Is.EqualTo(0), $"seed {seed}: a failure was not LoopClosedException(EngineShutdown)");
            // The loop's counters see every completion the core performs (a second one included), unlike the one
            // completion callback per handle above: equal to the number of handles means none completed twice.
            var stats = loop.Statistics;
            Assert.That(stats.Completed, Is.EqualTo(count), $"seed {seed}: statistics disagree with the handles");
            Assert.That(stats.QueueDepth, Is.EqualTo(0));
            Assert.That(stats.RunningAsync, Is.EqualTo(0));
            return stats;
        }

        private static int SumOf(int[] values)
        {
            var sum = 0;
            foreach (var v in values)
            {
                sum += v;
            }

            return sum;
        }

        [Test]
        public void ThousandLifetimes_ResourcesDoNotGrow_AllHandlesComplete()
        {
            // Warm up pools, JIT and the thread pool before taking the baseline.
            RunLifetimes(50);
            var process = Process.GetCurrentProcess();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            process.Refresh();
            var threadsBefore = process.Threads.Count;
            var handlesBefore = process.HandleCount;
            var memoryBefore = GC.GetTotalMemory(true);

            RunLifetimes(1000);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            process.Refresh();
            Assert.That(process.Threads.Count - threadsBefore, Is.LessThan(8), "threads grew");
            Assert.That(process.HandleCount - handlesBefore, Is.LessThan(64), "OS handles grew");
            Assert.That(GC.GetTotalMemory(true) - memoryBefore, Is.LessThan(4 * 1024 * 1024), "managed memory grew");
        }

        private static void RunLifetimes(int cycles)
        {
            for (var c = 0; c < cycles; c++)
            {
                var loop = new MainLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromMilliseconds(20) });
                var completed = 0;
                var workers = new Task[2];
                for (var w = 0; w < workers.Length; w++)
                {
                    workers[w] = Task.Run(() =>
                    {
                        using var cts = new CancellationTokenSource();
                        for (var i = 0; i < 20; i++)
                        {
                            loop.Run(i, v => v).OnCompleted(_ => Interlocked.Increment(ref completed));
                            loop.Run(() => 1, cts.Token).OnCompleted(_ => Interlocked.Increment(ref completed));
                            loop.RunAsync(async ct => await loop.NextFrame()).OnCompleted(_ => Interlocked.Increment(ref completed));
                        }
                    });
                }

                for (var t = 0; t < 3; t++)
                {
                    loop.Tick();
                }

                Task.WaitAll(workers);
                loop.Tick();
                loop.Dispose();
                Assert.That(completed, Is.EqualTo(workers.Length * 60), $"cycle {c}: handles left pending");
            }
        }
    }
}
