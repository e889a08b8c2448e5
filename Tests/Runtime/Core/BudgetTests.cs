using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    public sealed class BudgetTests : LoopTestBase
    {
        private int maxItems;
        private TimeSpan budget;

        protected override MainLoopOptions CreateOptions()
        {
            var o = base.CreateOptions();
            o.MaxItemsPerTick = maxItems;
            o.TickBudget = budget;
            return o;
        }

        private void Recreate(int items, TimeSpan time)
        {
            Loop.Dispose();
            maxItems = items;
            budget = time;
            CreateLoop();
        }

        [Test]
        public void MaxItemsPerTick_StopsAtCap_RestRunsNextTickInOrder()
        {
            Recreate(3, TimeSpan.Zero);
            var order = new List<int>();
            for (var i = 0; i < 8; i++)
            {
                Loop.Post(i, v => order.Add(v));
            }

            var t1 = Loop.Tick();
            Assert.That(t1.ItemsRun, Is.EqualTo(3));
            Assert.That(t1.ItemsLeft, Is.EqualTo(5));
            Assert.That(t1.BudgetExhausted, Is.True);
            Loop.Tick();
            var t3 = Loop.Tick();
            Assert.That(t3.ItemsRun, Is.EqualTo(2));
            Assert.That(t3.BudgetExhausted, Is.False);
            Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        }

        [Test]
        public void TickBudget_StopsStartingItemsOnceSpent_Deterministically()
        {
            Recreate(0, TimeSpan.FromMilliseconds(2));
            var order = new List<int>();
            for (var i = 0; i < 10; i++)
            {
                // Each item "takes" 1 ms of the fake clock.
                Loop.Post(i, v => { order.Add(v); Clock.Advance(TimeSpan.FromMilliseconds(1)); });
            }

            var t1 = Loop.Tick();
            Assert.That(t1.ItemsRun, Is.EqualTo(2), "2 ms budget, 1 ms items: two run");
            Assert.That(t1.BudgetExhausted, Is.True);
            Assert.That(t1.Elapsed, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
            var ticks = 1;
            while (Loop.QueueDepth > 0)
            {
                Loop.Tick();
                ticks++;
            }

            Assert.That(ticks, Is.EqualTo(5));
            Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
            Assert.That(Loop.Statistics.LongestTick, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
        }

        [Test]
        public void TickBudget_AtLeastOneItemRunsEvenIfItAloneExceedsTheBudget()
        {
            Recreate(0, TimeSpan.FromMilliseconds(1));
            Loop.Post(() => Clock.Advance(TimeSpan.FromMilliseconds(50)));
            Loop.Post(() => Clock.Advance(TimeSpan.FromMilliseconds(50)));
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(1));
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(1));
        }

        [Test]
        public void Options_Negative_AreRejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new MainLoop(new MainLoopOptions { MaxItemsPerTick = -1 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new MainLoop(new MainLoopOptions { TickBudget = TimeSpan.FromTicks(-1) }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new MainLoop(new MainLoopOptions { CloseGracePeriod = TimeSpan.FromTicks(-1) }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ManualClock().Advance(TimeSpan.FromTicks(-1)));
        }

        [Test]
        public void Budget_CanBeChangedOnALiveLoop_FromTheNextTick()
        {
            for (var i = 0; i < 10; i++)
            {
                Loop.Post(() => { });
            }

            Assert.That(Loop.MaxItemsPerTick, Is.EqualTo(0));
            Loop.MaxItemsPerTick = 4;
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(4));
            Loop.MaxItemsPerTick = 0;
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(6), "no cap any more: the rest of the snapshot");
            Loop.TickBudget = TimeSpan.FromMilliseconds(1);
            Loop.Post(() => Clock.Advance(TimeSpan.FromMilliseconds(5)));
            Loop.Post(() => Clock.Advance(TimeSpan.FromMilliseconds(5)));
            Assert.That(Loop.Tick().ItemsRun, Is.EqualTo(1), "the new budget is spent by the first item");
            Assert.That(Loop.TickBudget, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => Loop.MaxItemsPerTick = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => Loop.TickBudget = TimeSpan.FromTicks(-1));
        }
    }
}
