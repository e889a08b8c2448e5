using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// The close contract at its edges (issue 10): bounded drains, durations up to TimeSpan.MaxValue, the tick gate,
    /// reasons, the outcome of work failed by a close, what is reported, and statistics that add up. Time is the
    /// loop's ManualClock; a test that could hang on a broken close runs its own main thread with a 30 s guard.
    /// </summary>
    public sealed class CloseContractTests : LoopTestBase
    {
        private static readonly TimeSpan Grace = MainLoopOptions.DefaultCloseGracePeriod;

        /// <summary>
        /// Runs <paramref name="body"/> on a new thread that is the main thread of a fresh loop (ManualClock, the given
        /// grace period), and fails if it does not finish within 30 s (a hang guard, not a speed check).
        /// </summary>
        private static void OnOwnMainThread(TimeSpan grace, Action<MainLoop, ManualClock, ConcurrentQueue<Exception>> body)
        {
            Exception failure = null;
            var thread = new Thread(() =>
            {
                var clock = new ManualClock();
                var reported = new ConcurrentQueue<Exception>();
                var loop = new MainLoop(new MainLoopOptions { Clock = clock, CloseGracePeriod = grace, Name = "own" });
                loop.UnhandledException += reported.Enqueue;
                try
                {
                    body(loop, clock, reported);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            }) { IsBackground = true };
            thread.Start();
            Assert.That(thread.Join(30000), Is.True, "the close did not return (hang guard: 30 s)");
            if (failure != null)
            {
                throw new AssertionException("on the loop's main thread: " + failure);
            }
        }

        /// <summary>Async work that ignores its token and re-posts itself forever; advances the clock by <paramref name="advance"/> after 1,000 rounds.</summary>
        private static LoopHandle StartRepostingForever(MainLoop loop, ManualClock clock, TimeSpan advance, Func<int> rounds, Action<int> setRounds)
        {
            var h = loop.RunAsync(async ct =>
            {
                while (true)
                {
                    setRounds(rounds() + 1);
                    if (rounds() == 1000)
                    {
                        clock.Advance(advance);
                    }

                    await Task.Yield();
                }
            });
            loop.Tick();
            Assert.That(h.IsCompleted, Is.False);
            return h;
        }

        // ---- finding 1: a close's drain is a snapshot, its deadline checked between entries ----

        [Test]
        public void Close_OnMainThread_WorkRepostingItselfForever_CloseEndsAtTheDeadline()
        {
            OnOwnMainThread(Grace, (loop, clock, reported) =>
            {
                var rounds = 0;
                var h = StartRepostingForever(loop, clock, Grace, () => rounds, v => rounds = v);
                loop.Close(CloseReason.ExitingPlayMode);
                Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
                Assert.That(rounds, Is.GreaterThanOrEqualTo(1000), "its continuations ran on the main thread during the grace period");
                Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
                Assert.That(reported.Any(e => e.Message.Contains("grace period")), Is.True, "the work still running was reported");
            });
        }

        [Test]
        public void Close_InsideAWorkItem_WorkRepostingItselfForever_TheTickEndsAtTheDeadline()
        {
            OnOwnMainThread(Grace, (loop, clock, reported) =>
            {
                var rounds = 0;
                var h = StartRepostingForever(loop, clock, Grace, () => rounds, v => rounds = v);
                var closer = loop.Run(() => loop.Close(CloseReason.Disposed));
                loop.Tick();
                Assert.That(closer.Status, Is.EqualTo(UniTaskStatus.Succeeded));
                Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
                Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            });
        }

        [Test]
        public void Close_WithZeroGrace_WorkRepostingItselfForever_ClosesAtOnce_AndReportsTheContinuation()
        {
            OnOwnMainThread(TimeSpan.Zero, (loop, clock, reported) =>
            {
                var rounds = 0;
                var h = StartRepostingForever(loop, clock, TimeSpan.Zero, () => rounds, v => rounds = v);
                var before = rounds;
                loop.Close(CloseReason.Disposed);
                Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
                Assert.That(rounds, Is.EqualTo(before), "no grace period: nothing of the started work ran during the close");
                Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
                Assert.That(loop.Statistics.DroppedContinuations, Is.EqualTo(1));
                Assert.That(reported.Any(e => e.Message.Contains("CloseGracePeriod is zero")), Is.True);
            });
        }

        // ---- finding 2: durations are honoured up to TimeSpan.MaxValue, or rejected naming the limit ----

        [Test]
        public void CloseGracePeriod_ThirtyDays_IsHonouredExactly()
        {
            OnOwnMainThread(TimeSpan.FromDays(30), (loop, clock, reported) =>
            {
                var release = new TaskCompletionSource<bool>();
                var h = loop.RunAsync(async ct => { await release.Task; });
                loop.Tick();
                var seenAt29Days = UniTaskStatus.Succeeded;
                var stateAt29Days = LoopState.Open;
                var closing = new ManualResetEventSlim();
                loop.Closing.Register(closing.Set);
                var advancer = new Thread(() =>
                {
                    closing.Wait();
                    clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromTicks(1));
                    seenAt29Days = h.Status;
                    stateAt29Days = loop.State;
                    clock.Advance(TimeSpan.FromTicks(1));
                }) { IsBackground = true };
                advancer.Start();
                loop.Close(CloseReason.EngineShutdown);
                Assert.That(advancer.Join(10000), Is.True);
                Assert.That(seenAt29Days, Is.EqualTo(UniTaskStatus.Pending), "one tick before the deadline the work was still given its grace");
                Assert.That(stateAt29Days, Is.EqualTo(LoopState.Closing));
                Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
                Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            });
        }

        [Test]
        public void CloseGracePeriod_MaxValue_WaitsUntilTheWorkEnds_FinallyOnTheMainThread()
        {
            OnOwnMainThread(TimeSpan.MaxValue, (loop, clock, reported) =>
            {
                var mainThread = Thread.CurrentThread.ManagedThreadId;
                var finallyOn = -1;
                var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var h = loop.RunAsync(async ct =>
                {
                    try
                    {
                        await release.Task;
                    }
                    finally
                    {
                        finallyOn = Thread.CurrentThread.ManagedThreadId;
                    }
                });
                loop.Tick();
                loop.Closing.Register(() => Task.Run(() => release.SetResult(true)));
                clock.Advance(TimeSpan.FromDays(365 * 1000));
                loop.Close(CloseReason.EngineShutdown);
                Assert.That(finallyOn, Is.EqualTo(mainThread));
                Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Succeeded), "the work ended by itself within an unlimited grace period");
            });
        }

        [Test]
        public void TickBudget_MaxValue_IsNoLimit_EveryQueuedItemRunsInOneTick()
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Loop.TickBudget = TimeSpan.MaxValue;
            for (var i = 0; i < 10; i++)
            {
                Loop.Run(() => Clock.Advance(TimeSpan.FromDays(1)));
            }

            var tick = Loop.Tick();
            Assert.That(tick.ItemsRun, Is.EqualTo(10));
            Assert.That(tick.BudgetExhausted, Is.False);
        }

        [Test]
        public void Durations_Negative_AreRejected_NamingTheLimit()
        {
            var options = new MainLoopOptions();
            var grace = Assert.Throws<ArgumentOutOfRangeException>(() => options.CloseGracePeriod = TimeSpan.FromTicks(-1));
            Assert.That(grace.Message, Does.Contain("TimeSpan.MaxValue").And.Contain("CloseGracePeriod"));
            var budget = Assert.Throws<ArgumentOutOfRangeException>(() => options.TickBudget = TimeSpan.FromMilliseconds(-1));
            Assert.That(budget.Message, Does.Contain("TimeSpan.MaxValue").And.Contain("TickBudget"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Loop.TickBudget = TimeSpan.MinValue);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxItemsPerTick = -1);
            Assert.DoesNotThrow(() => options.CloseGracePeriod = TimeSpan.MaxValue);
            Assert.DoesNotThrow(() => options.TickBudget = TimeSpan.MaxValue);
        }

        [Test]
        public void ManualClock_CannotOverflow()
        {
            Clock.Advance(TimeSpan.MaxValue);
            Assert.Throws<ArgumentOutOfRangeException>(() => Clock.Advance(TimeSpan.FromTicks(1)));
            Assert.That(Clock.NowTicks, Is.EqualTo(TimeSpan.MaxValue.Ticks));
        }

        // ---- finding 8: everything failed by a close carries LoopClosedException(reason) ----

        [Test]
        public void Close_OnMainThread_RunAsyncEndingWithItsToken_FailsWithLoopClosed_CountedAsFailedByClose()
        {
            var h = Loop.RunAsync(async ct => await Task.Delay(Timeout.Infinite, ct));
            Loop.Tick();
            Loop.Close(CloseReason.ExitingPlayMode);
            var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(ex.InnerException, Is.InstanceOf<OperationCanceledException>(), "the work's own cancellation is kept inside");
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(1));
            Assert.That(Loop.Statistics.Canceled, Is.EqualTo(0));
        }

        [Test]
        public void Close_OnMainThread_OffloadedWorkStoppedByTheClose_FailsWithLoopClosed()
        {
            var started = new ManualResetEventSlim();
            var h = Loop.Offload(ct =>
            {
                started.Set();
                ct.WaitHandle.WaitOne();
                ct.ThrowIfCancellationRequested();
                return 1;
            });
            Loop.Tick();
            Assert.That(started.Wait(10000), Is.True);
            Loop.Close(CloseReason.DomainReload);
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(1));
            Assert.That(Loop.Statistics.Canceled, Is.EqualTo(0));
        }

        [Test]
        public void CancelledByItsOwnHandle_WhileTheLoopCloses_StaysCancelled_NotFailedByClose()
        {
            var h = Loop.RunAsync(async ct => await Task.Delay(Timeout.Infinite, ct));
            Loop.Tick();
            h.Cancel();
            Loop.Close(CloseReason.Disposed);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(Loop.Statistics.Canceled + Loop.Statistics.FailedByClose, Is.EqualTo(1));
        }

        // ---- finding 9: a clock that throws does not wedge the loop ----

        private sealed class ThrowingClock : LoopClock
        {
            internal int ThrowOnRead = -1;
            private int reads;

            /// <summary>The next read throws (reads made while the loop was built do not count).</summary>
            internal void ThrowOnNextRead() => ThrowOnRead = Volatile.Read(ref reads) + 1;

            public override long NowTicks
            {
                get
                {
                    if (Interlocked.Increment(ref reads) == ThrowOnRead)
                    {
                        throw new InvalidOperationException("clock failure");
                    }

                    return 0;
                }
            }
        }

        [Test]
        public void Tick_ClockThrowsOnce_TheTickFails_TheNextTickRuns_CloseFinishes()
        {
            var clock = new ThrowingClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock, CloseGracePeriod = TimeSpan.Zero });
            var first = loop.Run(() => 1);
            clock.ThrowOnNextRead();
            Assert.Throws<InvalidOperationException>(() => loop.Tick());
            Assert.That(loop.Tick().ItemsRun, Is.EqualTo(1), "the next tick runs normally");
            Assert.That(first.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            var second = loop.Run(() => 2);
            loop.Close(CloseReason.Disposed);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.Throws<LoopClosedException>(() => second.GetResult(TimeSpan.Zero));
        }

        // ---- finding 10: an undefined reason is rejected ----

        [Test]
        public void Close_UndefinedReason_Throws_AndTheLoopStaysOpen()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Loop.Close((CloseReason)42));
            Assert.Throws<ArgumentOutOfRangeException>(() => Loop.Close((CloseReason)(-1)));
            Assert.That(Loop.IsOpen, Is.True);
            Assert.That(Loop.ClosedBecause, Is.Null);
        }

        // ---- finding 12: work past the grace period; the reports say what happened ----

        [Test]
        public void Close_OnMainThread_WorkPastTheGracePeriod_IsFailed_ReportsSayTheGracePeriodEnded()
        {
            var release = new TaskCompletionSource<bool>();
            var finallyRan = false;
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await release.Task;
                }
                finally
                {
                    finallyRan = true;
                }
            });
            Loop.Tick();
            Loop.Closing.Register(() => Clock.Advance(Grace));
            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            var failed = TakeUnhandled().Single();
            Assert.That(failed.Message, Does.Contain("grace period (100 ms) ended with 1 async work item(s) still running"));

            release.SetResult(true); // the continuation arrives after the close: reported, not run
            Assert.That(finallyRan, Is.False);
            Assert.That(Loop.Statistics.DroppedContinuations, Is.EqualTo(1));
            var late = TakeUnhandled().Single();
            Assert.That(late.Message, Does.Contain("after the close's grace period (100 ms) had ended"));
            Assert.That(late.Message, Does.Not.Contain("Close the loop on its main thread"), "it was closed on its main thread");
        }

        // ---- finding 14: statistics add up, even mid-tick ----

        [Test]
        public void Statistics_ReadMidTick_NeverShowMoreCompletedThanRun()
        {
            var violations = 0;
            for (var i = 0; i < 100; i++)
            {
                Loop.Run(() =>
                {
                    var s = Loop.Statistics;
                    if (s.Succeeded + s.Faulted > s.ItemsRun)
                    {
                        violations++;
                    }
                });
            }

            Loop.Tick();
            Assert.That(violations, Is.EqualTo(0));
            Assert.That(Loop.Statistics.ItemsRun, Is.EqualTo(100));
            Assert.That(Loop.Statistics.Succeeded, Is.EqualTo(100));
        }

        // ---- issue 13: API tidy-up ----

        [Test]
        public void ClosedBecause_IsNullWhileOpen_ThenTheFirstReason()
        {
            Assert.That(Loop.ClosedBecause, Is.Null);
            Loop.Close(CloseReason.DomainReload);
            Loop.Close(CloseReason.Disposed);
            Assert.That(Loop.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
        }

        [Test]
        public void TickResult_HasNoPublicConstructor()
        {
            Assert.That(typeof(TickResult).GetConstructors(), Is.Empty);
        }

        [Test]
        public void GetPendingHandles_WithoutTracking_Throws_SayingHowToTrack()
        {
            var ex = Assert.Throws<InvalidOperationException>(() => Loop.GetPendingHandles());
            Assert.That(ex.Message, Does.Contain("TrackHandles"));
        }
    }
}
