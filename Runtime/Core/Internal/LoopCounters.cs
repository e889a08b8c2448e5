#nullable enable
using System;
using System.Runtime.InteropServices;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>
    /// A loop's statistics counters, in their own object padded to whole cache lines.
    /// </summary>
    /// <remarks>
    /// <para><b>Two groups.</b> The main thread owns the first group (ticks, entries run, the outcomes of handles
    /// completed on the main thread, tick times): it alone writes them, with plain stores inside a sequence lock
    /// (<see cref="sequence"/> odd while it writes), so no interlocked operation is added to the tick. Completions
    /// on other threads (a close from a worker, async work ending on the thread pool, <c>Cancel()</c> from a worker)
    /// go to the second group, by <see cref="Interlocked"/>.</para>
    /// <para><b>Snapshot.</b> <see cref="Snapshot"/> reads the second group first, then the whole first group from
    /// one instant of the main thread (retrying while the main thread writes). An entry is counted as run before it
    /// runs, and a completion elsewhere happens after its work started; so in a snapshot, every handle counted as
    /// completed by running work has its entry counted in <see cref="MainLoopStatistics.ItemsRun"/>.</para>
    /// <para><b>Padding.</b> The main thread writes these for every item, while producers read the loop's state word
    /// and queue on every submission; on one cache line, each completion would steal that line from every producer
    /// (false sharing).</para>
    /// </remarks>
    [StructLayout(LayoutKind.Sequential)]
    internal sealed class LoopCounters
    {
#pragma warning disable CS0169, IDE0051 // padding: never read
        private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
#pragma warning restore CS0169, IDE0051

        /// <summary>Even: the main-thread group is stable; odd: the main thread is writing it. Main thread writes; any thread reads.</summary>
        private int sequence;

        // Main-thread group: written by the main thread only, inside BeginWrite/EndWrite.
        private long ticks;
        private long itemsRun;
        private long succeededOnMain;
        private long faultedOnMain;
        private long canceledOnMain;
        private long failedByCloseOnMain;
        private long lastTickTicks;
        private long longestTickTicks;

        // Any-thread group: Interlocked.
        private long succeededElsewhere;
        private long faultedElsewhere;
        private long canceledElsewhere;
        private long failedByCloseElsewhere;
        private long droppedContinuations;

#pragma warning disable CS0169, IDE0051 // padding: never read
        private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;
#pragma warning restore CS0169, IDE0051

        // Each store is a release (Volatile.Write): the odd sequence is visible before the data, the data before the even
        // one. Written as "make it odd" / "next even" rather than "+1", so that even two writers (a main thread
        // rebound while the old one still completes an item: misuse) can never leave it odd and make readers spin.
        private void BeginWrite() => Volatile.Write(ref sequence, sequence | 1);

        private void EndWrite() => Volatile.Write(ref sequence, (sequence | 1) + 1);

        /// <summary>One queue entry taken by a tick, counted before it runs. Main thread only.</summary>
        internal void CountItemRun()
        {
            BeginWrite();
            Volatile.Write(ref itemsRun, itemsRun + 1);
            EndWrite();
        }

        /// <summary>A tick ended after <paramref name="elapsed"/> clock ticks. Main thread only.</summary>
        internal void CountTick(long elapsed)
        {
            BeginWrite();
            Volatile.Write(ref ticks, ticks + 1);
            Volatile.Write(ref lastTickTicks, elapsed);
            if (elapsed > longestTickTicks)
            {
                Volatile.Write(ref longestTickTicks, elapsed);
            }

            EndWrite();
        }

        /// <summary>A continuation that had to run on the main thread was dropped by the close. Any thread.</summary>
        internal void CountDroppedContinuation() => Interlocked.Increment(ref droppedContinuations);

        /// <summary>Counts one completed handle; <paramref name="onMainThread"/> says whether the caller is the loop's main thread.</summary>
        internal void CountCompletion(UniTaskStatus status, bool byClose, bool onMainThread)
        {
            if (onMainThread)
            {
                BeginWrite();
                if (byClose)
                {
                    Volatile.Write(ref failedByCloseOnMain, failedByCloseOnMain + 1);
                }
                else if (status == UniTaskStatus.Succeeded)
                {
                    Volatile.Write(ref succeededOnMain, succeededOnMain + 1);
                }
                else if (status == UniTaskStatus.Faulted)
                {
                    Volatile.Write(ref faultedOnMain, faultedOnMain + 1);
                }
                else
                {
                    Volatile.Write(ref canceledOnMain, canceledOnMain + 1);
                }

                EndWrite();
                return;
            }

            if (byClose)
            {
                Interlocked.Increment(ref failedByCloseElsewhere);
            }
            else if (status == UniTaskStatus.Succeeded)
            {
                Interlocked.Increment(ref succeededElsewhere);
            }
            else if (status == UniTaskStatus.Faulted)
            {
                Interlocked.Increment(ref faultedElsewhere);
            }
            else
            {
                Interlocked.Increment(ref canceledElsewhere);
            }
        }

        /// <summary>A consistent snapshot (see the remarks). Any thread; lock-free, retries while the main thread writes.</summary>
        internal MainLoopStatistics Snapshot(int queueDepth, int runningAsync)
        {
            var succeeded = Interlocked.Read(ref succeededElsewhere);
            var faulted = Interlocked.Read(ref faultedElsewhere);
            var canceled = Interlocked.Read(ref canceledElsewhere);
            var failedByClose = Interlocked.Read(ref failedByCloseElsewhere);
            var dropped = Interlocked.Read(ref droppedContinuations);

            var spinner = default(SpinWait);
            while (true)
            {
                var before = Volatile.Read(ref sequence);
                if ((before & 1) == 0)
                {
                    var t = Volatile.Read(ref ticks);
                    var run = Volatile.Read(ref itemsRun);
                    var ok = Volatile.Read(ref succeededOnMain);
                    var bad = Volatile.Read(ref faultedOnMain);
                    var stopped = Volatile.Read(ref canceledOnMain);
                    var closed = Volatile.Read(ref failedByCloseOnMain);
                    var last = Volatile.Read(ref lastTickTicks);
                    var longest = Volatile.Read(ref longestTickTicks);
                    if (Volatile.Read(ref sequence) == before)
                    {
                        return new MainLoopStatistics(t, run, succeeded + ok, faulted + bad, canceled + stopped, failedByClose + closed, dropped,
                            queueDepth, runningAsync, TimeSpan.FromTicks(last), TimeSpan.FromTicks(longest));
                    }
                }

                spinner.SpinOnce();
            }
        }
    }
}
