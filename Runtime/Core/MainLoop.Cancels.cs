#nullable enable
using System;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>
        /// Running async items whose caller's token was cancelled, waiting for the next tick to cancel their own token
        /// on the main thread: an intrusive stack linked through <see cref="LoopWorkItem.NextCancel"/> (no allocation).
        /// Pushed by compare-and-swap from the token's callback (any thread); emptied as a whole by one exchange at the
        /// start of a tick, or by the close. Taking the whole stack at once means no pop ever races with a push (no ABA).
        /// Each item on it holds one reference of its own, given back by whoever took it.
        /// </summary>
        private LoopWorkItem? pendingCancels;

        /// <summary>
        /// Asks the main thread to cancel running <paramref name="item"/>'s token at the start of the next tick. The
        /// caller has taken a reference for the stack. Never runs user code; any thread (a token's callback).
        /// </summary>
        internal void RequestCancelRunning(LoopWorkItem item)
        {
            while (true)
            {
                var head = Volatile.Read(ref pendingCancels);
                item.NextCancel = head;
                if (ReferenceEquals(Interlocked.CompareExchange(ref pendingCancels, item, head), head))
                {
                    break;
                }
            }

            // The compare-and-swap is a full fence, and CompleteClose writes Closed (interlocked) before it empties
            // the stack: either it sees our item, or we see Closed here and give the reference back ourselves (the
            // close cancelled the work through Closing). Both may happen: the exchange hands the item to one of them.
            // While the loop is only Closing, the close's finish takes it.
            if ((LoopState)(Volatile.Read(ref stateWord) & StateMask) == LoopState.Closed)
            {
                DeliverPendingCancels(mayCancel: false);
            }
        }

        /// <summary>
        /// Takes the whole stack and delivers each request: at the start of a tick on the main thread
        /// (<paramref name="mayCancel"/>: the work's token is cancelled there, before any queued entry of this tick
        /// runs), or at close (only the references are given back). Never throws.
        /// </summary>
        private void DeliverPendingCancels(bool mayCancel)
        {
            if (Volatile.Read(ref pendingCancels) == null)
            {
                return; // the common case: one read per tick
            }

            var item = Interlocked.Exchange(ref pendingCancels, null);
            while (item != null)
            {
                // Read the link first: delivering gives the stack's reference back, which may recycle the item.
                var next = item.NextCancel;
                item.NextCancel = null;
                try
                {
                    item.DeliverCancelRequest(mayCancel);
                }
                catch (Exception ex)
                {
                    ReportUnhandled(ex);
                }

                item = next;
            }
        }
    }
}
