using System.Threading;
using LoopBridge.Headless;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The runner's pacing, on a simulated clock: the pacer reads time, sleeps and yields only through injected
    /// functions, so these tests check the frame grid exactly and never depend on how fast or busy the machine is.
    /// (How closely real sleeps hit the grid on a real machine is a measurement for Benchmarks~, not a unit test.)
    /// </summary>
    [TestFixture]
    public sealed class FramePacerTests
    {
        const long Frequency = 1_000_000; // the fake clock counts microseconds
        const long YieldCost = 50;         // each yield lets 50 µs pass

        sealed class FakeTime
        {
            public long Now;
            public int Sleeps;
            public int Yields;

            public FramePacer Pacer(double fps) => new FramePacer(fps, () => Now, Frequency, Sleep, Yield);

            bool Sleep(ManualResetEventSlim wake, int ms)
            {
                Sleeps++;
                if (wake.IsSet)
                {
                    return true;
                }

                Now += ms * 1000L;
                return false;
            }

            void Yield()
            {
                Yields++;
                Now += YieldCost;
            }
        }

        [Test]
        public void IdleFrames_StartOnTheGrid_SleepingForAllButTheLastMilliseconds()
        {
            var time = new FakeTime { Now = 5_000 };
            var pacer = time.Pacer(60);
            using var wake = new ManualResetEventSlim(false);
            Assert.That(pacer.Period, Is.EqualTo(16_667));
            for (int frame = 0; frame < 120; frame++)
            {
                int yieldsBefore = time.Yields;
                Assert.That(pacer.WaitForNextFrame(wake), Is.True);
                long due = 5_000 + frame * pacer.Period;
                Assert.That(time.Now, Is.InRange(due, due + YieldCost), $"frame {frame} starts at its grid time");
                // Sleeps are whole milliseconds, so up to one more millisecond is left to the yielding phase.
                Assert.That(time.Yields - yieldsBefore, Is.LessThanOrEqualTo(2000 / YieldCost + 1), $"frame {frame}: yields only through the last millisecond or two");
            }

            Assert.That(time.Sleeps, Is.EqualTo(119), "every wait but the first (due at once) sleeps");
        }

        [Test]
        public void SmallDelays_DoNotDrift()
        {
            var time = new FakeTime();
            var pacer = time.Pacer(50);
            using var wake = new ManualResetEventSlim(false);
            for (int frame = 0; frame < 100; frame++)
            {
                Assert.That(pacer.WaitForNextFrame(wake), Is.True);
                long due = frame * pacer.Period;
                Assert.That(time.Now, Is.InRange(due, due + YieldCost), $"frame {frame}");
                time.Now += pacer.Period * 3 / 4; // each frame works for three quarters of its period
            }
        }

        [Test]
        public void AFrameLateByMoreThanAPeriod_ResetsTheGrid_InsteadOfRunningCatchUpFrames()
        {
            var time = new FakeTime();
            var pacer = time.Pacer(100);
            using var wake = new ManualResetEventSlim(false);
            Assert.That(pacer.WaitForNextFrame(wake), Is.True);
            time.Now += pacer.Period * 7 / 2; // frame 0 works for three and a half periods

            Assert.That(pacer.WaitForNextFrame(wake), Is.True);
            long late = time.Now;
            Assert.That(late, Is.EqualTo(pacer.Period * 7 / 2), "the late frame starts at once");
            Assert.That(pacer.WaitForNextFrame(wake), Is.True);
            Assert.That(time.Now - late, Is.InRange(pacer.Period, pacer.Period + YieldCost), "then a whole period, not a burst of catch-up frames");
        }

        [Test]
        public void Wake_EndsTheWaitAtOnce_WithoutAFrame()
        {
            var time = new FakeTime();
            var pacer = time.Pacer(10);
            using var wake = new ManualResetEventSlim(false);
            Assert.That(pacer.WaitForNextFrame(wake), Is.True);
            wake.Set();
            Assert.That(pacer.WaitForNextFrame(wake), Is.False);
            Assert.That(time.Now, Is.LessThan(pacer.Period), "woken before the frame was due");
        }
    }
}
