#nullable enable
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// Watches one blocking wait on a handle (LoopWorkItem.WaitForCompletion): the waiter sleeps in slices and, between
    /// them, reports itself once past <see cref="LoopDiagnostics.HangThreshold"/> and checks its loop for a stall. A
    /// default value (diagnostics off) passes every timeout through unchanged. A mutable struct: keep it in a local.
    /// </summary>
    internal struct BlockedWait
    {
        private readonly LoopDiagnostics? owner;
        private readonly LoopWorkItem? item;
        private readonly long start;
        private readonly long hangThreshold;
        private readonly int intervalMs;
        private bool reported;

        internal BlockedWait(LoopDiagnostics owner, LoopWorkItem item, long start, long hangThreshold, int intervalMs)
        {
            this.owner = owner;
            this.item = item;
            this.start = start;
            this.hangThreshold = hangThreshold;
            this.intervalMs = intervalMs;
            reported = false;
        }

        /// <summary>
        /// Hook: wraps the timeout of each <c>Monitor.Wait</c> of a blocked waiter. Checks (and reports) first, then returns
        /// how long to sleep: <paramref name="remainingMs"/> (<see cref="Timeout.Infinite"/> allowed), at most one check interval.
        /// </summary>
        internal int Slice(int remainingMs)
        {
            if (owner == null)
            {
                return remainingMs;
            }

            owner.OnWaiterSlice(item!, start, hangThreshold, ref reported);
            return remainingMs == Timeout.Infinite || remainingMs > intervalMs ? intervalMs : remainingMs;
        }
    }
}
