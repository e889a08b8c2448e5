using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Headless;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The close across threads (issue 10): which thread runs catch/finally, who finishes a close started on a worker,
    /// the tick gate against a concurrent bind, Closed only after the last handle, statistics read from a worker.
    /// Every wait is an explicit signal or the loop's ManualClock, bounded by generous hang guards.
    /// </summary>
    [NonParallelizable]
    public sealed class CloseThreadTests
    {
        private const int Guard = 30000;
        private static readonly TimeSpan Grace = MainLoopOptions.DefaultCloseGracePeriod;

        private static Thread Start(Action body, Action<Exception> onFailure = null)
        {
            var t = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    onFailure?.Invoke(ex);
                }
            }) { IsBackground = true };
            t.Start();
            return t;
        }

        // ---- finding 1: through the headless runner ----

        [Test]
        public void Runner_Stop_WithWorkRepostingItselfForever_FinishesAtTheGraceDeadline()
        {
            var clock = new ManualClock();
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions
            {
                AsFastAsPossible = true,
                LoopOptions = new MainLoopOptions { Clock = clock, CloseGracePeriod = Grace },
            });
            var loop = runner.Loop;
            var roundsWhileClosing = 0;
            var running = new ManualResetEventSlim();
            runner.Start();
            var h = loop.RunAsync(async ct =>
            {
                running.Set();
                while (true)
                {
                    if (loop.Closing.IsCancellationRequested && ++roundsWhileClosing == 1000)
                    {
                        clock.Advance(Grace);
                    }

                    await Task.Yield();
                }
            });
            Assert.That(running.Wait(Guard), Is.True);
            runner.Stop();
            Assert.That(runner.Join(TimeSpan.FromMilliseconds(Guard)), Is.True, "the runner's close never finished");
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(roundsWhileClosing, Is.GreaterThanOrEqualTo(1000));
            Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
        }

        // ---- finding 11: catch/finally run on the main thread, or not at all ----

        [Test]
        public void Close_FromWorker_WhileTheMainThreadTicks_CatchAndFinallyRunOnTheMainThread()
        {
            var clock = new ManualClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock });
            var main = Thread.CurrentThread.ManagedThreadId;
            var catchOn = -1;
            var finallyOn = -1;
            var h = loop.RunAsync(async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    catchOn = Thread.CurrentThread.ManagedThreadId;
                    throw;
                }
                finally
                {
                    finallyOn = Thread.CurrentThread.ManagedThreadId;
                }
            });
            loop.Tick();
            Exception closerFailure = null;
            var closer = Start(() => loop.Close(CloseReason.EngineShutdown), ex => closerFailure = ex);
            var deadline = Environment.TickCount64 + Guard;
            while (loop.State != LoopState.Closed && Environment.TickCount64 < deadline)
            {
                loop.Tick(); // the main thread keeps ticking, as a game does
                Thread.Yield();
            }

            Assert.That(closer.Join(Guard), Is.True);
            Assert.That(closerFailure, Is.Null);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(catchOn, Is.EqualTo(main), "catch ran on the main thread");
            Assert.That(finallyOn, Is.EqualTo(main), "finally ran on the main thread");
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.EngineShutdown));
        }

        [Test]
        public void Close_FromWorker_WhileNobodyTicks_WorkerFinishesAfterGrace_StartedCodeNeverRunsOnIt()
        {
            var clock = new ManualClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock, TrackHandles = true, Name = "untended" });
            var reported = new ConcurrentQueue<Exception>();
            loop.UnhandledException += reported.Enqueue;
            var ranOn = -1;
            var h = loop.RunAsync(async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    ranOn = Thread.CurrentThread.ManagedThreadId;
                }
            });
            loop.Tick();
            var closingStarted = new ManualResetEventSlim();
            loop.Closing.Register(closingStarted.Set);
            var closedOn = -1;
            loop.Closed += (_, _) => closedOn = Thread.CurrentThread.ManagedThreadId;
            var closerId = -1;
            var closer = Start(() =>
            {
                closerId = Thread.CurrentThread.ManagedThreadId;
                loop.Close(CloseReason.DomainReload);
            });
            Assert.That(closingStarted.Wait(Guard), Is.True);
            Assert.That(closer.IsAlive, Is.True, "the closer waits for the main thread during the grace period");
            clock.Advance(Grace); // the main thread never ticked within the grace period
            Assert.That(closer.Join(Guard), Is.True);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(closedOn, Is.EqualTo(closerId), "the closing thread finished the close");
            Assert.That(ranOn, Is.EqualTo(-1), "the finally block did not run on the closing thread (nor anywhere)");
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.DomainReload));
            var still = reported.First(e => e.Message.Contains("still running"));
            Assert.That(still.Message, Does.Contain("did not tick").And.Contain(nameof(Close_FromWorker_WhileNobodyTicks_WorkerFinishesAfterGrace_StartedCodeNeverRunsOnIt)),
                "the report names the work's call site");
            Assert.That(reported.Any(e => e.Message.Contains("did not run") && e.Message.Contains("did not tick")), Is.True,
                "the continuation that could not run on the main thread was reported");
            Assert.That(loop.Statistics.DroppedContinuations, Is.GreaterThanOrEqualTo(1));
        }

        [Test]
        public void Close_FromWorker_QueuedWorkFailsAtOnce_BlockedWorkerWakes_BeforeTheMainThreadFinishes()
        {
            var clock = new ManualClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock });
            var queued = loop.Run(() => 1);
            Exception seenByBlocked = null;
            var blocked = Start(() =>
            {
                try
                {
                    queued.GetResult(TimeSpan.FromMilliseconds(Guard));
                }
                catch (Exception ex)
                {
                    seenByBlocked = ex;
                }
            });
            var started = loop.RunAsync(async ct => await Task.Delay(Timeout.Infinite, ct));
            var closer = Start(() => loop.Close(CloseReason.Disposed));
            Assert.That(blocked.Join(Guard), Is.True, "the blocked worker woke while the close waited for the main thread");
            Assert.That(seenByBlocked, Is.TypeOf<LoopClosedException>());
            Assert.That(closer.IsAlive || loop.State == LoopState.Closing, Is.True);
            Assert.That(started.Status, Is.EqualTo(UniTaskStatus.Canceled), "never-started async work failed at once too");

            loop.Tick(); // the main thread finishes the close
            Assert.That(closer.Join(Guard), Is.True);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
        }

        // ---- finding 7: Closed fires only after the last handle completed ----

        [Test]
        public void Close_FromWorker_WhileMainRunsALongItem_ClosedFiresOnlyAfterItCompleted()
        {
            var clock = new ManualClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock, CloseGracePeriod = TimeSpan.Zero });
            var inItem = new ManualResetEventSlim();
            var closerReturned = new ManualResetEventSlim();
            var long1 = loop.Run(() =>
            {
                inItem.Set();
                Assert.That(closerReturned.Wait(Guard), Is.True, "with no grace period, the closer returns while the main thread is busy");
                return 1;
            });
            var statusAtClosed = UniTaskStatus.Pending;
            var closedOn = -1;
            loop.Closed += (_, _) =>
            {
                statusAtClosed = long1.Status;
                closedOn = Thread.CurrentThread.ManagedThreadId;
            };
            var closer = Start(() =>
            {
                inItem.Wait();
                loop.Close(CloseReason.EngineShutdown);
                closerReturned.Set();
            });
            loop.Tick();
            Assert.That(closer.Join(Guard), Is.True);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(statusAtClosed, Is.EqualTo(UniTaskStatus.Succeeded), "Closed was raised after the running item's handle completed");
            Assert.That(closedOn, Is.EqualTo(Thread.CurrentThread.ManagedThreadId), "the tick finished the close");
        }

        // ---- finding 6: the tick gate and the thread check are one step ----

        [Test]
        [Category("Stress")]
        public void BindAndTick_FromTwoThreads_NeverTwoTicksAtOnce_NeverWorkOffTheBoundThread()
        {
            var loop = new MainLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.Zero });
            var inside = 0;
            var overlaps = 0;
            var offThread = 0;
            var stop = 0;
            void Body()
            {
                var n = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    try
                    {
                        loop.BindToCurrentThread();
                    }
                    catch (InvalidOperationException)
                    {
                        // ticking elsewhere: the documented answer
                    }

                    for (var i = 0; i < 4; i++)
                    {
                        loop.TryPost(() =>
                        {
                            if (Interlocked.Increment(ref inside) != 1)
                            {
                                Interlocked.Increment(ref overlaps);
                            }

                            if (!loop.IsMainThread)
                            {
                                Interlocked.Increment(ref offThread);
                            }

                            Thread.SpinWait(1);
                            Interlocked.Decrement(ref inside);
                        });
                    }

                    try
                    {
                        loop.Tick();
                    }
                    catch (InvalidOperationException)
                    {
                        // not the main thread, or ticking elsewhere: the documented answer
                    }

                    if (++n == 200_000)
                    {
                        Volatile.Write(ref stop, 1);
                    }
                }
            }

            var a = Start(Body);
            var b = Start(Body);
            Assert.That(a.Join(60000) && b.Join(60000), Is.True);
            loop.BindToCurrentThread();
            loop.Dispose();
            Assert.That(overlaps, Is.EqualTo(0), "two ticks ran work at once");
            Assert.That(offThread, Is.EqualTo(0), "work ran off the loop's main thread");
        }

        // ---- finding 14: a worker reading mid-tick sees figures that add up ----

        [Test]
        public void Statistics_ReadFromAWorkerMidTick_AddUp()
        {
            var loop = new MainLoop();
            var ask = new AutoResetEvent(false);
            var answered = new AutoResetEvent(false);
            var violations = 0;
            var reads = 0;
            var done = false;
            var reader = Start(() =>
            {
                while (true)
                {
                    ask.WaitOne();
                    if (Volatile.Read(ref done))
                    {
                        return;
                    }

                    var s = loop.Statistics;
                    reads++;
                    if (s.Succeeded + s.Faulted > s.ItemsRun)
                    {
                        violations++;
                    }

                    answered.Set();
                }
            });
            for (var i = 0; i < 200; i++)
            {
                var index = i;
                loop.Run(() =>
                {
                    if (index % 20 == 19)
                    {
                        ask.Set();
                        Assert.That(answered.WaitOne(Guard), Is.True);
                    }

                    if (index % 2 == 0)
                    {
                        throw new InvalidOperationException("faulted on purpose");
                    }
                });
            }

            loop.Tick();
            Volatile.Write(ref done, true);
            ask.Set();
            Assert.That(reader.Join(Guard), Is.True);
            loop.Dispose();
            Assert.That(reads, Is.EqualTo(10));
            Assert.That(violations, Is.EqualTo(0));
        }
    }
}
