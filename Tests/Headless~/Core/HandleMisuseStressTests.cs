using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Misusing consumers (double consumption, two threads racing GetResult on one handle, stale Cancel/Status/GetResult
    /// on long-consumed handles, Preserve after an await) run beside correct consumers on one loop. The correct ones
    /// must never be affected: every one gets exactly its own value, nothing is cancelled, nothing is reported.
    /// Bounded by counts; the only time limit is a hang guard.
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public class HandleMisuseStressTests
    {
        private const int PerThread = 3000;
        private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

        [Test]
        public void MisusingConsumers_BesideCorrectOnes_NeverAffectThem()
        {
            using var loop = new MainLoop(new MainLoopOptions { Name = "misuse-stress" });
            var unhandled = new ConcurrentQueue<Exception>();
            loop.UnhandledException += ex => unhandled.Enqueue(ex);
            var problems = new ConcurrentQueue<string>();
            var correctDone = 0;
            var callbacksExpected = 0;
            var callbacksRun = 0;
            var raceWinners = 0;
            var raceLosers = 0;
            var staleCancels = 0;

            void Correct(int id)
            {
                for (var i = 0; i < PerThread; i++)
                {
                    var expected = id * 1_000_000 + i;
                    var h = loop.Run(expected, s => s);
                    switch (i % 3)
                    {
                        case 0:
                            var v = h.GetResult(Generous);
                            if (v != expected)
                            {
                                problems.Enqueue($"correct {id}: GetResult {v} != {expected}");
                            }

                            break;
                        case 1:
                            try
                            {
                                var w = h.GetResult(Generous);
                                if (w != expected)
                                {
                                    problems.Enqueue($"correct {id}: {w} != {expected}");
                                }
                            }
                            finally
                            {
                                if (h.Cancel())
                                {
                                    problems.Enqueue($"correct {id}: Cancel() after completion returned true");
                                }
                            }

                            break;
                        default:
                            Interlocked.Increment(ref callbacksExpected);
                            h.OnCompleted(o =>
                            {
                                if (!o.IsSucceeded || o.Result != expected)
                                {
                                    problems.Enqueue($"correct {id}: callback {o} != {expected}");
                                }

                                Interlocked.Increment(ref callbacksRun);
                            });
                            break;
                    }

                    Interlocked.Increment(ref correctDone);
                }
            }

            void Misuser(int id)
            {
                var old = new List<LoopHandle<int>>();
                for (var i = 0; i < PerThread; i++)
                {
                    var h = loop.Run(-1 - i, s => s);
                    switch (i % 3)
                    {
                        case 0:
                            // Consumed twice.
                            h.GetResult(Generous);
                            Expect<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero), problems, "second GetResult");
                            break;
                        case 1:
                            // Preserve after the await owns it: rejected, and the await still completes.
                            var task = h.AsTask();
                            Expect<InvalidOperationException>(() => h.Preserve(), problems, "Preserve after AsTask");
                            Expect<InvalidOperationException>(() => h.OnCompleted(_ => { }), problems, "OnCompleted after AsTask");
                            if (!task.Wait(Generous) || task.Result != -1 - i)
                            {
                                problems.Enqueue("misuser: the owning AsTask was disturbed");
                            }

                            break;
                        default:
                            h.GetResult(Generous);
                            break;
                    }

                    // Stale reads and cancels on handles consumed long ago (their sources serve other submissions now).
                    old.Add(h);
                    var stale = old[(i * 7) % old.Count];
                    if (stale.Cancel())
                    {
                        Interlocked.Increment(ref staleCancels);
                    }

                    _ = stale.Status;
                    if (!stale.IsCompleted)
                    {
                        problems.Enqueue("misuser: a consumed handle reported not completed");
                    }

                    Expect<InvalidOperationException>(() => stale.GetResult(TimeSpan.Zero), problems, "stale GetResult");
                }
            }

            // Two threads racing GetResult on the same handle, item after item: exactly one wins each time.
            var shared = default(LoopHandle<int>);
            using var barrier = new Barrier(2);
            void Racer(bool submitter)
            {
                for (var i = 0; i < PerThread / 3; i++)
                {
                    if (submitter)
                    {
                        shared = loop.Run(i, s => s);
                    }

                    barrier.SignalAndWait();
                    var h = shared;
                    try
                    {
                        var v = h.GetResult(Generous);
                        Interlocked.Increment(ref raceWinners);
                        if (v != i)
                        {
                            problems.Enqueue($"racer: got {v}, expected {i}");
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        Interlocked.Increment(ref raceLosers);
                    }

                    barrier.SignalAndWait();
                }
            }

            var workers = new List<Thread>();
            var failures = new ConcurrentQueue<Exception>();
            void Start(Action body)
            {
                var t = new Thread(() =>
                {
                    try
                    {
                        body();
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue(ex);
                    }
                }) { IsBackground = true };
                workers.Add(t);
                t.Start();
            }

            Start(() => Correct(1));
            Start(() => Correct(2));
            Start(() => Misuser(1));
            Start(() => Misuser(2));
            Start(() => Racer(true));
            Start(() => Racer(false));

            var guard = System.Diagnostics.Stopwatch.StartNew();
            while (workers.Exists(t => t.IsAlive) || Volatile.Read(ref callbacksRun) < Volatile.Read(ref callbacksExpected))
            {
                Assert.That(guard.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "hang guard: the stress run did not finish");
                loop.Tick();
                Thread.Yield();
            }

            Assert.That(failures, Is.Empty);
            Assert.That(problems, Is.Empty);
            Assert.That(unhandled, Is.Empty);
            Assert.That(correctDone, Is.EqualTo(2 * PerThread));
            Assert.That(callbacksRun, Is.EqualTo(callbacksExpected));
            Assert.That(raceWinners, Is.EqualTo(PerThread / 3), "exactly one racer wins each handle");
            Assert.That(raceLosers, Is.EqualTo(PerThread / 3), "the other racer is rejected each time");
            Assert.That(staleCancels, Is.EqualTo(0), "a stale Cancel() never cancels anything");
            Assert.That(loop.Statistics.Canceled, Is.EqualTo(0));
            Assert.That(loop.Statistics.Faulted, Is.EqualTo(0));
        }

        private static void Expect<TException>(Action action, ConcurrentQueue<string> problems, string what)
            where TException : Exception
        {
            try
            {
                action();
                problems.Enqueue($"{what}: no exception");
            }
            catch (TException)
            {
            }
            catch (Exception ex)
            {
                problems.Enqueue($"{what}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
