using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Headless;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The headless runner on real threads. No timing is asserted: frames, handles and state transitions are counted,
    /// and every wait is on a signal with a generous hang guard, so a slow machine makes these slower, not flaky.
    /// </summary>
    [TestFixture]
    [Timeout(60_000)]
    public sealed class HeadlessRunnerTests
    {
        static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

        [Test]
        public void Start_Paced_RunsItsFramesOnItsOwnThread_AndReportsFrameTimes()
        {
            // Structural facts only: how closely the frames follow the rate is the pacer's unit test (on a simulated
            // clock, FramePacerTests) and a measurement for Benchmarks~, never a timed assertion here.
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions { FrameRate = 200, MaxFrames = 10 });
            var threads = new HashSet<int>();
            runner.FrameStarted += r => threads.Add(Environment.CurrentManagedThreadId);
            runner.Start();
            Assert.That(runner.Join(Generous), Is.True, "hang guard");
            Assert.That(runner.FrameCount, Is.EqualTo(10));
            Assert.That(threads, Has.Count.EqualTo(1));
            Assert.That(threads, Does.Not.Contain(Environment.CurrentManagedThreadId));
            Assert.That(runner.TargetFrameRate, Is.EqualTo(200.0));
            Assert.That(runner.LastFrameTime, Is.GreaterThan(TimeSpan.Zero), "measured between the last two frame starts");
            Assert.That(runner.LastFrameWorkTime, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
        }

        [Test]
        public void Start_ReturnsWithTheLoopBoundToTheRunnersThread_SoTheCallerMayBlockAtOnce()
        {
            // Before the fix, Start returned before the new thread bound the loop: the loop still took the caller for
            // its main thread, and a GetResult right after Start was refused as "would deadlock" (seen in the README's
            // headless quick start).
            for (var i = 0; i < 20; i++)
            {
                using var runner = new HeadlessRunner(new HeadlessRunnerOptions { AsFastAsPossible = true });
                runner.Start();
                Assert.That(runner.Loop.MainThreadId, Is.Not.EqualTo(Environment.CurrentManagedThreadId), "bound to the runner's thread when Start returns");
                Assert.That(runner.Loop.Run(() => 6 * 7).GetResult(Generous), Is.EqualTo(42));
                runner.Stop();
                Assert.That(runner.Join(Generous), Is.True, "hang guard");
            }
        }

        [Test]
        public void Finished_ImpliesCompletionIsComplete_ObservedTheMomentItSwitches()
        {
            // Regression: the runner set the event Join waits on before it completed Completion, so a host that joined
            // could find Completion still running. Spinning on IsFinished (the same event) reads Completion the instant
            // the event is set; with the old order this caught the gap within a few hundred runners.
            for (int i = 0; i < 300; i++)
            {
                using var runner = new HeadlessRunner(new HeadlessRunnerOptions
                {
                    AsFastAsPossible = true, MaxFrames = 1, StopOnCancelKeyPress = false, StopOnProcessExit = false,
                });
                runner.Start();
                var guard = Stopwatch.StartNew();
                for (long spins = 0; !runner.IsFinished; spins++)
                {
                    if ((spins & 0xFFFF) == 0 && guard.Elapsed > Generous)
                    {
                        Assert.Fail("hang guard: runner " + i + " never finished");
                    }
                }

                Assert.That(runner.Completion.IsCompleted, Is.True, "runner " + i + ": IsFinished was set before Completion completed");
                Assert.That(runner.Loop.WhenClosed.Status, Is.EqualTo(Cysharp.Threading.Tasks.UniTaskStatus.Succeeded), "runner " + i + ": finished before the loop's close completed");
            }
        }

        [Test]
        public void Start_AsFastAsPossible_RunsExactlyMaxFrames_Unpaced()
        {
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions { AsFastAsPossible = true, MaxFrames = 3_000 });
            runner.Start();

            // 3,000 paced frames would take 50 s at 60 Hz: far past this hang guard, which is the only bound here.
            Assert.That(runner.Join(TimeSpan.FromSeconds(30)), Is.True, "3000 unpaced frames did not finish (hang guard)");
            Assert.That(runner.FrameCount, Is.EqualTo(3_000));
            Assert.That(runner.TargetFrameRate, Is.Null);
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown), "reaching MaxFrames closes the loop");
        }

        [Test]
        public void Stop_FromAnotherThread_ClosesWithEngineShutdownOnMainThread_AndFailsPendingHandles()
        {
            using var gate = new ManualResetEventSlim(false);
            using var firstFrame = new ManualResetEventSlim(false);
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions
            {
                LoopOptions = new MainLoopOptions { MaxItemsPerTick = 1 },
            });
            int mainThreadId = 0;
            int closedOnThreadId = -1;
            CloseReason? closedWith = null;
            runner.Loop.Closed += (loop, reason) =>
            {
                closedOnThreadId = Environment.CurrentManagedThreadId;
                closedWith = reason;
            };
            runner.FrameStarted += r =>
            {
                if (r.FrameCount == 1)
                {
                    mainThreadId = Environment.CurrentManagedThreadId;
                    firstFrame.Set();
                    gate.Wait(Generous); // hold the first frame while the test queues work and stops
                }
            };
            runner.Start();
            Assert.That(firstFrame.Wait(Generous), Is.True, "no first frame");

            var handles = new List<LoopHandle<int>>();
            for (int i = 0; i < 20; i++)
            {
                int value = i;
                handles.Add(runner.Loop.Run(() => value));
            }

            Exception blockedWorkerSaw = null;
            bool blockedWorkerGotResult = false;
            using var submitted = new ManualResetEventSlim(false);
            var blockedWorker = new Thread(() =>
            {
                try
                {
                    var handle = runner.Loop.Run(() => 0);
                    submitted.Set();
                    handle.GetResult(Generous);
                    blockedWorkerGotResult = true;
                }
                catch (Exception e)
                {
                    blockedWorkerSaw = e;
                }
            });
            blockedWorker.Start();
            Assert.That(submitted.Wait(Generous), Is.True);
            Blocked.WaitUntil(runner.Loop, 1);

            var stopper = new Thread(runner.Stop);
            stopper.Start();
            stopper.Join();
            gate.Set();

            Assert.That(runner.Join(Generous), Is.True, "the runner did not close the loop");
            Assert.That(blockedWorker.Join(Generous), Is.True, "a worker blocked on a handle was not woken by the close");
            Assert.That(closedWith, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(closedOnThreadId, Is.EqualTo(mainThreadId), "the close ran on the runner's main thread");
            Assert.That(runner.Loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(runner.Completion.IsCompleted && !runner.Completion.IsFaulted, Is.True, "Join returned true: Completion is complete");
            Assert.That(blockedWorkerGotResult, Is.False, "its item was queued behind 20 others and one item ran per frame");
            Assert.That(blockedWorkerSaw, Is.TypeOf<LoopClosedException>(), "the blocked worker was failed by the close");

            int ran = 0, failedByClose = 0;
            foreach (var handle in handles)
            {
                try
                {
                    handle.GetResult(Generous);
                    ran++;
                }
                catch (LoopClosedException e)
                {
                    Assert.That(e.Reason, Is.EqualTo(CloseReason.EngineShutdown));
                    failedByClose++;
                }
            }

            Assert.That(ran, Is.EqualTo(1), "MaxItemsPerTick = 1: exactly one item ran, in the held frame, before the stop took effect");
            Assert.That(ran + failedByClose, Is.EqualTo(handles.Count));
            Assert.That(runner.Loop.Statistics.Completed, Is.EqualTo(handles.Count + 1), "each handle completed once");
            Assert.Throws<LoopClosedException>(() => runner.Loop.Run(() => 1).GetResult(TimeSpan.Zero), "a submission after the close fails at once");
        }

        [Test]
        public void ProcessExitHandler_ClosesTheLoopWithEngineShutdown_AndHandlersAreRemovedWhenStopped()
        {
            using var firstFrame = new ManualResetEventSlim(false);
            using var runner = new HeadlessRunner();
            runner.FrameStarted += r => firstFrame.Set();
            runner.Start();
            Assert.That(firstFrame.Wait(Generous), Is.True, "no first frame");
            EventHandler processExit = runner.RegisteredProcessExitHandler;
            Assert.That(processExit, Is.Not.Null, "a running runner listens for process exit");
            Assert.That(runner.RegisteredCancelKeyPressHandler, Is.Not.Null, "a running runner listens for Ctrl+C");
            var pending = runner.Loop.Run(() => 42);

            processExit(AppDomain.CurrentDomain, EventArgs.Empty); // returns once the main thread has closed the loop

            Assert.That(runner.IsFinished, Is.True, "the process-exit handler returned before the loop was closed");
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(pending.IsCompleted, Is.True, "every handle is completed when the handler returns");
            Assert.That(runner.RegisteredProcessExitHandler, Is.Null, "the process-exit handler is removed once stopped");
            Assert.That(runner.RegisteredCancelKeyPressHandler, Is.Null, "the Ctrl+C handler is removed once stopped");
        }

        [Test]
        public void Run_OnTheCallingThread_BindsTheLoopToIt_AndReturnsAfterTheClose()
        {
            HeadlessRunner runner = null;
            var creator = new Thread(() => runner = new HeadlessRunner(new HeadlessRunnerOptions { AsFastAsPossible = true, MaxFrames = 5 }));
            creator.Start();
            creator.Join();
            int ranOn = 0;
            var handle = runner.Loop.Run(() => ranOn = Environment.CurrentManagedThreadId);

            runner.Run();

            Assert.That(runner.Loop.MainThreadId, Is.EqualTo(Environment.CurrentManagedThreadId), "rebound from the creating thread");
            Assert.That(ranOn, Is.EqualTo(Environment.CurrentManagedThreadId), "submitted work ran on the runner's main thread");
            Assert.That(handle.IsCompleted, Is.True);
            Assert.That(runner.FrameCount, Is.EqualTo(5));
            Assert.That(runner.IsFinished, Is.True);
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
        }

        [Test]
        public void FrameStarted_Throws_StopsTheRunner_RunRethrows_AndCompletionFaults()
        {
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions { AsFastAsPossible = true });
            runner.FrameStarted += r =>
            {
                if (r.FrameCount == 3)
                {
                    throw new InvalidOperationException("host bug");
                }
            };

            var thrown = Assert.Throws<InvalidOperationException>(runner.Run);

            Assert.That(thrown.Message, Is.EqualTo("host bug"));
            Assert.That(runner.Completion.IsFaulted, Is.True);
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(runner.FrameCount, Is.EqualTo(3));
        }

        [Test]
        public void Loop_ClosedBySomeoneElse_EndsTheRunner_WithTheFirstReason()
        {
            using var firstFrame = new ManualResetEventSlim(false);
            using var runner = new HeadlessRunner();
            runner.FrameStarted += r => firstFrame.Set();
            runner.Start();
            Assert.That(firstFrame.Wait(Generous), Is.True, "no first frame");

            runner.Loop.Dispose();

            Assert.That(runner.Join(Generous), Is.True, "the runner kept running a closed loop");
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.Disposed), "the first close reason wins");
        }

        [Test]
        public void Stop_BeforeStart_ClosesTheLoop_AndTheRunnerCannotStart()
        {
            var runner = new HeadlessRunner();
            var queued = runner.Loop.Run(() => 1);

            runner.Stop();

            Assert.That(runner.IsFinished, Is.True);
            Assert.That(runner.Completion.IsCompleted, Is.True);
            Assert.That(runner.Join(TimeSpan.Zero), Is.True);
            Assert.That(runner.Loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.Throws<LoopClosedException>(() => queued.GetResult(Generous));
            Assert.Throws<InvalidOperationException>(runner.Start);
            Assert.Throws<InvalidOperationException>(runner.Run);
        }

        [Test]
        public void Join_BeforeStart_Throws_AndOnTheMainThread_Throws()
        {
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions { AsFastAsPossible = true, MaxFrames = 1 });
            Assert.Throws<InvalidOperationException>(() => runner.Join(TimeSpan.Zero), "nothing would ever end this wait");
            Exception onMainThread = null;
            runner.FrameStarted += r => onMainThread = Assert.Catch(() => r.Join(TimeSpan.Zero));

            runner.Run();

            Assert.That(onMainThread, Is.TypeOf<InvalidOperationException>(), "Join on the main thread would deadlock");
        }

        [TestCase(0.0)]
        [TestCase(-1.0)]
        [TestCase(double.NaN)]
        [TestCase(double.PositiveInfinity)]
        public void Constructor_BadFrameRate_Throws(double frameRate)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new HeadlessRunner(new HeadlessRunnerOptions { FrameRate = frameRate }));
        }

        [Test]
        public void Constructor_NegativeMaxFrames_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new HeadlessRunner(new HeadlessRunnerOptions { MaxFrames = -1 }));
        }
    }
}
