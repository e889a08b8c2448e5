using System;
using LoopBridge.Samples.HeadlessDemo;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>The demo's live line built from the loop's diagnostics: windowed quantiles, longest tick, queue figures.</summary>
    public sealed class LiveStatsDiagnosticsTests
    {
        [Test]
        public void FromDiagnostics_UsesTheWindowBetweenTwoSnapshots()
        {
            var clock = new ManualClock();
            using var loop = new MainLoop(new MainLoopOptions { Clock = clock, MaxItemsPerTick = 2 });
            loop.Diagnostics.DetailedTiming = true;
            var previous = new LoopDiagnosticsSnapshot();
            var current = new LoopDiagnosticsSnapshot();

            // First window: 4 items, 2 per tick: two wait 1 tick, two wait 2.
            for (var i = 0; i < 4; i++)
            {
                loop.Run(() => clock.Advance(TimeSpan.FromMilliseconds(1)));
            }

            loop.Tick();
            loop.Tick();
            loop.Diagnostics.Read(previous);
            var first = LiveStats.FromDiagnostics(1, 60, previous, null);
            Assert.That(first.P50Frames, Is.EqualTo(1));
            Assert.That(first.P99Frames, Is.EqualTo(2));
            Assert.That(first.LongestTickMs, Is.EqualTo(2));
            Assert.That(first.Frames, Is.EqualTo(2));

            // Second window: one item waiting one tick; the earlier waits are not in it.
            loop.Run(() => { });
            loop.Run(() => { });
            loop.Run(() => { });
            loop.Tick();
            loop.Diagnostics.Read(current);
            var second = LiveStats.FromDiagnostics(2, 60, current, previous);
            Assert.That(second.P99Frames, Is.EqualTo(1));
            Assert.That(second.LongestTickMs, Is.EqualTo(0));
            Assert.That(second.QueueDepth, Is.EqualTo(1));
            Assert.That(second.OldestAgeTicks, Is.EqualTo(1));
            Assert.That(second.ItemsLastTick, Is.EqualTo(2));
        }
    }
}
