using System;
using System.Diagnostics;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// The one way the tests know that workers are blocked in a wait on a handle: the loop's own count of threads
    /// parked in <c>GetResult</c>/<c>Wait</c> (<see cref="MainLoop.BlockedWaiterCount"/>). A counted thread has finished
    /// spinning and can only be woken by the handle completing (or by its own timeout), so a test that then closes the
    /// loop proves that the close woke it. Never a thread's <c>ThreadState</c>: WaitSleepJoin also shows while spinning.
    /// </summary>
    public static class Blocked
    {
        /// <summary>The default hang guard: a failure bound only, never a timing assertion.</summary>
        public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Returns once at least <paramref name="count"/> threads are parked on handles of <paramref name="loop"/>; fails
        /// the test if that takes longer than <paramref name="hangGuard"/> (default <see cref="HangGuard"/>).
        /// </summary>
        public static void WaitUntil(MainLoop loop, int count, TimeSpan? hangGuard = null)
        {
            var guard = hangGuard ?? HangGuard;
            var watch = Stopwatch.StartNew();
            var spinner = new SpinWait();
            while (loop.BlockedWaiterCount < count)
            {
                if (watch.Elapsed > guard)
                {
                    Assert.Fail($"{loop.BlockedWaiterCount} of {count} worker(s) blocked on {loop} after {guard.TotalSeconds:0} s (hang guard)");
                }

                spinner.SpinOnce();
            }
        }
    }
}
