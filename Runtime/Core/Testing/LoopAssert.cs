#nullable enable
using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace LoopBridge.Testing
{
    /// <summary>
    /// Helpers for users' own tests of code that uses a <see cref="MainLoop"/>: drive frames by hand, wait for a
    /// condition with a clear failure message, and check at teardown that nothing was left pending. Engine-free and
    /// test-framework-free (failures throw <see cref="LoopAssertionException"/>). Call them on the loop's main thread.
    /// </summary>
    /// <example>
    /// <code>
    /// var loop = new MainLoop(new MainLoopOptions { TrackHandles = true });
    /// var handle = loop.Run(() => 42);
    /// LoopAssert.TickUntil(loop, () => handle.IsCompleted, maxTicks: 5);
    /// LoopAssert.NoPendingHandles(loop);
    /// </code>
    /// </example>
    public static class LoopAssert
    {
        /// <summary>Ticks <paramref name="loop"/> <paramref name="frames"/> times.</summary>
        /// <param name="loop">The loop (main thread).</param>
        /// <param name="frames">How many ticks; not negative.</param>
        /// <returns>The entries run over all the ticks.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is negative.</exception>
        public static int TickFrames(MainLoop loop, int frames)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            if (frames < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(frames), frames, "Cannot tick a negative number of frames.");
            }

            var run = 0;
            for (var i = 0; i < frames; i++)
            {
                run += loop.Tick().ItemsRun;
            }

            return run;
        }

        /// <summary>Ticks until <paramref name="condition"/> holds (checked before each tick), at most <paramref name="maxTicks"/> ticks.</summary>
        /// <param name="loop">The loop (main thread).</param>
        /// <param name="condition">What the test waits for.</param>
        /// <param name="maxTicks">The most ticks to run before failing.</param>
        /// <param name="because">What the condition means, for the failure message.</param>
        /// <returns>How many ticks it took.</returns>
        /// <exception cref="LoopAssertionException">The condition did not hold within <paramref name="maxTicks"/> ticks.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="condition"/> is null.</exception>
        public static int TickUntil(MainLoop loop, Func<bool> condition, int maxTicks = 1000, string? because = null)
        {
            Check(loop, condition);
            for (var i = 0; i <= maxTicks; i++)
            {
                if (condition())
                {
                    return i;
                }

                if (i < maxTicks)
                {
                    loop.Tick();
                }
            }

            throw new LoopAssertionException($"{Describe(because)} did not hold after {maxTicks} ticks of {loop}. {Summary(loop)}");
        }

        /// <summary>
        /// Ticks until <paramref name="condition"/> holds or <paramref name="timeout"/> of real time passes, yielding the
        /// thread between ticks: for conditions that depend on other threads (a worker submitting, the thread pool).
        /// </summary>
        /// <param name="loop">The loop (main thread).</param>
        /// <param name="condition">What the test waits for.</param>
        /// <param name="timeout">The longest wait; generous, as a failure bound, never as a timing assertion.</param>
        /// <param name="because">What the condition means, for the failure message.</param>
        /// <returns>How many ticks it took.</returns>
        /// <exception cref="LoopAssertionException">The condition did not hold in time.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="condition"/> is null.</exception>
        public static int TickUntil(MainLoop loop, Func<bool> condition, TimeSpan timeout, string? because = null)
        {
            Check(loop, condition);
            var watch = Stopwatch.StartNew();
            var n = 0;
            while (!condition())
            {
                if (watch.Elapsed > timeout)
                {
                    throw new LoopAssertionException($"{Describe(because)} did not hold within {timeout.TotalSeconds:0.###} s ({n} ticks) of {loop}. {Summary(loop)}");
                }

                loop.Tick();
                n++;
                if (loop.QueueDepth == 0)
                {
                    Thread.Sleep(1);
                }
            }

            return n;
        }

        /// <summary>
        /// Fails if <paramref name="loop"/> still has pending handles (queued or running work, queued continuations):
        /// the teardown check that nothing was left behind. With <see cref="MainLoopOptions.TrackHandles"/> on, the
        /// message lists each pending handle with the call site that submitted it.
        /// </summary>
        /// <param name="loop">The loop.</param>
        /// <exception cref="LoopAssertionException">Something is still pending.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        public static void NoPendingHandles(MainLoop loop)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            var pending = loop.GetPendingHandles();
            if (pending.Count == 0)
            {
                return;
            }

            var text = new StringBuilder();
            text.Append(pending.Count).Append(" pending on ").Append(loop).Append(':');
            foreach (var line in pending)
            {
                text.AppendLine().Append("  - ").Append(line);
            }

            throw new LoopAssertionException(text.ToString());
        }

        private static void Check(MainLoop loop, Func<bool> condition)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            if (condition == null)
            {
                throw new ArgumentNullException(nameof(condition));
            }
        }

        private static string Describe(string? because) => because == null ? "The condition" : $"The condition '{because}'";

        private static string Summary(MainLoop loop) => $"Queue depth {loop.QueueDepth}; {loop.Statistics}.";
    }
}
