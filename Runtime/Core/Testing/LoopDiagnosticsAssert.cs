#nullable enable
using System;
using System.Text;

namespace LoopBridge.Testing
{
    /// <summary>
    /// Assertions on a loop's <see cref="MainLoop.Diagnostics"/>, for users' own tests: how long work waited, whether the
    /// frame budget held, whether anything stalled. Engine-free and test-framework-free (failures throw
    /// <see cref="LoopAssertionException"/>). Any thread (they read a snapshot), typically the test's main thread.
    /// </summary>
    /// <example>
    /// <code>
    /// LoopAssert.TickFrames(loop, 10);
    /// LoopDiagnosticsAssert.NoItemWaitedMoreThan(loop, ticks: 2);
    /// LoopDiagnosticsAssert.NoTickOverBudget(loop);
    /// </code>
    /// </example>
    public static class LoopDiagnosticsAssert
    {
        /// <summary>
        /// No entry the loop has run waited more than <paramref name="ticks"/> ticks from submission to run, and the oldest
        /// entry still queued has not either. 1 is the normal wait (queued between two ticks, run by the next).
        /// </summary>
        /// <param name="loop">The loop.</param>
        /// <param name="ticks">The most ticks allowed; not negative.</param>
        /// <exception cref="LoopAssertionException">Some entry waited longer.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is negative.</exception>
        public static void NoItemWaitedMoreThan(MainLoop loop, long ticks)
        {
            if (ticks < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "A wait cannot be negative.");
            }

            var s = Snapshot(loop);
            if (s.LongestWaitTicks > ticks)
            {
                throw new LoopAssertionException(
                    $"An entry of {loop} waited {s.LongestWaitTicks} ticks before it ran; at most {ticks} allowed. {Histogram(s)}");
            }

            if (s.OldestQueuedAgeTicks > ticks)
            {
                throw new LoopAssertionException(
                    $"The oldest entry still queued in {loop} has waited {s.OldestQueuedAgeTicks} ticks; at most {ticks} allowed ({s.QueueDepth} queued).");
            }
        }

        /// <summary>No tick of the loop took longer than its budget (<see cref="MainLoop.TickBudget"/>), by the loop's clock.</summary>
        /// <param name="loop">The loop.</param>
        /// <exception cref="LoopAssertionException">A tick overran its budget.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        public static void NoTickOverBudget(MainLoop loop)
        {
            var s = Snapshot(loop);
            if (s.TicksOverBudget > 0)
            {
                throw new LoopAssertionException(
                    $"{s.TicksOverBudget} tick(s) of {loop} took longer than the budget {s.TickBudget.TotalMilliseconds:0.###} ms; " +
                    $"the longest took {s.LongestTick.TotalMilliseconds:0.###} ms.");
            }
        }

        /// <summary>The loop has made no stall or hang report (<see cref="LoopDiagnostics.StallDetected"/>).</summary>
        /// <param name="loop">The loop.</param>
        /// <exception cref="LoopAssertionException">It made one; the message includes the last.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        public static void NoStallReported(MainLoop loop)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            var count = loop.Diagnostics.ReportCount;
            if (count > 0)
            {
                throw new LoopAssertionException($"{loop} made {count} stall/hang report(s); the last: {loop.Diagnostics.LastReport}");
            }
        }

        private static LoopDiagnosticsSnapshot Snapshot(MainLoop loop)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            return loop.Diagnostics.GetSnapshot();
        }

        private static string Histogram(LoopDiagnosticsSnapshot s)
        {
            var text = new StringBuilder("Waits in ticks:");
            for (var i = 0; i < LoopLatencyBuckets.Count; i++)
            {
                if (s.LatencyTickCounts[i] > 0)
                {
                    text.Append(' ').Append(LoopLatencyBuckets.TickLabel(i)).Append(": ").Append(s.LatencyTickCounts[i]).Append(';');
                }
            }

            return text.ToString();
        }
    }
}
