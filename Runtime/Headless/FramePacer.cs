#nullable enable
using System;
using System.Diagnostics;
using System.Threading;

namespace LoopBridge.Headless
{
    /// <summary>
    /// Waits for the start of each frame on a fixed grid of <see cref="Stopwatch"/> timestamps: sleeps for most of
    /// the wait and yields only through the last <see cref="SpinWindow"/>, so a paced main thread does not keep a
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
        /// <summary>The final part of a wait that is spent yielding instead of sleeping.</summary>
        internal static readonly long SpinWindow = Stopwatch.Frequency / 1000;

        readonly long period;
        long next;

        /// <summary>Creates a pacer for <paramref name="framesPerSecond"/> whose first frame is due now.</summary>
        internal FramePacer(double framesPerSecond)
        {
            period = Math.Max(1L, (long)Math.Round(Stopwatch.Frequency / framesPerSecond));
            next = Stopwatch.GetTimestamp();
        }

        /// <summary>
        /// Blocks until the next frame is due or <paramref name="wake"/> is set, then schedules the frame after it.
        /// Returns <see langword="false"/> when woken by <paramref name="wake"/> before the frame was due.
        /// </summary>
        internal bool WaitForNextFrame(ManualResetEventSlim wake)
        {
            long target = next;
            long remaining = target - Stopwatch.GetTimestamp();
            // No adaptive margin for sleeps that overshoot: on a loaded machine the overshoot is preemption, not timer
            // granularity, and widening the spin to absorb it burnt a third of a core for no better pacing (measured).
            long sleepTicks = remaining - SpinWindow;
            if (sleepTicks >= Stopwatch.Frequency / 1000 && wake.Wait((int)(sleepTicks * 1000 / Stopwatch.Frequency)))
            {
                return false;
            }

            while (Stopwatch.GetTimestamp() < target)
            {
                if (wake.IsSet)
                {
                    return false;
                }

                Thread.Yield();
            }

            // Fixed grid: frame n is due at start + n * period, so small delays do not drift the rate. A frame that
            // starts more than a whole period late resets the grid instead of running catch-up frames back to back.
            long now = Stopwatch.GetTimestamp();
            next = target + period;
            if (now - next > 0)
            {
                next = now + period;
            }

            return true;
        }

        /// <summary>Converts a <see cref="Stopwatch"/> interval to a <see cref="TimeSpan"/>, without overflow.</summary>
        internal static TimeSpan ToTimeSpan(long stopwatchTicks)
            => TimeSpan.FromTicks((long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }
}
