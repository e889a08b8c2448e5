using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Internal;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The adaptive pool (issue 16): it keeps what bursts need, so repeated bursts allocate nothing after the first,
    /// and gives back what a whole trim window did not use. Deterministic: objects are counted (a type whose
    /// constructor counts), trim windows are ended by the test (<see cref="PoolPolicy.EndTrimWindow"/>) or by explicit
    /// timestamps, and the garbage-collection trigger is off while these run.
    /// </summary>
    [NonParallelizable]
    public sealed class PoolPolicyTests
    {
        private const int Burst = 10_000;
        private const int Magazine = ItemPool<Counted>.MagazineSize;
        private static readonly Func<int, int> Double = v => v * 2;

        private int savedMin;
        private int savedMax;
        private TimeSpan savedDelay;
        private bool savedOnGc;

        [SetUp]
        public void SetUp()
        {
            savedMin = PoolPolicy.MinRetained;
            savedMax = PoolPolicy.MaxRetained;
            savedDelay = PoolPolicy.TrimDelay;
            savedOnGc = PoolPolicy.TrimOnGarbageCollection;

            // No trimming behind the test's back (a real collection could end a window), and an empty depot.
            PoolPolicy.TrimOnGarbageCollection = false;
            PoolPolicy.MinRetained = 0;
            PoolPolicy.Trim();
        }

        [TearDown]
        public void TearDown()
        {
            PoolPolicy.MinRetained = savedMin;
            PoolPolicy.MaxRetained = savedMax;
            PoolPolicy.TrimDelay = savedDelay;
            PoolPolicy.TrimOnGarbageCollection = savedOnGc;
            PoolPolicy.Trim(); // also starts a fresh window (a test may have moved the window's start into the future)
        }

        private static long Retained => ItemPool<Counted>.Shared.RetainedObjects;

        /// <summary>Rents <paramref name="n"/> objects (all outstanding at once), then returns them all.</summary>
        private static void RentAllThenReturnAll(int n)
        {
            var held = new Counted[n];
            for (var i = 0; i < n; i++)
            {
                held[i] = ItemPool<Counted>.Rent();
            }

            for (var i = 0; i < n; i++)
            {
                ItemPool<Counted>.Return(held[i]);
            }
        }

        [Test]
        public void RepeatedBursts_AfterTheFirst_CreateNoObjects()
        {
            RentAllThenReturnAll(Burst);
            var afterFirst = Counted.Created;

            for (var i = 0; i < 5; i++)
            {
                RentAllThenReturnAll(Burst);
            }

            Assert.That(Counted.Created, Is.EqualTo(afterFirst), "objects created by bursts after the first");
            // The burst's objects are all kept: in the depot, or (at most two magazines) in this thread's own cache.
            Assert.That(Retained, Is.InRange(Burst - 2 * Magazine, Burst + 2 * Magazine));
        }

        [Test]
        public void BurstsMoreOftenThanTheTrimWindow_KeepTheirObjects()
        {
            RentAllThenReturnAll(Burst);
            var afterFirst = Counted.Created;

            for (var i = 0; i < 5; i++)
            {
                PoolPolicy.EndTrimWindow(); // every window has a burst in it: nothing in it was idle
                RentAllThenReturnAll(Burst);
            }

            Assert.That(Counted.Created, Is.EqualTo(afterFirst), "objects created by bursts after the first");
        }

        [Test]
        public void QuietWindow_AfterBurst_ReleasesDownToMinRetained()
        {
            PoolPolicy.MinRetained = 1000; // kept in whole magazines: 16 of 64
            RentAllThenReturnAll(Burst);
            var kept = Retained;
            Assert.That(kept, Is.GreaterThan(Burst - 2 * Magazine));

            // The window that saw the burst ends: its objects were in use, nothing is released.
            Assert.That(PoolPolicy.EndTrimWindow(), Is.GreaterThanOrEqualTo(0));
            Assert.That(Retained, Is.EqualTo(kept), "a window with a burst in it keeps the burst's objects");

            // A whole window with no rent: everything above the floor goes.
            var released = PoolPolicy.EndTrimWindow();
            Assert.That(Retained, Is.EqualTo(16 * Magazine), "retained after a quiet window");
            Assert.That(released, Is.EqualTo(kept - 16 * Magazine));

            // The next burst allocates again (the memory was given back), then is kept again.
            var before = Counted.Created;
            RentAllThenReturnAll(Burst);
            Assert.That(Counted.Created - before, Is.InRange(Burst - 16 * Magazine - 2 * Magazine, Burst - 16 * Magazine));
        }

        [Test]
        public void PartlyUsedWindow_ReleasesOnlyWhatStayedIdle()
        {
            RentAllThenReturnAll(Burst);
            PoolPolicy.EndTrimWindow(); // starts a clean window

            const int Used = 2_000;
            RentAllThenReturnAll(Used); // the window's high-water mark: about 2,000 outstanding
            PoolPolicy.EndTrimWindow();

            // What the window needed stays (give or take this thread's own two magazines); the idle rest is released.
            Assert.That(Retained, Is.InRange(Used - 2 * Magazine, Used + 2 * Magazine));
            var before = Counted.Created;
            RentAllThenReturnAll(Used);
            Assert.That(Counted.Created - before, Is.LessThanOrEqualTo(2 * Magazine), "the window's high-water mark is still pooled");
        }

        [Test]
        public void MaxRetained_CapsWhatTheDepotKeeps()
        {
            PoolPolicy.MaxRetained = 1_000; // 15 whole magazines
            RentAllThenReturnAll(Burst);
            Assert.That(Retained, Is.EqualTo(15 * Magazine));

            var before = Counted.Created;
            RentAllThenReturnAll(Burst);
            Assert.That(Counted.Created - before, Is.GreaterThanOrEqualTo(Burst - 15 * Magazine - 2 * Magazine),
                "objects beyond the cap are allocated again by every burst");
        }

        [Test]
        public void Trim_ReleasesEverythingAboveMinRetained_EvenIfRecentlyUsed()
        {
            RentAllThenReturnAll(Burst);
            PoolPolicy.MinRetained = 200; // 4 magazines
            var released = PoolPolicy.Trim();
            Assert.That(Retained, Is.EqualTo(4 * Magazine));
            Assert.That(released, Is.GreaterThan(Burst - 4 * Magazine - 2 * Magazine - 1));
        }

        [Test]
        public void TrimIfDue_EndsTheWindowOnlyAfterTheDelay()
        {
            PoolPolicy.TrimDelay = TimeSpan.FromHours(1);
            RentAllThenReturnAll(Burst);
            PoolPolicy.EndTrimWindow(); // the window with the burst; a new one starts now
            var now = Stopwatch.GetTimestamp();
            var kept = Retained;

            Assert.That(PoolPolicy.TrimIfDue(now), Is.EqualTo(0), "a window younger than TrimDelay is not ended");
            Assert.That(Retained, Is.EqualTo(kept));

            var twoHoursLater = now + 2 * 3600 * Stopwatch.Frequency;
            Assert.That(PoolPolicy.TrimIfDue(twoHoursLater), Is.EqualTo(kept), "a quiet window older than TrimDelay releases its idle objects");
            Assert.That(Retained, Is.EqualTo(0));
        }

        [Test]
        public void TrimDelay_MaxValue_NeverEndsAWindowByTime()
        {
            PoolPolicy.TrimDelay = TimeSpan.MaxValue;
            RentAllThenReturnAll(Burst);
            PoolPolicy.EndTrimWindow();
            var kept = Retained;
            var muchLater = Stopwatch.GetTimestamp() + 365L * 24 * 3600 * Stopwatch.Frequency;
            Assert.That(PoolPolicy.TrimIfDue(muchLater), Is.EqualTo(0), "TimeSpan.MaxValue: a year-old window is not due");
            Assert.That(Retained, Is.EqualTo(kept));

            PoolPolicy.TrimDelay = TimeSpan.FromDays(1);
            Assert.That(PoolPolicy.TrimIfDue(muchLater), Is.EqualTo(kept), "the same window with a one-day delay is due");
        }

        [Test]
        public void Settings_Negative_ThrowArgumentOutOfRange()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PoolPolicy.MinRetained = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => PoolPolicy.MaxRetained = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => PoolPolicy.TrimDelay = TimeSpan.FromTicks(-1));
            Assert.That(PoolPolicy.MinRetained, Is.EqualTo(0), "a rejected value changes nothing");
        }

        [Test]
        public void ObjectsReturnedOnAnotherThread_ReachTheRentingThreadThroughTheDepot()
        {
            // The main thread completes what workers submitted: objects rented on one thread come back on another.
            var held = new Counted[Burst];
            for (var i = 0; i < held.Length; i++)
            {
                held[i] = ItemPool<Counted>.Rent();
            }

            var returner = new Thread(() =>
            {
                foreach (var c in held)
                {
                    ItemPool<Counted>.Return(c);
                }
            });
            returner.Start();
            Assert.That(returner.Join(TimeSpan.FromSeconds(30)), Is.True);

            // All but the returning thread's own two magazines are in the depot, and this thread rents them back.
            var before = Counted.Created;
            for (var i = 0; i < held.Length - 2 * Magazine; i++)
            {
                held[i] = ItemPool<Counted>.Rent();
            }

            Assert.That(Counted.Created, Is.EqualTo(before));
        }

        [Test]
        public void Loop_RepeatedBurstsOf65536_AllocateZeroBytesAfterTheFirst()
        {
            const int InFlight = 65_536;
            var handles = new LoopHandle<int>[InFlight];
            // Room for the whole burst (and the tick's marker) in the loop's queue: what is measured is the pool.
            using var loop = new MainLoop(new MainLoopOptions { InitialQueueCapacity = InFlight + 64 });
            long Burst()
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < handles.Length; i++)
                {
                    handles[i] = loop.Run(i, Double);
                }

                loop.Tick();
                for (var i = 0; i < handles.Length; i++)
                {
                    if (handles[i].GetResult(TimeSpan.Zero) != i * 2)
                    {
                        throw new AssertionException("wrong result");
                    }
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            var first = Burst();
            Assert.That(first, Is.GreaterThan(0), "the first burst fills the pool (otherwise this test measures nothing)");
            for (var round = 0; round < 3; round++)
            {
                Assert.That(Burst(), Is.EqualTo(0), $"bytes allocated by repeated burst {round + 2} of {InFlight:N0} handles in flight");
                PoolPolicy.EndTrimWindow(); // a burst in every window: the pool keeps it
            }
        }

        /// <summary>A pooled type of the tests' own, whose constructor counts (so other tests' traffic cannot interfere).</summary>
        private sealed class Counted
        {
            internal static int Created;

            public Counted() => Interlocked.Increment(ref Created);
        }
    }
}
