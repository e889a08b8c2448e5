using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    public sealed class CloseTests : LoopTestBase
    {
        [Test]
        public void Close_With1000Queued_NoneRun_AllFailWithReason_CallbacksRan()
        {
            var ran = 0;
            var callbacks = 0;
            var handles = new LoopHandle<int>[1000];
            for (var i = 0; i < handles.Length; i++)
            {
                handles[i] = Loop.Run(i, v => { ran++; return v; }).Preserve();
                handles[i].OnCompleted(o =>
                {
                    Assert.That(o.IsClosed, Is.True);
                    callbacks++;
                });
            }

            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.That(ran, Is.EqualTo(0));
            Assert.That(callbacks, Is.EqualTo(1000));
            foreach (var h in handles)
            {
                Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
                var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
                Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
                Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
            }

            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(1000));
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed));
            Loop.Tick();
            Assert.That(ran, Is.EqualTo(0), "a tick after close runs nothing");
        }

        [Test]
        public void Submit_AfterClose_FailsHandleWithLoopClosed_NothingQueued()
        {
            Loop.Close(CloseReason.EngineShutdown);
            var h = Loop.Run(() => 1);
            var a = Loop.RunAsync(ct => UniTask.CompletedTask);
            Assert.That(Loop.QueueDepth, Is.EqualTo(0));
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.Throws<LoopClosedException>(() => a.GetResult(TimeSpan.Zero));
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(2));
        }

        [Test]
        public void Close_IsIdempotent_FirstReasonWins()
        {
            var closed = new List<CloseReason>();
            Loop.Closed += (_, r) => closed.Add(r);
            Loop.Close(CloseReason.DomainReload);
            Loop.Close(CloseReason.EngineShutdown);
            Loop.Dispose();
            Assert.That(Loop.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(closed, Is.EqualTo(new[] { CloseReason.DomainReload }));
            Assert.That(Loop.WhenClosed.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(Loop.Closing.IsCancellationRequested, Is.True);
        }

        [Test]
        public void Close_FromInsideWorkItem_StopsTheTick_RestFails()
        {
            var ranAfter = false;
            var first = Loop.Run(() => { Loop.Close(CloseReason.Disposed); return 1; });
            var second = Loop.Run(() => ranAfter = true);
            var tick = Loop.Tick();
            Assert.That(tick.ItemsRun, Is.EqualTo(1));
            Assert.That(first.GetResult(TimeSpan.Zero), Is.EqualTo(1), "the item that closed completes with its own result");
            Assert.That(ranAfter, Is.False);
            Assert.Throws<LoopClosedException>(() => second.GetResult(TimeSpan.Zero));
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed));
        }

        [Test]
        public void Close_FromWorkerDuringTick_NothingStartsAfterIt_TheTickFinishesTheClose()
        {
            var inItem = new ManualResetEventSlim();
            var closingStarted = new ManualResetEventSlim();
            Loop.Closing.Register(() => closingStarted.Set());
            var laterRan = false;
            var first = Loop.Run(() =>
            {
                inItem.Set();
                Assert.That(closingStarted.Wait(10000), Is.True);
                return 1;
            });
            var later = Loop.Run(() => laterRan = true);
            var closedOn = -1;
            Loop.Closed += (_, _) => closedOn = Thread.CurrentThread.ManagedThreadId;
            var worker = new Thread(() =>
            {
                inItem.Wait();
                Loop.Close(CloseReason.EngineShutdown); // waits for the main thread's tick to finish the close
            }) { IsBackground = true };
            worker.Start();
            Loop.Tick();
            Assert.That(worker.Join(10000), Is.True);
            Assert.That(first.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            Assert.That(laterRan, Is.False);
            Assert.Throws<LoopClosedException>(() => later.GetResult(TimeSpan.Zero));
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(closedOn, Is.EqualTo(Thread.CurrentThread.ManagedThreadId), "the tick (main thread) finished the close");
        }

        [Test]
        public void Close_WhileAsyncWorkAwaits_FinallyRunsWithinGracePeriod_OnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var finallyOn = -1;
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    finallyOn = Thread.CurrentThread.ManagedThreadId;
                }
            });
            Loop.Tick();
            Assert.That(h.IsCompleted, Is.False);
            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.That(finallyOn, Is.EqualTo(mainId), "the finally block ran on the main thread during the grace period");
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(Loop.Statistics.FailedByClose + Loop.Statistics.Canceled, Is.EqualTo(1));
        }

        [Test]
        public void Close_AsyncWorkIgnoringCancellation_IsFailedAfterGrace()
        {
            var release = new TaskCompletionSource<bool>();
            var h = Loop.RunAsync(async ct => { await release.Task; });
            Loop.Tick();

            // The grace period is measured with the loop's (manual) clock: it ends when the clock passes it.
            Loop.Closing.Register(() => Clock.Advance(MainLoopOptions.DefaultCloseGracePeriod));
            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(Loop.Statistics.RunningAsync, Is.EqualTo(0));
            release.SetResult(true); // the late completion must not complete the handle a second time
            Assert.That(Loop.Statistics.Completed, Is.EqualTo(1));
        }

        [Test]
        public void Close_WakesBlockedWorkersPromptly()
        {
            const int Workers = 8;
            var handles = new LoopHandle<int>[Workers];
            var woke = new CountdownEvent(Workers);
            var results = new Exception[Workers];
            var blocked = new CountdownEvent(Workers);
            var wakeTimes = new long[Workers];
            for (var i = 0; i < Workers; i++)
            {
                handles[i] = Loop.Run(() => 1);
                var index = i;
                new Thread(() =>
                {
                    blocked.Signal();
                    try
                    {
                        handles[index].GetResult(TimeSpan.FromSeconds(30));
                    }
                    catch (Exception ex)
                    {
                        results[index] = ex;
                    }

                    wakeTimes[index] = System.Diagnostics.Stopwatch.GetTimestamp();
                    woke.Signal();
                }) { IsBackground = true }.Start();
            }

            Assert.That(blocked.Wait(10000), Is.True);
            Thread.Sleep(20); // let them actually block in the wait
            var closedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            Loop.Close(CloseReason.DomainReload);
            Assert.That(woke.Wait(10000), Is.True, "all blocked workers woke");
            foreach (var ex in results)
            {
                Assert.That(ex, Is.TypeOf<LoopClosedException>());
            }

            var slowestMs = 0.0;
            foreach (var t in wakeTimes)
            {
                slowestMs = Math.Max(slowestMs, (t - closedAt) * 1000.0 / System.Diagnostics.Stopwatch.Frequency);
            }

            Assert.That(slowestMs, Is.LessThan(100), "woken by the close, not by their 30 s timeout");
        }

        [Test]
        public void Close_FromWorkerWhileNobodyTicks_WorkerFinishesAfterGrace_CallbackRunsOnClosingThread()
        {
            var callbackThread = -1;
            var h = Loop.Run(() => 1);
            h.OnCompleted(_ => callbackThread = Thread.CurrentThread.ManagedThreadId);
            var closingStarted = new ManualResetEventSlim();
            Loop.Closing.Register(() => closingStarted.Set());
            var closer = -1;
            var worker = new Thread(() =>
            {
                closer = Thread.CurrentThread.ManagedThreadId;
                Loop.Close(CloseReason.Disposed);
            }) { IsBackground = true };
            worker.Start();
            Assert.That(closingStarted.Wait(10000), Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled), "queued work fails at once, on the closing thread");

            // The main thread does not tick: once the grace period has passed (by the loop's clock), the worker finishes.
            Clock.Advance(MainLoopOptions.DefaultCloseGracePeriod);
            Assert.That(worker.Join(10000), Is.True);
            Assert.That(callbackThread, Is.EqualTo(closer), "a completion callback still delivers its outcome");
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed));
        }

        [Test]
        public void Close_OnMainThread_MainThreadAwaiterResumesWithLoopClosed()
        {
            Exception seen = null;
            var h = Loop.Run(() => 1);
            async UniTaskVoid AwaitIt()
            {
                try
                {
                    await h;
                }
                catch (Exception ex)
                {
                    seen = ex;
                }
            }

            AwaitIt().Forget();
            Loop.Close(CloseReason.EngineShutdown);
            Assert.That(seen, Is.TypeOf<LoopClosedException>());
        }

        [Test]
        public void WhenClosed_AndClosedEvent_FireOnceAfterEverythingCompleted()
        {
            var h = Loop.Run(() => 1);
            var statusAtEvent = UniTaskStatus.Pending;
            var stateAtEvent = LoopState.Open;
            Loop.Closed += (l, r) => { statusAtEvent = h.Status; stateAtEvent = l.State; };
            Loop.Close(CloseReason.Disposed);
            Assert.That(statusAtEvent, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(stateAtEvent, Is.EqualTo(LoopState.Closed));
        }

        [Test]
        public void ClosedLoop_IsCollectable()
        {
            var weak = CreateUseAndCloseLoop();
            for (var i = 0; i < 5 && weak.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.That(weak.IsAlive, Is.False, "a closed loop must hold no static subscription, thread or timer that keeps it alive");
        }

        private static WeakReference CreateUseAndCloseLoop()
        {
            var loop = new MainLoop();
            using var cts = new CancellationTokenSource();
            var pending = loop.Run(() => 2, cts.Token);
            loop.Tick();
            var asyncWork = loop.RunAsync(async ct => await loop.NextFrame());
            loop.Tick();
            loop.Run(() => 3);
            loop.Dispose();
            Assert.That(pending.GetResult(TimeSpan.Zero), Is.EqualTo(2));
            Assert.That(asyncWork.Status, Is.Not.EqualTo(UniTaskStatus.Pending));
            return new WeakReference(loop);
        }

        [Test]
        public void TrackHandles_NoPendingHandles_NamesWhatIsPending()
        {
            using var loop = new MainLoop(new MainLoopOptions { TrackHandles = true, Name = "tracked" });
            LoopAssert.NoPendingHandles(loop);
            loop.Run(SomeNamedWork);
            var ex = Assert.Throws<LoopAssertionException>(() => LoopAssert.NoPendingHandles(loop));
            Assert.That(ex.Message, Does.Contain("1 pending").And.Contain(nameof(SomeNamedWork)).And.Contain(nameof(TrackHandles_NoPendingHandles_NamesWhatIsPending)));
            loop.Tick();
            LoopAssert.NoPendingHandles(loop);
        }

        [Test]
        public void NoPendingHandles_WithoutTracking_StillFailsAndSaysHowToGetCallSites()
        {
            Loop.Run(() => 1);
            var ex = Assert.Throws<LoopAssertionException>(() => LoopAssert.NoPendingHandles(Loop));
            Assert.That(ex.Message, Does.Contain("TrackHandles"));
            Loop.Tick();
            LoopAssert.NoPendingHandles(Loop);
        }

        [Test]
        public void TickUntil_FailureMessageSaysWhat()
        {
            var ex = Assert.Throws<LoopAssertionException>(() => LoopAssert.TickUntil(Loop, () => false, 3, "the door opened"));
            Assert.That(ex.Message, Does.Contain("the door opened").And.Contain("3 ticks"));
        }

        private static int SomeNamedWork() => 5;
    }
}
