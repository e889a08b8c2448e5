using System;
using System.Collections.Generic;
using System.Linq;
using Cysharp.Threading.Tasks;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// The diagnostics data model (MainLoop.Diagnostics): stamps, histograms, ages, budget, history, pending work and close
    /// records, all driven by hand-ticks and a ManualClock.
    /// </summary>
    public sealed class DiagnosticsTests : LoopTestBase
    {
        private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(16);

        private MainLoop Create(int maxItemsPerTick = 0, TimeSpan budget = default, bool track = false)
        {
            Loop.Dispose();
            Loop = new MainLoop(new MainLoopOptions { Clock = Clock, MaxItemsPerTick = maxItemsPerTick, TickBudget = budget, TrackHandles = track, Name = "diag" });
            Loop.UnhandledException += ex => Unhandled.Enqueue(ex);
            return Loop;
        }

        [Test]
        public void FreshLoop_ReportsEmptyTickingState()
        {
            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.CurrentTick, Is.EqualTo(0));
            Assert.That(s.QueueDepth, Is.EqualTo(0));
            Assert.That(s.OldestQueuedAgeTicks, Is.EqualTo(0));
            Assert.That(s.HistoryCount, Is.EqualTo(0));
            Assert.That(s.Activity, Is.EqualTo(LoopActivity.Ticking));
            Assert.That(s.TickLatencyQuantile(0.5), Is.EqualTo(-1));
            Assert.That(s.IsConsistent, Is.True);
        }

        [Test]
        public void WorkQueuedBetweenTicks_WaitsOneTick_CountedInBucketOne()
        {
            Loop.Run(() => { });
            Loop.Run(() => { });
            Loop.Run(() => { });
            Loop.Tick();

            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.CurrentTick, Is.EqualTo(1));
            Assert.That(s.ItemsLastTick, Is.EqualTo(3));
            Assert.That(s.LatencyTickCounts[1], Is.EqualTo(3), "bucket '1' = ran on the next tick");
            Assert.That(Total(s.LatencyTickCounts), Is.EqualTo(3));
            Assert.That(s.LongestWaitTicks, Is.EqualTo(1));
            Assert.That(s.TickLatencyQuantile(0.99), Is.EqualTo(1));
            LoopDiagnosticsAssert.NoItemWaitedMoreThan(Loop, 1);
        }

        [Test]
        public void ItemCap_LeavesWorkQueued_OldestAgeGrowsByTicksAndTime()
        {
            Create(maxItemsPerTick: 2);
            for (var i = 0; i < 6; i++)
            {
                Loop.Run(() => { });
            }

            Clock.Advance(Frame);
            Loop.Tick();
            Assert.That(Loop.Diagnostics.QueueDepth, Is.EqualTo(4));
            Assert.That(Loop.Diagnostics.OldestQueuedAgeTicks, Is.EqualTo(1));

            Clock.Advance(Frame);
            Loop.Tick();
            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.QueueDepth, Is.EqualTo(2));
            Assert.That(s.OldestQueuedAgeTicks, Is.EqualTo(2));
            Assert.That(s.OldestQueuedAge, Is.EqualTo(Frame + Frame), "queued before the first tick: aged from the loop's creation");
            Assert.That(s.LongestWaitTicks, Is.EqualTo(2));

            Clock.Advance(Frame);
            Loop.Tick();
            s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.QueueDepth, Is.EqualTo(0));
            Assert.That(s.OldestQueuedAgeTicks, Is.EqualTo(0));
            Assert.That(s.LongestWaitTicks, Is.EqualTo(3));
            Assert.That(s.LatencyTickCounts[1] + s.LatencyTickCounts[2] + s.LatencyTickCounts[3], Is.EqualTo(6));
            Assert.That(s.LatencyTickCounts[3], Is.EqualTo(2), "bucket '3-4'");
            Assert.That(s.MostItemsInATick, Is.EqualTo(2));
            Assert.Throws<LoopAssertionException>(() => LoopDiagnosticsAssert.NoItemWaitedMoreThan(Loop, 2));
            LoopDiagnosticsAssert.NoItemWaitedMoreThan(Loop, 3);
        }

        [Test]
        public void QueuedItemNotYetRun_IsCaughtByTheAssertion()
        {
            Create(maxItemsPerTick: 1);
            Loop.Run(() => { });
            Loop.Run(() => { });
            Loop.Run(() => { });
            LoopAssert.TickFrames(Loop, 1);
            LoopDiagnosticsAssert.NoItemWaitedMoreThan(Loop, 1);
            LoopAssert.TickFrames(Loop, 1);
            var ex = Assert.Throws<LoopAssertionException>(() => LoopDiagnosticsAssert.NoItemWaitedMoreThan(Loop, 1));
            Assert.That(ex.Message, Does.Contain("ticks"));
        }

        [Test]
        public void TickOverBudget_IsCountedWithTheLongestTick()
        {
            Create(budget: TimeSpan.FromMilliseconds(2));
            Loop.Run(() => Clock.Advance(TimeSpan.FromMilliseconds(3)));
            Loop.Tick();
            Loop.Run(() => Clock.Advance(TimeSpan.FromMilliseconds(1)));
            Loop.Tick();

            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.TicksOverBudget, Is.EqualTo(1));
            Assert.That(s.TickBudget, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
            Assert.That(s.LongestTick, Is.EqualTo(TimeSpan.FromMilliseconds(3)));
            Assert.That(s.LastTickDuration, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
            Assert.Throws<LoopAssertionException>(() => LoopDiagnosticsAssert.NoTickOverBudget(Loop));
        }

        [Test]
        public void DetailedTiming_MeasuresMicroseconds_FromSubmissionToRun()
        {
            Loop.Diagnostics.DetailedTiming = true;
            Loop.Run(() => { });
            Clock.Advance(TimeSpan.FromTicks(2_500)); // 250 µs; not FromMilliseconds(0.25): .NET Framework/Mono round that to whole ms (0)
            Loop.Tick();

            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(s.DetailedTiming, Is.True);
            Assert.That(s.LatencyMicrosecondCounts[2], Is.EqualTo(1), "250 µs falls in the '≤1ms' bucket");
            Assert.That(s.LongestWait, Is.EqualTo(TimeSpan.FromTicks(2_500)));
            Assert.That(s.MicrosecondLatencyQuantile(0.5), Is.EqualTo(250));
            Assert.That(s.LongestWaitMicrosecondsHistory[s.HistoryCount - 1], Is.EqualTo(250));
        }

        [Test]
        public void WithoutDetailedTiming_NoMicrosecondsAreRecorded()
        {
            Loop.Run(() => { });
            Clock.Advance(TimeSpan.FromMilliseconds(5));
            Loop.Tick();
            var s = Loop.Diagnostics.GetSnapshot();
            Assert.That(Total(s.LatencyMicrosecondCounts), Is.EqualTo(0));
            Assert.That(Total(s.LatencyTickCounts), Is.EqualTo(1));
        }

        [Test]
        public void History_KeepsTheLastTicksOldestFirst_AndWraps()
        {
            for (var t = 1; t <= LoopDiagnostics.HistoryLength + 5; t++)
            {
                for (var i = 0; i < t % 7; i++)
                {
                    Loop.Run(() => { });
                }

                Loop.Tick();
            }

            var s = new LoopDiagnosticsSnapshot();
            Loop.Diagnostics.Read(s);
            Assert.That(s.HistoryCount, Is.EqualTo(LoopDiagnostics.HistoryLength));
            for (var i = 0; i < s.HistoryCount; i++)
            {
                var tick = 6 + i;
                Assert.That(s.ItemsHistory[i], Is.EqualTo(tick % 7), $"slot {i} = tick {tick}");
                Assert.That(s.DepthHistory[i], Is.EqualTo(0));
            }
        }

        [Test]
        public void TickCompleted_RunsAfterEveryTick_AndAThrowingHandlerIsReported()
        {
            var seen = new List<long>();
            Loop.Diagnostics.TickCompleted += d => seen.Add(d.CurrentTick);
            Loop.Tick();
            Loop.Tick();
            Assert.That(seen, Is.EqualTo(new long[] { 1, 2 }));

            Loop.Diagnostics.TickCompleted += _ => throw new InvalidOperationException("observer");
            Loop.Tick();
            Assert.That(TakeUnhandled().Single().Message, Is.EqualTo("observer"));
        }

        [Test]
        public void PendingWork_ListsQueuedAndRunningWithCallSites()
        {
            Create(track: true);
            var queued = Loop.Run(() => { });
            var running = Loop.RunAsync(async ct => await Loop.NextFrame());
            Loop.Run(() => { });

            var list = new List<LoopPendingWork>();
            Loop.Diagnostics.GetPendingWork(list);
            Assert.That(list.Count, Is.EqualTo(3));
            Assert.That(list.All(w => !w.IsRunning), Is.True);
            Assert.That(list.All(w => w.CallSite != null && w.CallSite.Contains(nameof(PendingWork_ListsQueuedAndRunningWithCallSites))), Is.True);

            Loop.Tick();
            Loop.Diagnostics.GetPendingWork(list);
            Assert.That(list.Count, Is.EqualTo(1));
            Assert.That(list[0].IsRunning, Is.True);
            Assert.That(list[0].Work, Does.Contain("(async)"));
            Assert.That(list[0].TicksSinceSubmission, Is.EqualTo(1));

            Loop.Tick();
            Loop.Diagnostics.GetPendingWork(list);
            Assert.That(list, Is.Empty);
            Assert.That(queued.IsCompleted && running.IsCompleted, Is.True);
        }

        [Test]
        public void PendingWork_WithoutTracking_IsEmpty()
        {
            Loop.Run(() => { });
            var list = new List<LoopPendingWork> { default };
            Loop.Diagnostics.GetPendingWork(list);
            Assert.That(list, Is.Empty);
            Assert.Throws<ArgumentNullException>(() => Loop.Diagnostics.GetPendingWork(null));
        }

        [Test]
        public void Close_IsRecorded_WithReasonQueuedAndFailedHandles()
        {
            Create();
            Loop.Run(() => { });
            Loop.Run(() => { });
            Loop.Run(() => { });
            Assert.That(Loop.Diagnostics.LastClose, Is.Null);
            Clock.Advance(TimeSpan.FromSeconds(1));
            Loop.Close(CloseReason.ExitingPlayMode);

            var record = Loop.Diagnostics.LastClose;
            Assert.That(record, Is.Not.Null);
            Assert.That(record.LoopName, Is.EqualTo("diag"));
            Assert.That(record.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(record.QueuedAtClose, Is.EqualTo(3));
            Assert.That(record.HandlesFailed, Is.EqualTo(3));
            Assert.That(LoopDiagnostics.GetRecentCloses(), Does.Contain(record));
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Closed));
            Assert.That(Loop.Diagnostics.GetSnapshot().LastClose, Is.SameAs(record));
        }

        [Test]
        public void Activity_FollowsTicksPauseAndClose()
        {
            Loop.Tick();
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Ticking));
            Clock.Advance(LoopDiagnostics.DefaultStallThreshold);
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Stalled));
            Loop.Diagnostics.IsHostPaused = true;
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Paused));
            Loop.Diagnostics.IsHostPaused = false;
            Loop.Tick();
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Ticking));
            Loop.Dispose();
            Assert.That(Loop.Diagnostics.Activity, Is.EqualTo(LoopActivity.Closed));
        }

        [Test]
        public void Settings_OutOfRange_AreRejected()
        {
            var d = Loop.Diagnostics;
            Assert.Throws<ArgumentOutOfRangeException>(() => d.HangThreshold = TimeSpan.FromTicks(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => d.StallThreshold = TimeSpan.MaxValue);
            Assert.Throws<ArgumentOutOfRangeException>(() => d.CheckInterval = TimeSpan.Zero);
            Assert.Throws<ArgumentOutOfRangeException>(() => d.WatchdogInterval = TimeSpan.FromTicks(-1));
            d.HangThreshold = TimeSpan.Zero;
            d.StallThreshold = TimeSpan.FromMilliseconds(int.MaxValue);
            Assert.That(d.HangThreshold, Is.EqualTo(TimeSpan.Zero));
            Assert.That(d.StallThreshold, Is.EqualTo(TimeSpan.FromMilliseconds(int.MaxValue)));
            Assert.Throws<ArgumentNullException>(() => d.Read(null));
        }

        [Test]
        public void LatencyBuckets_HaveFixedBoundsAndLabels()
        {
            Assert.That(LoopLatencyBuckets.TickLabel(0), Is.EqualTo("0"));
            Assert.That(LoopLatencyBuckets.TickLabel(3), Is.EqualTo("3-4"));
            Assert.That(LoopLatencyBuckets.TickLabel(LoopLatencyBuckets.Count - 1), Is.EqualTo("65+"));
            Assert.That(LoopLatencyBuckets.MicrosecondLabel(0), Is.EqualTo("≤10µs"));
            Assert.That(LoopLatencyBuckets.MicrosecondLabel(LoopLatencyBuckets.Count - 1), Is.EqualTo(">1s"));
            Assert.That(LoopLatencyBuckets.TickUpperBound(LoopLatencyBuckets.Count - 1), Is.EqualTo(long.MaxValue));
        }

        [Test]
        public void CallSite_ParsesTheFirstUserFrame()
        {
            var trace = "   at LoopBridge.MainLoop.Run(Action action) in /pkg/Runtime/Core/MainLoop.Submit.cs:line 22\n" +
                        "   at Game.Spawner.Update() in /proj/Assets/Spawner.cs:line 42\n";
            Assert.That(LoopCallSite.TryParse(trace, out var file, out var line), Is.True);
            Assert.That(file, Is.EqualTo("/proj/Assets/Spawner.cs"));
            Assert.That(line, Is.EqualTo(42));
            Assert.That(LoopCallSite.TryParse("   at X.Y()", out _, out _), Is.False);
            Assert.That(LoopCallSite.TryParse(null, out _, out _), Is.False);
        }

        [Test]
        public void NoStallReported_PassesOnAHealthyLoop()
        {
            Loop.Run(() => { });
            Loop.Tick();
            LoopDiagnosticsAssert.NoStallReported(Loop);
            LoopDiagnosticsAssert.NoTickOverBudget(Loop);
        }

        // By index, not Enumerable.Sum: Debian's Mono 6.8 with -O=-intrins (Tests/Mono~/run.sh) overflows the stack under SGen reading a value-type array through IEnumerable<T>.
        static long Total(long[] counts)
        {
            long total = 0;
            for (var i = 0; i < counts.Length; i++)
                total += counts[i];
            return total;
        }
    }
}
