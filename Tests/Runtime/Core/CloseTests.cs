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
        public void Close_OnMainThread_GracePeriodRunsAContinuationThatArrivesDuringTheClose_FinallyOnMainThread()
        {
            // A grace period far longer than the work needs, so that only the work ending can end it in this test; it
            // runs on the system clock, so that even a broken close ends (and fails the test) instead of hanging.
            UseLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromSeconds(30) });
            var mainThread = Thread.CurrentThread;
            var late = new TaskCompletionSource<bool>();
            var finallyOn = -1;
            var statusAtClosed = UniTaskStatus.Pending;
            var finallyBeforeClosed = false;
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await late.Task; // ignores ct: it ends only when a worker completes this task
                }
                finally
                {
                    finallyOn = Thread.CurrentThread.ManagedThreadId;
                }
            });
            Loop.Closed += (l, r) => { finallyBeforeClosed = finallyOn != -1; };
            Loop.Tick();
            Assert.That(h.IsCompleted, Is.False);

            // The worker completes the task only once the close has begun and the main thread waits inside it (the
            // grace period): the continuation then arrives after the close's drain, so nothing but the grace period
            // can run it. Without a grace period, Close returns first, the test thread blocks in Join below, and the
            // continuation arrives at a closed loop: dropped, and the finally block never runs on the main thread.
            var completer = new Thread(() =>
            {
                var spinner = new SpinWait();
                while (Loop.State == LoopState.Open || (mainThread.ThreadState & ThreadState.WaitSleepJoin) == 0)
                {
                    spinner.SpinOnce();
                }

                late.SetResult(true);
            }) { IsBackground = true };
            completer.Start();

            Loop.Close(CloseReason.ExitingPlayMode);
            statusAtClosed = h.Status;
            Assert.That(completer.Join(30000), Is.True, "hang guard");
            Assert.That(finallyOn, Is.EqualTo(mainThread.ManagedThreadId), "the finally block ran on the main thread, within the close's grace period");
            Assert.That(statusAtClosed, Is.EqualTo(UniTaskStatus.Succeeded), "the work ended within the grace period with its own outcome");
            Assert.That(finallyBeforeClosed, Is.True, "Closed was raised after the running async work completed");
            Assert.That(Loop.Statistics.DroppedContinuations, Is.EqualTo(0));
        }

        [Test]
        public void Close_OnMainThread_ClosedAndWhenClosedFireAfterRunningAsyncWorkCompleted()
        {
            var events = new List<string>();
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await Loop.NextFrame();
                }
                finally
                {
                    events.Add("finally");
                }
            });
            h.OnCompleted(_ => events.Add("handle completed"));
            Loop.Closed += (l, r) => events.Add("Closed");
            async UniTaskVoid AwaitWhenClosed()
            {
                await Loop.WhenClosed;
                events.Add("WhenClosed");
            }

            AwaitWhenClosed().Forget();
            Loop.Tick();
            Assert.That(events, Is.Empty);
            Loop.Close(CloseReason.EngineShutdown);
            Assert.That(events, Is.EqualTo(new[] { "finally", "handle completed", "Closed", "WhenClosed" }));
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
            Assert.That(Loop.Statistics.DroppedContinuations, Is.EqualTo(1), "the late continuation is counted, not run");
            Assert.That(TakeUnhandled(), Has.Length.EqualTo(2), "the grace-period report and the late continuation's report");
        }

        [Test]
        public void Close_WakesEveryBlockedWorker_WithLoopClosed()
        {
            const int Workers = 8;
            var handles = new LoopHandle<int>[Workers];
            var woke = new CountdownEvent(Workers);
            var results = new Exception[Workers];
            var threads = new Thread[Workers];
            for (var i = 0; i < Workers; i++)
            {
                handles[i] = Loop.Run(() => 1);
                var index = i;
                threads[i] = new Thread(() =>
                {
                    try
                    {
                        // Far longer than the hang guard below: only the close can end this wait in time.
                        handles[index].GetResult(TimeSpan.FromMinutes(10));
                    }
                    catch (Exception ex)
                    {
                        results[index] = ex;
                    }

                    woke.Signal();
                }) { IsBackground = true };
                threads[i].Start();
            }

            Blocked.WaitUntil(Loop, Workers);
            Assert.That(woke.CurrentCount, Is.EqualTo(Workers), "nobody woke before the close");
            Loop.Close(CloseReason.DomainReload);
            Assert.That(woke.Wait(TimeSpan.FromSeconds(30)), Is.True, "every blocked worker was woken by the close (hang guard)");
            foreach (var ex in results)
            {
                Assert.That(ex, Is.TypeOf<LoopClosedException>());
                Assert.That(((LoopClosedException)ex).Reason, Is.EqualTo(CloseReason.DomainReload));
            }

            Assert.That(Loop.BlockedWaiterCount, Is.EqualTo(0));
        }

        [Test]
        public void Close_FromWorkerThread_QueuedWorksCallbackAndWorkerAwaitBothSeeLoopClosed_Once()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var forCallback = Loop.Run(() => 1);
            var forAwait = Loop.Run(() => 2);
            var callbackThread = -1;
            var callbacks = 0;
            LoopOutcome<int> seenByCallback = default;
            forCallback.OnCompleted(o =>
            {
                Interlocked.Increment(ref callbacks);
                seenByCallback = o;
                callbackThread = Thread.CurrentThread.ManagedThreadId;
            });

            // A worker (no SynchronizationContext) awaits the other handle: its continuation resumes on the thread pool.
            var awaitResumed = new ManualResetEventSlim();
            var resumes = 0;
            Exception seenByAwait = null;
            async Task AwaitOnWorker()
            {
                try
                {
                    await forAwait;
                }
                catch (Exception ex)
                {
                    seenByAwait = ex;
                }

                Interlocked.Increment(ref resumes);
                awaitResumed.Set();
            }

            Task awaiting = null;
            OnWorker(() => awaiting = AwaitOnWorker());
            Assert.That(awaiting.IsCompleted, Is.False, "the await is pending before the close");

            var closer = -1;
            var joinCloser = StartWorker(() =>
            {
                closer = Thread.CurrentThread.ManagedThreadId;
                Loop.Close(CloseReason.Disposed);
            });
            // Tick only once the close has started: a tick before it would run the queued work (a race lost on Mono).
            Assert.That(SpinWait.SpinUntil(() => Loop.State != LoopState.Open, 30000), Is.True, "the close started (hang guard)");
            // A close started elsewhere is finished by the main thread's next tick (the closing call waits for it).
            LoopAssert.TickUntil(Loop, () => Loop.State == LoopState.Closed, TimeSpan.FromSeconds(30), "the close finished");
            joinCloser();

            Assert.That(awaitResumed.Wait(TimeSpan.FromSeconds(30)), Is.True, "the worker's await resumed (hang guard)");
            Assert.That(seenByAwait, Is.TypeOf<LoopClosedException>());
            Assert.That(((LoopClosedException)seenByAwait).Reason, Is.EqualTo(CloseReason.Disposed));
            Assert.That(seenByCallback.IsClosed, Is.True);
            Assert.That(callbackThread, Is.EqualTo(closer).Or.EqualTo(mainId), "the callback ran on the closing thread or the main thread, never elsewhere");
            Loop.Tick();
            Assert.That(callbacks, Is.EqualTo(1));
            Assert.That(resumes, Is.EqualTo(1));
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(2));
        }

        [Test]
        public void Close_FromAnotherThread_FailsRunningAsyncWork_NothingLeftPending()
        {
            // System clock, short grace: whoever finishes the close is bounded by real time, not by this test.
            UseLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromMilliseconds(20) });
            var never = new TaskCompletionSource<bool>();
            var h = Loop.RunAsync(async ct => { await never.Task; }); // ignores its token
            Loop.Tick();
            Assert.That(Loop.Statistics.RunningAsync, Is.EqualTo(1));
            var statusAtClosed = UniTaskStatus.Pending;
            Loop.Closed += (l, r) => statusAtClosed = h.Status;

            var joinCloser = StartWorker(() => Loop.Close(CloseReason.DomainReload));
            LoopAssert.TickUntil(Loop, () => Loop.State == LoopState.Closed, TimeSpan.FromSeconds(30), "the close finished");
            joinCloser();

            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(statusAtClosed, Is.EqualTo(UniTaskStatus.Canceled), "Closed was raised after the running work was failed");
            var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(Loop.Statistics.RunningAsync, Is.EqualTo(0));
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(1));
            LoopAssert.NoPendingHandles(Loop);
            var reported = TakeUnhandled();
            Assert.That(reported, Has.Length.EqualTo(1), "the close reports the running work it had to fail");
            Assert.That(reported[0].Message, Does.Contain("still running"));
        }

        [Test]
        [Category("ExpectsCoreClose")]
        public void Close_FromAnotherThreadWhileTheMainThreadTicks_FinallyRunsOnTheMainThread()
        {
            // expects core-close semantics: a close started on another thread while the main thread still ticks is
            // finished by the main thread's next tick (bounded by the grace period), so finally runs on the main thread.
            UseLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromSeconds(30) });
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var finallyOn = -1;
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await Loop.NextFrame();
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    finallyOn = Thread.CurrentThread.ManagedThreadId;
                }
            });
            Loop.Tick();
            var joinCloser = StartWorker(() => Loop.Close(CloseReason.ExitingPlayMode));
            LoopAssert.TickUntil(Loop, () => Loop.State == LoopState.Closed, TimeSpan.FromSeconds(30), "the close finished");
            joinCloser();
            Assert.That(finallyOn, Is.EqualTo(mainId));
            Assert.That(h.IsCompleted, Is.True);
        }

        [Test]
        public void Close_FromAnotherThread_AwaitOnTheWorksToken_ResumesOnTheMainThread_NotOnTheClosingThread()
        {
            // Regression (Mono/.NET Framework): the work's Closing registration, made inside a tick, runs on the closing
            // thread in the ExecutionContext it captured, which carries the loop's SynchronizationContext; the await
            // below then resumed inline on the closing thread instead of being posted to the main thread.
            UseLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromSeconds(30) });
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
            var joinCloser = StartWorker(() => Loop.Close(CloseReason.ExitingPlayMode));
            Assert.That(SpinWait.SpinUntil(() => Loop.State != LoopState.Open, 30000), Is.True, "the close started (hang guard)");
            LoopAssert.TickUntil(Loop, () => Loop.State == LoopState.Closed, TimeSpan.FromSeconds(30), "the close finished");
            joinCloser();
            Assert.That(finallyOn, Is.EqualTo(mainId), "finally ran on the main thread");
            Assert.That(h.IsCompleted, Is.True);
        }

        [Test]
        public void Close_ThenAContinuationArrivesFromAWorker_IsDropped_CountedAndReported()
        {
            UseLoop(new MainLoopOptions { Clock = Clock, CloseGracePeriod = TimeSpan.Zero });
            var late = new TaskCompletionSource<bool>();
            var ranAfterTheAwait = false;
            var h = Loop.RunAsync(async ct =>
            {
                await late.Task; // ignores ct
                ranAfterTheAwait = true;
            });
            Loop.Tick();
            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(Loop.Statistics.DroppedContinuations, Is.EqualTo(0));
            var atClose = TakeUnhandled();
            Assert.That(atClose, Has.Length.EqualTo(1), "the close reports the work it had to fail");
            Assert.That(atClose[0].Message, Does.Contain("still running"));

            // The continuation is posted to the closed loop's context from a worker: it cannot run on the main thread
            // any more, and must not run on the worker behind the user's back.
            OnWorker(() => late.SetResult(true));

            Assert.That(ranAfterTheAwait, Is.False, "a dropped continuation never runs");
            Assert.That(Loop.Statistics.DroppedContinuations, Is.EqualTo(1), "counted");
            var reported = TakeUnhandled();
            Assert.That(reported, Has.Length.EqualTo(1), "reported once to UnhandledException");
            Assert.That(reported[0].Message, Does.Contain("did not run"));
        }

        [Test]
        public void Tick_OnAClosingLoop_StartsNothing()
        {
            var ran = false;
            var queued = Loop.Run(() => ran = true);
            TickResult? duringClose = null;
            LoopState stateThen = LoopState.Open;
            // Closing callbacks run inside Close, on the closing thread (here the main thread), while the loop is Closing.
            using var registration = Loop.Closing.Register(() =>
            {
                stateThen = Loop.State;
                duringClose = Loop.Tick();
            });
            Loop.Close(CloseReason.Disposed);
            Assert.That(stateThen, Is.EqualTo(LoopState.Closing));
            Assert.That(duringClose.HasValue, Is.True);
            Assert.That(duringClose.Value.ItemsRun, Is.EqualTo(0), "a tick on a closing loop runs nothing");
            Assert.That(ran, Is.False);
            Assert.Throws<LoopClosedException>(() => queued.GetResult(TimeSpan.Zero));
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(0), "nor on a closed one");
        }

        [Test]
        public void Cancel_OnRunningSyncWork_ReturnsFalse_AndTheWorkCompletesWithItsOwnResult()
        {
            var self = default(LoopHandle<int>);
            bool? cancelFromInside = null;
            self = Loop.Run(() =>
            {
                cancelFromInside = self.Cancel();
                return 5;
            });

            var inWork = new ManualResetEventSlim();
            var cancelled = new ManualResetEventSlim();
            var other = default(LoopHandle<int>);
            bool? cancelFromWorker = null;
            other = Loop.Run(() =>
            {
                inWork.Set();
                Assert.That(cancelled.Wait(TimeSpan.FromSeconds(30)), Is.True, "hang guard");
                return 6;
            });
            var worker = new Thread(() =>
            {
                inWork.Wait();
                cancelFromWorker = other.Cancel();
                cancelled.Set();
            }) { IsBackground = true };
            worker.Start();

            Loop.Tick();
            Assert.That(worker.Join(30000), Is.True, "hang guard");
            Assert.That(cancelFromInside, Is.False, "Cancel() on sync work that is running cannot interrupt it");
            Assert.That(cancelFromWorker, Is.False, "nor from another thread");
            Assert.That(self.GetResult(TimeSpan.Zero), Is.EqualTo(5));
            Assert.That(other.GetResult(TimeSpan.Zero), Is.EqualTo(6));
            Assert.That(Loop.Statistics.Canceled, Is.EqualTo(0));
            Assert.That(Loop.Statistics.Succeeded, Is.EqualTo(2));
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
            var closedEvents = 0;
            var whenClosedResumes = 0;
            var statusAtEvent = UniTaskStatus.Pending;
            var stateAtEvent = LoopState.Open;
            var statusAtWhenClosed = UniTaskStatus.Pending;
            Loop.Closed += (l, r) =>
            {
                closedEvents++;
                statusAtEvent = h.Status;
                stateAtEvent = l.State;
            };
            async UniTaskVoid AwaitWhenClosed()
            {
                await Loop.WhenClosed;
                whenClosedResumes++;
                statusAtWhenClosed = h.Status;
            }

            AwaitWhenClosed().Forget();
            Assert.That(Loop.WhenClosed.Status, Is.EqualTo(UniTaskStatus.Pending));
            Loop.Close(CloseReason.Disposed);
            Loop.Close(CloseReason.EngineShutdown);
            Loop.Dispose();
            Assert.That(closedEvents, Is.EqualTo(1), "Closed fires once, however often Close is called");
            Assert.That(whenClosedResumes, Is.EqualTo(1), "WhenClosed completes once");
            Assert.That(Loop.WhenClosed.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(statusAtEvent, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(statusAtWhenClosed, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(stateAtEvent, Is.EqualTo(LoopState.Closed));

            var lateSubscriber = 0;
            Loop.Closed += (l, r) => lateSubscriber++;
            Loop.Close(CloseReason.Disposed);
            Assert.That(lateSubscriber, Is.EqualTo(0), "a handler subscribed after the close is not called");
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

        private static int SomeNamedWork() => 5;
    }
}
