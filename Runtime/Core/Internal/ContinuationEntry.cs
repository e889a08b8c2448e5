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
    /// Both belong on the main thread. At close, the main thread runs them during the grace period; after it (or
    /// when the close is finished by another thread because the main thread did not tick), a posted continuation is
    /// dropped, counted in <see cref="MainLoopStatistics.DroppedContinuations"/> and reported, and so is a delivery
    /// that would resume an await of main-thread code: code of started work never runs on another thread. A delivery
    /// still runs on the main thread, and a completion callback runs wherever the close is finished (or the callback
    /// registered), so its owner always learns the outcome.
    /// </remarks>
    internal sealed class ContinuationEntry : QueueEntry
    {
        /// <summary>A delivery's action (null for a posted continuation, and while pooled).</summary>
        private Action<object?>? delivery;

        /// <summary>A posted continuation's callback (null for a delivery, and while pooled).</summary>
        private SendOrPostCallback? posted;

        /// <summary>
        /// Whether a delivery invokes a completion callback (<see cref="LoopHandle.OnCompleted"/>): the handle's own
        /// machinery in this assembly, rather than an awaiter's continuation (UniTask, compiler-generated code).
        /// </summary>
        private static bool IsCompletionCallback(Action<object?> action) => action.Method.DeclaringType?.Assembly == typeof(ContinuationEntry).Assembly;

        /// <summary>The argument of either.</summary>
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

        internal override void Execute(MainLoop loop) => RunAtClose(loop, mayRun: true);

        internal override void Abort(MainLoop loop, bool onMainThread) => RunAtClose(loop, mayRun: false);

        /// <summary>
        /// Runs the entry, or reports and drops it. <paramref name="mayRun"/>: on the main thread within the grace
        /// period. A delivery also runs on the main thread after it, and a delivery of a completion callback runs on
        /// any thread (it tells the handle's owner the outcome, and nothing else can); a delivery that resumes an await
        /// of main-thread code does not.
        /// </summary>
        internal void RunAtClose(MainLoop loop, bool mayRun)
        {
            var d = delivery;
            var p = posted;
            var s = state;
            delivery = null;
            posted = null;
            state = null;
            ItemPool<ContinuationEntry>.Return(this);
            if (!mayRun && d != null && (loop.IsMainThread || IsCompletionCallback(d)))
            {
                mayRun = true;
            }

            if (!mayRun)
            {
                loop.OnContinuationDropped(d != null
                    ? "the completion of a handle (" + ContinuationNames.DescribeDelivery(d, s) + ")"
                    : "an async continuation (" + ContinuationNames.Describe(p!, s) + ")");
                return;
            }

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
    }
}
