using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Concurrency claims, proven by counting: producers submit every kind of work while the main thread ticks, and
    /// every submission is accounted for exactly once (ran, faulted, cancelled), none missing, none twice.
    /// Bounded in count and time; no timing assertions.
    /// </summary>
    [NonParallelizable]
    [Category("Stress")]
    public sealed class StressTests
    {
        private const int Producers = 4;
        private const int PerKind = 50_000;
        private const int Kinds = 5; // Run(Action), Run(Func), Run(state, Func), RunAsync, Post

        [Test]
        public void FourProducers_EveryKind_EveryHandleAccountedExactlyOnce()
        {
            const int PerProducer = PerKind * Kinds;
            const int Total = Producers * PerProducer;
            using var loop = new MainLoop();
            var unhandled = 0;
            loop.UnhandledException += _ => Interlocked.Increment(ref unhandled);

            var ran = new byte[Total];            // set by the work itself (main thread)
            var completions = new int[Total];     // callbacks per submission: must end at exactly 1
            var outcome = new byte[Total];        // 1 succeeded, 2 faulted, 3 canceled
            var wrongValue = 0;
            var postRuns = 0;
            var expectedCallbacks = Producers * PerKind * (Kinds - 1);
            var callbacks = 0;
            var postsExpected = Producers * PerKind;
            var postExceptions = 0;
            Exception producerFailure = null;

            void Record(int id, UniTaskStatus status)
            {
                Interlocked.Increment(ref completions[id]);
                outcome[id] = (byte)status;
                Interlocked.Increment(ref callbacks);
            }

            // Cancels the handle if the plan says so, and checks its value when it succeeds.
            void Track<T>(LoopHandle<T> h, int id, T expected, bool cancels)
            {
                if (cancels)
                {
                    h.Cancel();
                }

                h.OnCompleted(o =>
                {
                    if (o.IsSucceeded && !EqualityComparer<T>.Default.Equals(o.Result, expected))
                    {
                        Interlocked.Increment(ref wrongValue);
                    }

                    Record(id, o.Status);
                });
            }

            var threads = new Thread[Producers];
            for (var p = 0; p < Producers; p++)
            {
                var producer = p;
                threads[p] = new Thread(() =>
                {
                    try
                    {
                        for (var n = 0; n < PerProducer; n++)
                        {
                            var id = producer * PerProducer + n;
                            var faults = id % 11 == 0;
                            var cancels = id % 7 == 0;
                            switch (n % Kinds)
                            {
                                case 0:
                                {
                                    var h = loop.Run(() =>
                                    {
                                        ran[id] = 1;
                                        if (faults)
                                        {
                                            throw new InvalidOperationException("planned");
                                        }
                                    });
                                    if (cancels)
                                    {
                                        h.Cancel();
                                    }

                                    h.OnCompleted(o => Record(id, o.Status));
                                    break;
                                }

                                case 1:
                                {
                                    var h = loop.Run(() =>
                                    {
                                        ran[id] = 1;
                                        return faults ? throw new InvalidOperationException("planned") : id;
                                    });
                                    Track(h, id, id, cancels);
                                    break;
                                }

                                case 2:
                                {
                                    var h = loop.Run(id, v =>
                                    {
                                        ran[v] = 1;
                                        return v % 11 == 0 ? throw new InvalidOperationException("planned") : v * 2L;
                                    });
                                    Track(h, id, id * 2L, cancels);
                                    break;
                                }

                                case 3:
                                {
                                    var h = loop.RunAsync(async ct =>
                                    {
                                        ran[id] = 1;
                                        if (id % 3 == 0)
                                        {
                                            await loop.NextFrame();
                                        }

                                        return faults ? throw new InvalidOperationException("planned") : id;
                                    });
                                    Track(h, id, id, cancels);
                                    break;
                                }

                                default:
                                    loop.Post(id, v =>
                                    {
                                        ran[v] = 1;
                                        Interlocked.Increment(ref postRuns);
                                        if (v % 11 == 0)
                                        {
                                            Interlocked.Increment(ref postExceptions);
                                            throw new InvalidOperationException("planned");
                                        }
                                    });
                                    break;
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        producerFailure = ex;
                    }
                }) { IsBackground = true, Name = "producer " + p };
            }

            foreach (var t in threads)
            {
                t.Start();
            }

            var watch = Stopwatch.StartNew();
            while (Volatile.Read(ref callbacks) < expectedCallbacks || Volatile.Read(ref postRuns) < postsExpected)
            {
                loop.Tick();
                if (producerFailure != null || watch.Elapsed > TimeSpan.FromMinutes(3)) // hang guard only
                {
                    break;
                }
            }

            foreach (var t in threads)
            {
                Assert.That(t.Join(10000), Is.True);
            }

            Assert.That(producerFailure, Is.Null);
            loop.Tick();
            Assert.That(callbacks, Is.EqualTo(expectedCallbacks), "every handle's callback ran");
            Assert.That(postRuns, Is.EqualTo(postsExpected), "every Post ran");
            Assert.That(wrongValue, Is.EqualTo(0));
            Assert.That(unhandled, Is.EqualTo(postExceptions), "each failing Post reported once");

            int succeeded = 0, faulted = 0, canceled = 0, missing = 0, twice = 0, inconsistent = 0;
            for (var id = 0; id < Total; id++)
            {
                if ((id % PerProducer) % Kinds == Kinds - 1)
                {
                    continue; // Post: no handle, counted above
                }

                if (completions[id] == 0)
                {
                    missing++;
                }
                else if (completions[id] > 1)
                {
                    twice++;
                }

                var isAsync = (id % PerProducer) % Kinds == 3;
                switch ((UniTaskStatus)outcome[id])
                {
                    case UniTaskStatus.Succeeded:
                        succeeded++;
                        inconsistent += ran[id] == 1 && id % 11 != 0 ? 0 : 1;
                        break;
                    case UniTaskStatus.Faulted:
                        faulted++;
                        inconsistent += ran[id] == 1 && id % 11 == 0 ? 0 : 1;
                        break;
                    case UniTaskStatus.Canceled:
                        canceled++;
                        // Sync work cancelled means it never ran; async work may be cancelled while running.
                        inconsistent += id % 7 == 0 && (ran[id] == 0 || isAsync) ? 0 : 1;
                        break;
                }
            }

            Assert.That(missing, Is.EqualTo(0), "handles never completed");
            Assert.That(twice, Is.EqualTo(0), "handles completed twice");
            Assert.That(inconsistent, Is.EqualTo(0), "outcomes that contradict what the work did");
            Assert.That(succeeded + faulted + canceled, Is.EqualTo(expectedCallbacks));
            Assert.That(canceled, Is.GreaterThan(0));
            // The loop's counters see every completion the core performs, a second one included, while the one
            // callback per handle above can only run once: so these equalities are what catches a double completion.
            var stats = loop.Statistics;
            Assert.That(stats.Completed, Is.EqualTo(expectedCallbacks + postsExpected), "completions counted by the loop = handles + posts: none completed twice");
            Assert.That(stats.Succeeded, Is.EqualTo(succeeded + postsExpected - postExceptions));
            Assert.That(stats.Faulted, Is.EqualTo(faulted + postExceptions));
            Assert.That(stats.Canceled, Is.EqualTo(canceled));
            Assert.That(stats.QueueDepth, Is.EqualTo(0));
        }
    }
}
