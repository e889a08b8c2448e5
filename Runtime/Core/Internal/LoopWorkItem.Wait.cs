#nullable enable
using System;
using System.Diagnostics;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    // The blocking wait (GetResult(timeout) from a worker thread). The consumer claims the use first, so the item
    // cannot be recycled while it waits: a completion always finds and wakes it, and a racing second consumer is
    // rejected at once instead of waiting on a use it does not own.
    internal abstract partial class LoopWorkItem
    {
        /// <summary>Spin iterations before a blocking wait parks the thread.</summary>
        private const int SpinBeforeBlocking = 20;

        /// <summary>The longest single Monitor.Wait (ms); longer timeouts are waited in slices of this length.</summary>
        private const int MaxWaitSliceMs = int.MaxValue - 1;

        /// <summary>
        /// Claims the use <paramref name="generation"/> and blocks until its outcome is published or
        /// <paramref name="timeout"/> passes. Returns whether the use is preserved (then nothing was claimed). On return
        /// the outcome is published and the caller owns it: it reads it, then calls <see cref="EndBlockingGetResult"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">Consumed, reused, or the loop's main thread would deadlock.</exception>
        /// <exception cref="TimeoutException">The timeout passed first (the claim is given back: the handle stays usable).</exception>
        protected bool BeginBlockingGetResult(long generation, TimeSpan timeout)
        {
            ValidateTimeout(timeout);
            var claimed = ClaimConsumer(generation);
            try
            {
                WaitForPublished(timeout);
            }
            catch
            {
                if (claimed)
                {
                    Unclaim(generation);
                }

                throw;
            }

            return !claimed;
        }

        /// <summary>Ends a blocking GetResult after the outcome was read; returns the exception to rethrow, or null.</summary>
        protected Exception? EndBlockingGetResult(long generation, bool preserved, UniTaskStatus st, Exception? ex)
        {
            if (!preserved)
            {
                FinishConsume(generation);
            }

            return st == UniTaskStatus.Succeeded ? null : ex;
        }

        /// <summary>Non-generic blocking GetResult (<see cref="LoopHandle.GetResult(TimeSpan)"/>).</summary>
        internal void BlockingGetResult(long generation, TimeSpan timeout)
        {
            var preserved = BeginBlockingGetResult(generation, timeout);
            var ex = EndBlockingGetResult(generation, preserved, status, error);
            if (ex != null)
            {
                Rethrow(ex);
            }
        }

        /// <summary>Blocks the calling (non-main) thread until the outcome is published or the timeout passes. The use is pinned by the caller.</summary>
        private void WaitForPublished(TimeSpan timeout)
        {
            WaitOutCompleting();
            if (Volatile.Read(ref phase) == Completed)
            {
                return;
            }

            var owner = loop!;
            if (owner.IsMainThread)
            {
                throw new InvalidOperationException(
                    "Blocking on a LoopHandle on the loop's own main thread would deadlock: the main thread is the one that must run this work. " +
                    "Await the handle instead, or block from a worker thread.");
            }

            // Spin briefly before blocking (as ManualResetEventSlim and Task.Wait do): a tick usually completes the item
            // within microseconds, and a kernel wait and wake costs tens of them. Below 20 iterations SpinOnce only
            // spins or yields; it never sleeps (its first Sleep(1) comes at iteration 29).
            var spinner = default(SpinWait);
            while (spinner.Count < SpinBeforeBlocking && Volatile.Read(ref phase) != Completed)
            {
                spinner.SpinOnce();
            }

            if (Volatile.Read(ref phase) == Completed)
            {
                return;
            }

            var infinite = timeout == Timeout.InfiniteTimeSpan;
            var totalMs = timeout.TotalMilliseconds;
            var start = Stopwatch.GetTimestamp();
            var watch = owner.Diagnostics.BeginBlockedWait(this);
            Interlocked.Increment(ref waiters);
            try
            {
                lock (this)
                {
                    while (Volatile.Read(ref phase) != Completed)
                    {
                        int sliceMs;
                        if (infinite)
                        {
                            sliceMs = Timeout.Infinite;
                        }
                        else
                        {
                            // In double milliseconds: exact enough, and no overflow up to TimeSpan.MaxValue (about 9.2e14 ms).
                            var remaining = totalMs - ((Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency);
                            if (remaining <= 0)
                            {
                                throw new TimeoutException($"The work submitted to {owner} did not complete within {timeout}.");
                            }

                            sliceMs = remaining >= MaxWaitSliceMs ? MaxWaitSliceMs : (int)Math.Ceiling(remaining);
                        }

                        owner.OnWaiterParking();
                        try
                        {
                            Monitor.Wait(this, watch.Slice(sliceMs));
                        }
                        finally
                        {
                            owner.OnWaiterWoke();
                        }
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref waiters);
            }
        }

        /// <summary>Throws unless <paramref name="timeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> or not negative (any value up to <see cref="TimeSpan.MaxValue"/> is honoured).</summary>
        protected static void ValidateTimeout(TimeSpan timeout)
        {
            if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be non-negative (any value up to TimeSpan.MaxValue), or Timeout.InfiniteTimeSpan.");
            }
        }
    }
}
