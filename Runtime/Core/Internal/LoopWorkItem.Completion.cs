#nullable enable
using System;
using System.Diagnostics;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    // The work side: running the work, claiming the one completion, publishing it, dispatching the continuation,
    // and cancellation. Exactly one completer wins the compare-and-swap on `phase`.
    internal abstract partial class LoopWorkItem
    {
        /// <summary><see cref="phase"/>: submitted, not started.</summary>
        protected const int Queued = 0;

        /// <summary><see cref="phase"/>: started on the main thread.</summary>
        protected const int Running = 1;

        /// <summary><see cref="phase"/>: claimed by one completer, which is writing the outcome (no user code runs in this window).</summary>
        private const int Completing = 2;

        /// <summary><see cref="phase"/>: the outcome is published.</summary>
        private const int Completed = 3;

        /// <summary>The sentinel of the <see cref="continuation"/> slot: "completed, or the continuation was taken". Never invoked.</summary>
        private static readonly Action<object?> CompletedSentinelAction = CompletedSentinel;

        private static readonly Action<object?> TokenCanceledAction = s => ((LoopWorkItem)s!).OnTokenCanceled();
        private static readonly SendOrPostCallback PostToContextCallback = s => ((ContinuationBox)s!).Invoke();
        private static readonly WaitCallback ThreadPoolCallback = s => ((ContinuationBox)s!).Invoke();

        /// <summary>
        /// The link of the loop's stack of running items whose caller's token was cancelled (see
        /// <see cref="MainLoop.RequestCancelRunning"/>): the next item on the stack, or null. Written by the pushing
        /// thread before its compare-and-swap publishes the item, read and cleared by the one thread that took the
        /// whole stack, before it releases the stack's reference. An item is pushed at most once per use (the token's
        /// callback runs once).
        /// </summary>
        internal LoopWorkItem? NextCancel;

        /// <summary>Whether the work side must never run more user code: cancellation was asked through the handle or token.</summary>
        protected bool CancelRequested => Volatile.Read(ref cancelRequested) != 0;

        /// <summary>Whether the outcome is published (phase Completed). Any thread.</summary>
        protected bool IsPublished => Volatile.Read(ref phase) == Completed;

        /// <summary>Whether the caller's token (given at submission) has been cancelled.</summary>
        protected bool CallerTokenCanceled => cancellationToken.IsCancellationRequested;

        /// <summary>The stored outcome, for consumers that have checked <see cref="IsPublished"/> and still hold their reference.</summary>
        protected UniTaskStatus StoredStatus => status;

        /// <summary>See <see cref="StoredStatus"/>.</summary>
        protected Exception? StoredError => error;

        private static void CompletedSentinel(object? state)
        {
            Debug.Fail("LoopWorkItem's completed-sentinel continuation was invoked: the continuation slot protocol is broken.");
            throw new InvalidOperationException("LoopBridge internal error: the completed-sentinel continuation was invoked.");
        }

        /// <inheritdoc />
        internal sealed override void Execute(MainLoop owner)
        {
            if (Interlocked.CompareExchange(ref phase, Running, Queued) != Queued)
            {
                // Cancelled (token or Cancel()) while it waited in the queue: the work never runs.
                ReleaseWorkSide();
                return;
            }

            // Cancel() or the token may have fired between the queue and here; both are "before the work starts".
            if (CancelRequested || cancellationToken.IsCancellationRequested)
            {
                TryComplete(Running, UniTaskStatus.Canceled, NewCanceledException(), byClose: false);
                ReleaseWorkSide();
                return;
            }

            RunWork();
        }

        /// <inheritdoc />
        internal sealed override void Abort(MainLoop owner, bool onMainThread)
        {
            TryComplete(Queued, UniTaskStatus.Canceled, owner.CreateClosedException(), byClose: true);
            ReleaseWorkSide();
        }

        /// <summary>
        /// Runs the work (phase is Running, on the main thread, loop open). Sync work completes the item and calls
        /// <see cref="ReleaseWorkSide"/>; async work does both when it ends.
        /// </summary>
        protected abstract void RunWork();

        /// <summary>Asks running work to stop (async work: cancel its token). Returns whether anything was asked.</summary>
        protected virtual bool CancelRunning() => false;

        /// <summary>Fails started async work whose grace period ran out (close). The work side is released when the work really ends.</summary>
        internal void FailRunning(LoopClosedException exception)
        {
            // External: the async work may end (and release the work side) while this publishes.
            TryComplete(Running, UniTaskStatus.Canceled, exception, byClose: true, external: true);
        }

        /// <summary>Fails a submission that arrives on a loop that is not open; it was never queued.</summary>
        internal void RejectClosed(MainLoop owner)
        {
            TryComplete(Queued, UniTaskStatus.Canceled, owner.CreateClosedException(), byClose: true);
            ReleaseWorkSide();
        }

        /// <summary>Cancels a submission whose token was already cancelled; it was never queued.</summary>
        internal void RejectCanceled()
        {
            TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false);
            ReleaseWorkSide();
        }

        /// <summary>Completes with the work's exception: cancellation exceptions give Canceled, others Faulted.</summary>
        protected bool TrySetException(int from, Exception exception)
        {
            var closed = exception is LoopClosedException;
            var st = exception is OperationCanceledException ? UniTaskStatus.Canceled : UniTaskStatus.Faulted;
            return TryComplete(from, st, exception, closed);
        }

        /// <summary>
        /// Claims the item for completion: true for exactly one caller over the item's life in this use.
        /// </summary>
        /// <param name="from">The phase the claimer expects (Queued or Running).</param>
        /// <param name="external">
        /// True for a completer that holds no reference of its own (a token callback, a close failing running work):
        /// it then takes one, released at the end of <see cref="TryComplete"/>, because the consumer may see Completed
        /// and let go, and the work side may let go, before the completer has finished (waking waiters, dispatching
        /// the continuation); the item must not be recycled under its feet. The work side completing its own item
        /// holds its reference until after Publish anyway.
        /// </param>
        protected bool TryClaim(int from, bool external = false)
        {
            Step("complete.claim");
            if (Interlocked.CompareExchange(ref phase, Completing, from) != from)
            {
                return false;
            }

            if (external)
            {
                // Safe (refs >= 1 here): the consumer's reference is held until it has read the published outcome,
                // and only handles with a consumer have external completers (fire-and-forget work has no token and
                // no handle).
                Interlocked.Increment(ref refs);
            }

            return true;
        }

        /// <summary>See <see cref="LoopWorkItem{T}"/>'s SetResultOfRunningSyncWork: the work side of running sync work owns its completion.</summary>
        protected void ClaimRunningSyncWork()
        {
            Debug.Assert(Volatile.Read(ref phase) == Running, "only running work completes this way");
            Volatile.Write(ref phase, Completing);
        }

        private bool TryComplete(int from, UniTaskStatus st, Exception? exception, bool byClose, bool external = false)
        {
            if (!TryClaim(from, external))
            {
                return false;
            }

            try
            {
                Publish(st, exception, byClose);
            }
            finally
            {
                if (external)
                {
                    Release();
                }
            }

            return true;
        }

        /// <summary>Publishes the outcome of a claimed item, then wakes waiters and runs (or marshals) its continuation.</summary>
        protected void Publish(UniTaskStatus st, Exception? exception, bool byClose)
        {
            Step("complete.publish");
            status = st;
            error = exception;

            // Full fence: the phase write must be visible before we read the waiter count (a waiter increments the
            // count before it checks the phase, so one of the two always sees the other), and before we read the
            // continuation slot (see below).
            Interlocked.Exchange(ref phase, Completed);
            Step("complete.published");

            var owner = loop!;
            owner.OnItemCompleted(this, st, byClose);

            if (cancellationToken.CanBeCanceled)
            {
                // Releases the registration: nothing of this item stays attached to the caller's token.
                tokenRegistration.Dispose();
                tokenRegistration = default;
            }

            if (fireAndForget && st == UniTaskStatus.Faulted)
            {
                owner.ReportUnhandled(exception!);
            }

            if (Volatile.Read(ref waiters) > 0)
            {
                lock (this)
                {
                    Monitor.PulseAll(this);
                }
            }

            if (StateOf(Volatile.Read(ref stamp)) == Preserved)
            {
                DispatchPreserved();
                return;
            }

            // The phase write above is a full fence, and Register reads the phase after its own compare-and-swap
            // (Dekker): if we read an empty slot here, the registering thread sees Completed and runs it itself.
            // So the compare-and-swap is only paid when there is a continuation, and it decides who runs it.
            var k = Volatile.Read(ref continuation);
            if (k != null && !ReferenceEquals(k, CompletedSentinelAction)
                && ReferenceEquals(Interlocked.CompareExchange(ref continuation, CompletedSentinelAction, k), k))
            {
                Dispatch(k, continuationState, continuationTarget, continuationContext);
            }
        }

        private void Dispatch(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
        {
            switch (target)
            {
                case ContinuationTarget.MainThread:
                    loop!.DeliverToMainThread(action, state);
                    break;
                case ContinuationTarget.Context:
                    context!.Post(PostToContextCallback, new ContinuationBox(action, state, target, context));
                    break;
                default:
                    if (!loop!.SupportsThreads)
                    {
                        // No thread pool (WebGL): an await registered off the main thread cannot happen there, but if
                        // it ever does, the loop is the only place left to run it.
                        loop.DeliverToMainThread(action, state);
                        break;
                    }

                    ThreadPool.UnsafeQueueUserWorkItem(ThreadPoolCallback, new ContinuationBox(action, state, target, null));
                    break;
            }
        }

        private void OnTokenCanceled()
        {
            // While this registration callback runs, the item cannot be recycled: Publish disposes the registration,
            // and Dispose waits for a running callback. So this callback must stay short and never run user code
            // (it would make that wait, and so the main thread, depend on the user's code): a running async item's
            // own token is cancelled later, by the loop's next tick on the main thread (never by a thread-pool
            // callback: Unity APIs throw there, and WebGL has no thread pool).
            Interlocked.Exchange(ref cancelRequested, 1);
            if (!TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false, external: true)
                && Volatile.Read(ref phase) == Running)
            {
                // The loop's stack holds a reference until the tick (or the close) has taken the item off it.
                // Safe (refs >= 1): the work side holds its reference until after Publish, and Publish disposes this
                // registration, which waits for this callback to return.
                Interlocked.Increment(ref refs);
                loop!.RequestCancelRunning(this);
            }
        }

        /// <summary>
        /// Called for an item taken off the loop's cancel stack (see <see cref="NextCancel"/>): on the main thread at
        /// the start of a tick (<paramref name="mayCancel"/>: cancel the running work's token there, so its callbacks
        /// and every continuation of this tick see it), or by a close (which cancels the work through
        /// <see cref="MainLoop.Closing"/> anyway, so only the reference is given back). Then releases the stack's
        /// reference. Never throws.
        /// </summary>
        internal void DeliverCancelRequest(bool mayCancel)
        {
            try
            {
                Step("cancel.deliver");
                if (mayCancel && Volatile.Read(ref phase) == Running)
                {
                    CancelRunning();
                }
            }
            finally
            {
                Release();
            }
        }

        /// <summary>
        /// <see cref="LoopHandle.Cancel"/>: cancels the use <paramref name="generation"/> names, if it has not completed.
        /// Never throws; false when there is nothing left to cancel (completed, consumed, or the source reused).
        /// </summary>
        internal bool Cancel(long generation)
        {
            // Hold a reference to this very use (verified by generation), so a Cancel racing with the handle's
            // completion, consumption and the item's reuse can never reach an unrelated submission.
            if (!TryAddReference(generation))
            {
                return false; // completed, consumed and released by all: nothing left to cancel
            }

            try
            {
                Step("cancel");
                if (Volatile.Read(ref phase) >= Completing)
                {
                    return false; // done (asyncio: cancel() on a done future returns False); leaves no mark
                }

                Interlocked.Exchange(ref cancelRequested, 1);
                if (TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false))
                {
                    return true;
                }

                return Volatile.Read(ref phase) == Running && CancelRunning();
            }
            finally
            {
                Release();
            }
        }

        private OperationCanceledException NewCanceledException() => cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("The work was cancelled through its CancellationToken before it ran.", cancellationToken)
            : new OperationCanceledException("The work was cancelled through its handle.");

        /// <summary>
        /// Another thread has claimed the item and is writing its outcome (no user code runs in that window): wait
        /// until it is published, so a finished item is never reported as pending.
        /// </summary>
        private void WaitOutCompleting()
        {
            if (Volatile.Read(ref phase) != Completing)
            {
                return;
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref phase) == Completing)
            {
                Step("spin");
                spinner.SpinOnce();
            }
        }
    }
}
