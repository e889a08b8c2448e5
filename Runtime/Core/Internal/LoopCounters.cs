#nullable enable
using System.Runtime.InteropServices;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>
    /// A loop's statistics counters, in their own object padded to whole cache lines.
    /// </summary>
    /// <remarks>
    /// Why a separate, padded object: the main thread writes these for every item it completes, while producers read
    /// the loop's state word and queue on every submission. On one cache line, each completion would steal that
    /// line from every producer (false sharing). The succeeded count, by far the most frequent, is split into a
    /// plain counter the main thread alone writes and an interlocked one for completions on other threads.
    /// </remarks>
    [StructLayout(LayoutKind.Sequential)]
    internal sealed class LoopCounters
    {
#pragma warning disable CS0169, IDE0051 // padding: never read
        private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
#pragma warning restore CS0169, IDE0051

        internal long Ticks;
        internal long ItemsRun;
        internal long SucceededOnMainThread;
        internal long SucceededElsewhere;
        internal long Faulted;
        internal long Canceled;
        internal long FailedByClose;
        internal long DroppedContinuations;
        internal long LastTickTicks;
        internal long LongestTickTicks;

#pragma warning disable CS0169, IDE0051 // padding: never read
        private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;
#pragma warning restore CS0169, IDE0051

        internal long Succeeded => Volatile.Read(ref SucceededOnMainThread) + Interlocked.Read(ref SucceededElsewhere);

        /// <summary>Counts one completed handle; <paramref name="onMainThread"/> says whether the caller is the loop's main thread.</summary>
        internal void CountCompletion(UniTaskStatus status, bool byClose, bool onMainThread)
        {
            if (byClose)
            {
                Interlocked.Increment(ref FailedByClose);
            }
            else if (status == UniTaskStatus.Succeeded)
            {
                if (onMainThread)
                {
                    // Single writer (the main thread): a plain increment, published for readers by Volatile.
                    Volatile.Write(ref SucceededOnMainThread, SucceededOnMainThread + 1);
                }
                else
                {
                    Interlocked.Increment(ref SucceededElsewhere);
                }
            }
            else if (status == UniTaskStatus.Faulted)
            {
                Interlocked.Increment(ref Faulted);
            }
            else
            {
                Interlocked.Increment(ref Canceled);
            }
        }
    }
}
