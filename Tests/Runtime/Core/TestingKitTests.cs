using System;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>The testing kit the README offers users (<see cref="LoopAssert"/>): what it returns and how it fails.</summary>
    public sealed class TestingKitTests : LoopTestBase
    {
        [Test]
        public void TickFrames_TicksExactlyThatManyTimes_AndReturnsTheEntriesRun()
        {
            var ticksBefore = Loop.Statistics.Ticks;
            Loop.Post(() => { });
            Loop.Post(() => Loop.Post(() => { })); // resubmits: runs on the next tick
            Assert.That(LoopAssert.TickFrames(Loop, 3), Is.EqualTo(3));
            Assert.That(Loop.Statistics.Ticks - ticksBefore, Is.EqualTo(3));
            Assert.That(LoopAssert.TickFrames(Loop, 0), Is.EqualTo(0));
        }

        [Test]
        public void TickFrames_BadArguments_Throw()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => LoopAssert.TickFrames(Loop, -1));
            Assert.Throws<ArgumentNullException>(() => LoopAssert.TickFrames(null, 1));
        }

        [Test]
        public void TickUntil_MaxTicks_ReturnsTheTicksItTook()
        {
            var h = Loop.Run(() => Loop.Run(() => 2)); // the inner submission runs a tick later
            Assert.That(LoopAssert.TickUntil(Loop, () => h.IsCompleted, maxTicks: 5), Is.EqualTo(1));
            var inner = h.GetResult(TimeSpan.Zero);
            Assert.That(LoopAssert.TickUntil(Loop, () => inner.IsCompleted, maxTicks: 5), Is.EqualTo(1));
            Assert.That(LoopAssert.TickUntil(Loop, () => true, maxTicks: 0), Is.EqualTo(0), "checked before the first tick");
            inner.GetResult(TimeSpan.Zero);
        }

        [Test]
        public void TickUntil_MaxTicks_Fails_AfterExactlyThatManyTicks_SayingWhat()
        {
            var ticksBefore = Loop.Statistics.Ticks;
            var ex = Assert.Throws<LoopAssertionException>(() => LoopAssert.TickUntil(Loop, () => false, 3, "the door opened"));
            Assert.That(ex.Message, Does.Contain("the door opened").And.Contain("3 ticks"));
            Assert.That(Loop.Statistics.Ticks - ticksBefore, Is.EqualTo(3));
        }

        [Test]
        public void TickUntil_Timeout_FailsWhenTheConditionNeverHolds_SayingWhat()
        {
            // The condition never holds, so the outcome does not depend on how fast the machine is; the timeout only
            // bounds how long the failure takes.
            var ex = Assert.Throws<LoopAssertionException>(() => LoopAssert.TickUntil(Loop, () => false, TimeSpan.FromMilliseconds(50), "the lights came on"));
            Assert.That(ex.Message, Does.Contain("the lights came on").And.Contain("within"));
            Assert.That(Loop.Statistics.Ticks, Is.GreaterThan(0), "it ticked while waiting");
        }

        [Test]
        public void TickUntil_Timeout_ReturnsOnceTheConditionHolds()
        {
            var h = Loop.Run(() => 4);
            Assert.That(LoopAssert.TickUntil(Loop, () => h.IsCompleted, TimeSpan.FromSeconds(30), "ran"), Is.EqualTo(1));
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(4));
        }

        [Test]
        public void TickUntil_NullArguments_Throw()
        {
            Assert.Throws<ArgumentNullException>(() => LoopAssert.TickUntil(null, () => true));
            Assert.Throws<ArgumentNullException>(() => LoopAssert.TickUntil(Loop, null));
            Assert.Throws<ArgumentNullException>(() => LoopAssert.TickUntil(Loop, null, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentNullException>(() => LoopAssert.NoPendingHandles(null));
        }
    }
}
