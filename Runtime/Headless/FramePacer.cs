#nullable enable
using System;
using System.Diagnostics;
using System.Threading;

namespace LoopBridge.Headless
{
    /// <summary>
    /// Waits for the start of each frame on a fixed grid of <see cref="Stopwatch"/> timestamps: sleeps for most of
    /// the wait and yields only through the last millisecond, so a paced main thread does not keep a
    /// core busy.
    /// </summary>
    /// <remarks>
    /// Used by one thread only (the runner's main thread). The sleep is a wait on the runner's wake event, so
    /// <see cref="HeadlessRunner.Stop"/> cuts it short. Sleeps are as fine as the OS timer: about 1 ms on Linux and
    /// macOS; on Windows 15.6 ms unless the host raises the timer resolution (<c>timeBeginPeriod(1)</c>), so paced
    /// frames there come in steps of the timer unless the host does.
    /// </remarks>
    internal sealed class FramePacer
    {
        readonly long period;
        readonly long spinWindow;
        readonly Func<long> now;
        readonly Func<ManualResetEventSlim, int, bool> sleep;
        readonly Action yield;
        readonly long frequency;
        long next;

        /// <summary>Creates a pacer for <paramref name="framesPerSecond"/> on the <see cref="Stopwatch"/>, whose first frame is due now.</summary>
        internal FramePacer(double framesPerSecond)
            : this(framesPerSecond, Stopwatch.GetTimestamp, Stopwatch.Frequency, (wake, ms) => wake.Wait(ms), () => Thread.Yield())
        {
        }

        /// <summary>
        /// Creates a pacer on an injected time source (tests): <paramref name="now"/> reads the time in units of
        /// <paramref name="frequency"/> per second; <paramref name="sleep"/> waits up to the given milliseconds on the
        /// wake event and returns whether it was set; <paramref name="yield"/> gives up the thread briefly.
        /// </summary>
        internal FramePacer(double framesPerSecond, Func<long> now, long frequency, Func<ManualResetEventSlim, int, bool> sleep, Action yield)
        {
            this.now = now;
            this.frequency = frequency;
            this.sleep = sleep;
            this.yield = yield;
            spinWindow = frequency / 1000;
            period = Math.Max(1L, (long)Math.Round(frequency / framesPerSecond));
            next = now();
        }

        /// <summary>The time between two frames, in the time source's units.</summary>
        internal long Period => period;

        /// <summary>
        /// Blocks until the next frame is due or <paramref name="wake"/> is set, then schedules the frame after it.
        /// Returns <see langword="false"/> when woken by <paramref name="wake"/> before the frame was due.
        /// Sleeps for most of the wait and yields only through the last millisecond.
        /// </summary>
        internal bool WaitForNextFrame(ManualResetEventSlim wake)
        {
            long target = next;
            long remaining = target - now();
            // No adaptive margin for sleeps that overshoot: on a loaded machine the overshoot is preemption, not timer
            // granularity, and widening the spin to absorb it burnt a third of a core for no better pacing (measured).
            long sleepTicks = remaining - spinWindow;
            if (sleepTicks >= frequency / 1000 && sleep(wake, (int)(sleepTicks * 1000 / frequency)))
            {
                return false;
            }

            while (now() < target)
            {
                if (wake.IsSet)
                {
                    return false;
                }

                yield();
            }

            // Fixed grid: frame n is due at start + n * period, so small delays do not drift the rate. A frame that
            // starts more than a whole period late resets the grid instead of running catch-up frames back to back.
            long started = now();
            next = target + period;
            if (started - next > 0)
            {
                next = started + period;
            }

            return true;
        }

        /// <summary>Converts a <see cref="Stopwatch"/> interval to a <see cref="TimeSpan"/>, without overflow.</summary>
        internal static TimeSpan ToTimeSpan(long stopwatchTicks)
            => TimeSpan.FromTicks((long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }
}
