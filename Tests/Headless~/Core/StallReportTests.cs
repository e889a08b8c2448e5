using System;
using System.Collections.Concurrent;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Stall and hang reports: a worker blocked on a handle past the threshold, and a loop with queued work that stopped
    /// ticking. Time is a ManualClock; real time only bounds the waits (hang guards), never decides an outcome.
    /// </summary>
    public sealed class StallReportTests
    {
        private const int GuardMs = 30_000;
        private ManualClock clock;
        private MainLoop loop;
        private ConcurrentQueue<LoopStallReport> reports;
        private SemaphoreSlim reported;
        private ConcurrentQueue<Exception> workerErrors;

        [SetUp]
        public void SetUp()
        {
            clock = new ManualClock();
            loop = new MainLoop(new MainLoopOptions { Clock = clock, TrackHandles = true, Name = "stall" });
            loop.Diagnostics.CheckInterval = TimeSpan.FromMilliseconds(5);
            reports = new ConcurrentQueue<LoopStallReport>();
            reported = new SemaphoreSlim(0);
            workerErrors = new ConcurrentQueue<Exception>();
            loop.Diagnostics.StallDetected += r =>
            {
                reports.Enqueue(r);
                reported.Release();
            };
        }

        [TearDown]
        public void TearDown() => loop.Dispose();

        /// <summary>Advances the clock a second at a time until a report arrives (the waiter may start blocking at any moment).</summary>
        private LoopStallReport AdvanceUntilReported()
        {
            var deadline = Environment.TickCount64 + GuardMs;
            while (Environment.TickCount64 < deadline)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                if (reported.Wait(10))
                {
                    Assert.That(reports.TryPeek(out var r), Is.True);
                    return r;
                }
            }

            Assert.Fail("no report within the guard time");
            return null;
        }

        /// <summary>Gives a waiter many more check slices with the clock far past every threshold; a second report would show.</summary>
        private void AdvanceMoreAndSettle()
        {
            for (var i = 0; i < 20; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(10));
                reported.Wait(10);
            }
        }

        /// <summary>A worker thread; what it throws is kept (a failed test's teardown closes the loop under it), never rethrown on its thread.</summary>
        private Thread StartWorker(Action body)
        {
            var t = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    workerErrors.Enqueue(ex);
                }
            }) { IsBackground = true };
            t.Start();
            return t;
        }

        [Test]
        public void WorkerBlockedPastHangThreshold_ReportsOnce_WithCallSiteStateAndTicks()
        {
            loop.Diagnostics.StallThreshold = TimeSpan.Zero; // this test is about the waiter
            loop.Tick();
            var handle = loop.Run(() => 42);
            var result = 0;
            var worker = StartWorker(() => result = handle.GetResult(TimeSpan.FromMilliseconds(GuardMs)));

            var report = AdvanceUntilReported();
            Assert.That(report.Kind, Is.EqualTo(LoopStallKind.BlockedWaiter));
            Assert.That(report.LoopName, Is.EqualTo("stall"));
            Assert.That(report.State, Is.EqualTo(LoopState.Open));
            Assert.That(report.Activity, Is.EqualTo(LoopActivity.Stalled), "no tick since the clock passed 5 s");
            Assert.That(report.TicksSinceSubmission, Is.EqualTo(0));
            Assert.That(report.QueueDepth, Is.EqualTo(1));
            Assert.That(report.StuckFor, Is.GreaterThanOrEqualTo(LoopDiagnostics.DefaultHangThreshold));
            Assert.That(report.CallSite, Does.Contain(nameof(WorkerBlockedPastHangThreshold_ReportsOnce_WithCallSiteStateAndTicks)));
            Assert.That(report.Message, Does.Contain("blocked").And.Contain("stall"));

            AdvanceMoreAndSettle();
            Assert.That(reports.Count, Is.EqualTo(1), "one report per blocked call");
            Assert.That(loop.Diagnostics.ReportCount, Is.EqualTo(1));

            loop.Tick();
            Assert.That(worker.Join(GuardMs), Is.True);
            Assert.That(workerErrors, Is.Empty);
            Assert.That(result, Is.EqualTo(42));
        }

        [Test]
        public void WorkerBlocked_WithReportsOff_ReportsNothing()
        {
            loop.Diagnostics.HangThreshold = TimeSpan.Zero;
            loop.Diagnostics.StallThreshold = TimeSpan.Zero;
            var handle = loop.Run(() => 1);
            var worker = StartWorker(() => handle.GetResult(TimeSpan.FromMilliseconds(GuardMs)));
            AdvanceMoreAndSettle();
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False);
            loop.Tick();
            Assert.That(worker.Join(GuardMs), Is.True);
            Assert.That(reports, Is.Empty);
            Assert.That(loop.Diagnostics.ReportCount, Is.EqualTo(0));
        }

        [Test]
        public void LoopNotTicking_WithQueuedWork_ReportsOnce_AndAgainOnlyAfterATick()
        {
            loop.Diagnostics.HangThreshold = TimeSpan.Zero;
            loop.Tick();
            loop.Run(() => { });
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False);
            clock.Advance(TimeSpan.FromSeconds(4));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "below the threshold");
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.True);
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "reported once per stall");

            Assert.That(reported.Wait(GuardMs), Is.True);
            Assert.That(reports.TryDequeue(out var report), Is.True);
            Assert.That(report.Kind, Is.EqualTo(LoopStallKind.LoopNotTicking));
            Assert.That(report.QueueDepth, Is.EqualTo(1));
            Assert.That(report.StuckFor, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(report.Activity, Is.EqualTo(LoopActivity.Stalled));
            Assert.That(report.TicksSinceSubmission, Is.EqualTo(-1));

            loop.Tick();
            loop.Run(() => { });
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "a tick re-arms, and the new stall starts now");
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.True);
            Assert.That(reported.Wait(GuardMs), Is.True);
            Assert.That(loop.Diagnostics.ReportCount, Is.EqualTo(2));
        }

        [Test]
        public void IdleLoopOrPausedOrClosed_IsNeverReportedAsStalled()
        {
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "nothing queued");
            loop.Diagnostics.IsHostPaused = true;
            loop.Run(() => { });
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "paused");
            loop.Diagnostics.IsHostPaused = false;
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "a stall is measured from the end of the pause");
            loop.Dispose();
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.False, "closed");
            Assert.That(reports, Is.Empty);
        }

        [Test]
        public void BlockedWaiter_AlsoNoticesTheLoopStall()
        {
            loop.Diagnostics.HangThreshold = TimeSpan.Zero;
            loop.Tick();
            var handle = loop.Run(() => 7);
            var worker = StartWorker(() => handle.GetResult(TimeSpan.FromMilliseconds(GuardMs)));

            var report = AdvanceUntilReported();
            Assert.That(report.Kind, Is.EqualTo(LoopStallKind.LoopNotTicking));
            AdvanceMoreAndSettle();
            Assert.That(reports.Count, Is.EqualTo(1));
            loop.Tick();
            Assert.That(worker.Join(GuardMs), Is.True);
        }

        [Test]
        public void Watchdog_ReportsALoopWhoseMainThreadIsBlocked_AndStopsAtClose()
        {
            loop.Diagnostics.HangThreshold = TimeSpan.Zero;
            loop.Run(() => { });
            loop.Diagnostics.WatchdogInterval = TimeSpan.FromMilliseconds(5);
            var report = AdvanceUntilReported();
            Assert.That(report.Kind, Is.EqualTo(LoopStallKind.LoopNotTicking));
            Assert.That(loop.Diagnostics.WatchdogInterval, Is.EqualTo(TimeSpan.FromMilliseconds(5)));
            loop.Dispose();
            AdvanceMoreAndSettle();
            Assert.That(reports.Count, Is.EqualTo(1));
        }

        [Test]
        public void ThrowingHandler_GoesToUnhandledException()
        {
            var unhandled = new ConcurrentQueue<Exception>();
            var seen = new SemaphoreSlim(0);
            loop.UnhandledException += ex =>
            {
                unhandled.Enqueue(ex);
                seen.Release();
            };
            loop.Diagnostics.StallDetected += _ => throw new InvalidOperationException("handler");
            loop.Run(() => { });
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.That(loop.Diagnostics.CheckStalls(), Is.True);
            Assert.That(seen.Wait(GuardMs), Is.True);
            Assert.That(unhandled.TryDequeue(out var ex) && ex.Message == "handler", Is.True);
            Assert.That(reported.Wait(GuardMs), Is.True, "the other handler still ran");
        }
    }
}
