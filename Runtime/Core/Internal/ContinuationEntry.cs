#nullable enable
using System;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// A queue entry that resumes code that already started: a continuation posted to the loop's
    /// <see cref="SynchronizationContext"/> (user async code), or a completion being delivered to the main thread
    /// (an await or an <c>OnCompleted</c> callback of a handle completed on another thread).
    /// </summary>
    /// <remarks>
    /// At close, a delivery still runs (inline on the closing thread when that is not the main thread), so no awaiter
    /// or callback is left hanging. A posted continuation runs when the close happens on the main thread (the grace
    /// period); closed from another thread it cannot run on the main thread any more, so it is dropped, counted in
    /// <see cref="MainLoopStatistics.DroppedContinuations"/> and reported.
    /// </remarks>
    internal sealed class ContinuationEntry : QueueEntry
    {
        private Action<object?>? delivery;
        private SendOrPostCallback? posted;
        private object? state;

        internal static ContinuationEntry ForDelivery(Action<object?> action, object? state)
        {
            var entry = ItemPool<ContinuationEntry>.Rent();
            entry.delivery = action;
            entry.state = state;
            return entry;
        }

        internal static ContinuationEntry ForPost(SendOrPostCallback callback, object? state)
        {
            var entry = ItemPool<ContinuationEntry>.Rent();
            entry.posted = callback;
            entry.state = state;
            return entry;
        }

        internal override void Execute(MainLoop loop) => Run(loop);

        internal override void Abort(MainLoop loop, bool onMainThread)
        {
            if (posted != null && !onMainThread)
            {
                var callback = posted;
                Clear();
                loop.OnContinuationDropped(callback);
                return;
            }

            Run(loop);
        }

        private void Run(MainLoop loop)
        {
            var d = delivery;
            var p = posted;
            var s = state;
            Clear();
            try
            {
                if (d != null)
                {
                    d(s);
                }
                else
                {
                    p!(s);
                }
            }
            catch (Exception ex)
            {
                loop.ReportUnhandled(ex);
            }
        }

        private void Clear()
        {
            delivery = null;
            posted = null;
            state = null;
            ItemPool<ContinuationEntry>.Return(this);
        }
    }
}
