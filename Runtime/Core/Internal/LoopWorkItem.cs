using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The pooled source behind a <see cref="LoopHandle"/>: one submission's delegate, its completion state, its single
    /// continuation and its blocked waiters. Derived types add the result type and the kind of work.
    /// </summary>
    /// <remarks>
    /// <para><b>Completion is exactly once.</b> Every path that completes an item (the work returning, the token or
    /// <c>Cancel()</c> before start, close) first claims it with one compare-and-swap on <see cref="phase"/>
    /// (Queued or Running to Completing); only the winner writes the outcome and publishes Completed.</para>
    /// <para><b>Recycling is by reference count.</b> An item is shared by the work side (the queue, then the running
    /// work) and the consumer (the handle's one await / GetResult / callback). It returns to the pool when both have
    /// let go, and its <see cref="version"/> moves on, so a stale handle is detected instead of reading someone
    /// else's result. Fire-and-forget items have no consumer.</para>
    /// <para><b>No user code runs under a lock.</b> The only lock taken is the item's own monitor, to wake blocked
    /// waiters (and to guard the continuation list of a preserved handle).</para>
    /// </remarks>
    internal abstract class LoopWorkItem : QueueEntry, IUniTaskSource
    {
        protected const int Queued = 0;
        protected const int Running = 1;
        private const int Completing = 2;
        private const int Completed = 3;

        /// <summary>Spin iterations before a blocking wait parks the thread.</summary>
        private const int SpinBeforeBlocking = 20;

        private static readonly Action<object?> CompletedSentinel = _ => { };
        private static readonly Action<object?> TokenCanceledAction = s => ((LoopWorkItem)s!).OnTokenCanceled();
        private static readonly Action<object?> InvokeCallbackAction = s => ((LoopWorkItem)s!).InvokeCallback();
        private static readonly SendOrPostCallback PostToContextCallback = s => ((ContinuationBox)s!).Invoke();
        private static readonly WaitCallback ThreadPoolCallback = s => ((ContinuationBox)s!).Invoke();

        private MainLoop? loop;
        private short version;
        private int phase;
        private int refs;
        private int consumed;
        private int cancelRequested;
        private int continuationClaimed;
        private int waiters;
        private bool preserved;
        private bool fireAndForget;
        private UniTaskStatus status;
        private Exception? error;
        private CancellationToken cancellationToken;
        private CancellationTokenRegistration tokenRegistration;

        // The single continuation (an await or a completion callback). Published by compare-and-swap against
        // CompletedSentinel, so registration racing with completion runs it exactly once.
        private Action<object?>? continuation;
        private object? continuationState;
        private ContinuationTarget continuationTarget;
        private SynchronizationContext? continuationContext;
        private object? callback;

        // Preserved handles only: every await / callback (guarded by lock(this)).
        private List<ContinuationBox>? preservedContinuations;

        /// <summary>Links of the loop's registry of started async work (guarded by the loop's registry lock).</summary>
        internal LoopWorkItem? RegistryPrevious;

        /// <summary>See <see cref="RegistryPrevious"/>.</summary>
        internal LoopWorkItem? RegistryNext;

        /// <summary>Whether the item is in the loop's registry of started async work.</summary>
        internal bool InRegistry;

        /// <summary>The submitting call site, when <see cref="MainLoopOptions.TrackHandles"/> is on.</summary>
        internal string? CallSite;

        /// <summary>The token a new handle for this item must carry.</summary>
        internal short Version => version;

        /// <summary>The loop the item was submitted to (null while pooled).</summary>
        protected MainLoop Loop => loop!;

        /// <summary>Whether the work side must never run more user code: cancellation was asked through the handle.</summary>
        protected bool CancelRequested => Volatile.Read(ref cancelRequested) != 0;

        /// <summary>Whether the outcome is published (phase Completed). Any thread.</summary>
        protected bool IsPublished => Volatile.Read(ref phase) == Completed;

        /// <summary>Whether the caller's token (given at submission) has been cancelled.</summary>
        protected bool CallerTokenCanceled => cancellationToken.IsCancellationRequested;

        /// <summary>Describes the item for diagnostics (pending-handle reports).</summary>
        internal abstract string Describe();

        /// <summary>Prepares a rented item for one submission. Called by the submitting thread only.</summary>
        internal void Init(MainLoop owner, CancellationToken token, bool isFireAndForget)
        {
            loop = owner;
            cancellationToken = token;
            fireAndForget = isFireAndForget;
            Volatile.Write(ref refs, isFireAndForget ? 1 : 2);
        }

        /// <summary>Registers the caller's token (only for tokens that can be cancelled and are not yet).</summary>
        internal void RegisterToken()
        {
            tokenRegistration = cancellationToken.Register(TokenCanceledAction, this);
        }

        // ---- work side ------------------------------------------------------------------------------------------

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
        /// it then takes one, released at the end of <see cref="Publish"/>, because the consumer may see Completed
        /// and let go, and the work side may let go, before the completer has finished (waking waiters, dispatching
        /// the continuation); the item must not be recycled under its feet. The work side completing its own item
        /// holds its reference until after Publish anyway.
        /// </param>
        protected bool TryClaim(int from, bool external = false)
        {
            if (Interlocked.CompareExchange(ref phase, Completing, from) != from)
            {
                return false;
            }

            if (external)
            {
                // Safe (refs >= 1 here): the consumer's reference is held until Completed is published, and only
                // handles with a consumer have external completers (fire-and-forget work has no token and no handle).
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
            status = st;
            error = exception;

            // Full fence: the phase write must be visible before we read the waiter count (a waiter increments the
            // count before it checks the phase, so one of the two always sees the other).
            Interlocked.Exchange(ref phase, Completed);

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

            if (preserved)
            {
                List<ContinuationBox>? all;
                lock (this)
                {
                    all = preservedContinuations;
                    preservedContinuations = null;
                }

                if (all != null)
                {
                    foreach (var box in all)
                    {
                        Dispatch(box.Action, box.State, box.Target, box.Context);
                    }
                }

                return;
            }

            // The phase write above is a full fence, and Register reads the phase after its own compare-and-swap
            // (Dekker): if we read an empty slot here, the registering thread sees Completed and runs it itself.
            // So the compare-and-swap is only paid when there is a continuation, and it decides who runs it.
            var k = Volatile.Read(ref continuation);
            if (k != null && !ReferenceEquals(k, CompletedSentinel)
                && ReferenceEquals(Interlocked.CompareExchange(ref continuation, CompletedSentinel, k), k))
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
                    ThreadPool.UnsafeQueueUserWorkItem(ThreadPoolCallback, new ContinuationBox(action, state, target, null));
                    break;
            }
        }

        /// <summary>The work side is done with the item (sync work ran, or async work ended, or it was never started).</summary>
        protected void ReleaseWorkSide() => Release();

        private void Release()
        {
            if (Interlocked.Decrement(ref refs) == 0)
            {
                Recycle();
            }
        }

        private void Recycle()
        {
            loop = null;
            error = null;
            status = UniTaskStatus.Pending;
            cancellationToken = default;
            tokenRegistration = default;
            continuation = null;
            continuationState = null;
            continuationContext = null;
            callback = null;
            preservedContinuations = null;
            preserved = false;
            fireAndForget = false;
            consumed = 0;
            cancelRequested = 0;
            continuationClaimed = 0;
            CallSite = null;
            ClearWork();
            unchecked
            {
                version++;
            }

            // Last: the next rent may come from another thread at once.
            Volatile.Write(ref phase, Queued);
            ReturnToPool();
        }

        /// <summary>Drops the delegate, state and result so a pooled item holds nothing of the user's.</summary>
        protected abstract void ClearWork();

        /// <summary>Returns this object to its type's pool.</summary>
        protected abstract void ReturnToPool();

        // ---- cancellation ---------------------------------------------------------------------------------------

        private void OnTokenCanceled()
        {
            // While this registration callback runs, the item cannot be recycled: Publish disposes the registration,
            // and Dispose waits for a running callback. So this callback must stay short and never run user code
            // (it would make that wait, and so the main thread, depend on the user's code): a running async item's
            // own token is cancelled later, off this thread.
            Interlocked.Exchange(ref cancelRequested, 1);
            if (!TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false, external: true)
                && Volatile.Read(ref phase) == Running)
            {
                Interlocked.Increment(ref refs);
                ThreadPool.QueueUserWorkItem(s =>
                {
                    var item = (LoopWorkItem)s!;
                    try
                    {
                        item.CancelRunning();
                    }
                    finally
                    {
                        item.Release();
                    }
                }, this);
            }
        }

        /// <summary><see cref="LoopHandle.Cancel"/>.</summary>
        internal bool Cancel(short token)
        {
            // Hold a reference to this very use (verified by version), so a Cancel racing with the handle's
            // completion, consumption and the item's reuse can never reach an unrelated submission.
            if (!TryAddReference(token))
            {
                ValidateToken(token);
                return false; // completed and released by all: nothing left to cancel
            }

            try
            {
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

        /// <summary>Takes a reference if the item is still alive in the use <paramref name="token"/> names.</summary>
        private bool TryAddReference(short token)
        {
            while (true)
            {
                var r = Volatile.Read(ref refs);
                if (r == 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref refs, r + 1, r) == r)
                {
                    break;
                }
            }

            if (version == token)
            {
                return true;
            }

            Release();
            return false;
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

        private OperationCanceledException NewCanceledException() => cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("The work was cancelled through its CancellationToken before it ran.", cancellationToken)
            : new OperationCanceledException("The work was cancelled through its handle.");

        // ---- consumer side --------------------------------------------------------------------------------------

        /// <summary>Throws when <paramref name="token"/> is not the current use of this item.</summary>
        protected void ValidateToken(short token)
        {
            if (token != version)
            {
                throw new InvalidOperationException(
                    "This LoopHandle is no longer valid: its result was already consumed and its source reused. " +
                    "A handle is consumed once (await, GetResult/Wait, or one OnCompleted callback); call Preserve() first to consume it several times.");
            }
        }

        private void Consume()
        {
            if (!preserved && Interlocked.Exchange(ref consumed, 1) != 0)
            {
                throw new InvalidOperationException(
                    "This LoopHandle was already consumed (awaited, waited on, or given a completion callback). " +
                    "A handle is consumed once; call Preserve() first to consume it several times.");
            }
        }

        /// <summary>Marks the handle as consumed before its result is read (await, GetResult, Wait).</summary>
        protected void BeginGetResult(short token)
        {
            ValidateToken(token);
            WaitOutCompleting();
            if (Volatile.Read(ref phase) != Completed)
            {
                throw new InvalidOperationException("The work has not completed yet: await the handle, or block with GetResult(timeout) from a worker thread.");
            }

            Consume();
        }

        /// <summary>Reads the outcome (after <see cref="BeginGetResult"/>) and lets go of the consumer side.</summary>
        protected Exception? EndGetResult()
        {
            var st = status;
            var ex = error;
            if (!preserved)
            {
                Release();
            }

            return st == UniTaskStatus.Succeeded ? null : ex;
        }

        /// <summary>Rethrows a stored exception with its original stack trace.</summary>
        protected static void Rethrow(Exception exception) => ExceptionDispatchInfo.Capture(exception).Throw();

        /// <inheritdoc />
        public UniTaskStatus GetStatus(short token)
        {
            ValidateToken(token);
            return Volatile.Read(ref phase) == Completed ? status : UniTaskStatus.Pending;
        }

        /// <inheritdoc />
        public UniTaskStatus UnsafeGetStatus() => Volatile.Read(ref phase) == Completed ? status : UniTaskStatus.Pending;

        /// <inheritdoc />
        public void GetResult(short token)
        {
            BeginGetResult(token);
            var ex = EndGetResult();
            if (ex != null)
            {
                Rethrow(ex);
            }
        }

        /// <summary>The stored outcome, for callbacks (read before the consumer side is released).</summary>
        protected UniTaskStatus StoredStatus => status;

        /// <summary>See <see cref="StoredStatus"/>.</summary>
        protected Exception? StoredError => error;

        /// <inheritdoc />
        public void OnCompleted(Action<object> continuationAction, object state, short token)
        {
            ValidateToken(token);
            if (continuationAction == null)
            {
                throw new ArgumentNullException(nameof(continuationAction));
            }

            var owner = loop!;
            ContinuationTarget target;
            SynchronizationContext? context = null;
            var current = SynchronizationContext.Current;
            if (owner.IsMainThread || ReferenceEquals(current, owner.SyncContext))
            {
                target = ContinuationTarget.MainThread;
            }
            else if (current != null && current.GetType() != typeof(SynchronizationContext))
            {
                target = ContinuationTarget.Context;
                context = current;
            }
            else
            {
                target = ContinuationTarget.ThreadPool;
            }

            Register(continuationAction!, state, target, context);
        }

        private void Register(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
        {
            if (preserved)
            {
                lock (this)
                {
                    if (Volatile.Read(ref phase) != Completed)
                    {
                        (preservedContinuations ??= new List<ContinuationBox>()).Add(new ContinuationBox(action, state, target, context));
                        return;
                    }
                }

                Dispatch(action, state, target, context);
                return;
            }

            // Claimed first, so a second (misused) registration cannot overwrite the first one's state.
            if (Interlocked.Exchange(ref continuationClaimed, 1) != 0)
            {
                throw new InvalidOperationException(
                    "This LoopHandle is already being awaited (or has a completion callback). A handle is consumed once; call Preserve() first to consume it several times.");
            }

            continuationState = state;
            continuationTarget = target;
            continuationContext = context;
            if (Interlocked.CompareExchange(ref continuation, action, null) != null)
            {
                // Completed meanwhile (the slot holds the sentinel): run it now.
                Dispatch(action, state, target, context);
            }
            else if (Volatile.Read(ref phase) == Completed
                     && ReferenceEquals(Interlocked.CompareExchange(ref continuation, CompletedSentinel, action), action))
            {
                // Completed meanwhile, and Publish may have read the slot while it was still empty: the
                // compare-and-swap decides between this thread and Publish, so it runs exactly once.
                Dispatch(action, state, target, context);
            }
        }

        /// <summary><see cref="LoopHandle.OnCompleted"/>: a callback that always runs on the main thread; consumes the handle.</summary>
        internal void SetCallback(short token, object userCallback)
        {
            ValidateToken(token);
            if (preserved)
            {
                Register(s => ((LoopWorkItem)((object[])s!)[0]).InvokeCallback(((object[])s!)[1]), new object[] { this, userCallback },
                    ContinuationTarget.MainThread, null);
                return;
            }

            Consume();
            callback = userCallback;
            Register(InvokeCallbackAction, this, ContinuationTarget.MainThread, null);
        }

        private void InvokeCallback()
        {
            var cb = callback!;
            callback = null;
            InvokeCallback(cb);
        }

        /// <summary>Builds the outcome, lets go of the consumer side (unless preserved), then runs the user's callback.</summary>
        protected abstract void InvokeCallback(object userCallback);

        /// <summary>Lets go of the consumer side after a callback read the outcome.</summary>
        protected void ReleaseConsumerAfterCallback()
        {
            if (!preserved)
            {
                Release();
            }
        }

        /// <summary><see cref="LoopHandle.Preserve"/>.</summary>
        internal void Preserve(short token)
        {
            ValidateToken(token);
            if (Volatile.Read(ref consumed) != 0)
            {
                throw new InvalidOperationException("Preserve() must be called before the handle is consumed.");
            }

            lock (this)
            {
                if (preserved)
                {
                    return;
                }

                preserved = true;
            }

            // A continuation registered before Preserve() moves into the list.
            var k = Interlocked.CompareExchange(ref continuation, null, null);
            if (k != null && !ReferenceEquals(k, CompletedSentinel))
            {
                throw new InvalidOperationException("Preserve() must be called before the handle is awaited.");
            }
        }

        /// <summary>Blocks the calling (non-main) thread until the item completes or the timeout passes.</summary>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread while the work has not completed.</exception>
        /// <exception cref="TimeoutException">The timeout passed first.</exception>
        internal void WaitForCompletion(short token, TimeSpan timeout)
        {
            ValidateToken(token);
            ValidateTimeout(timeout);
            var totalMs = (long)timeout.TotalMilliseconds;

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

            var watch = owner.Diagnostics.BeginBlockedWait(this);
            Interlocked.Increment(ref waiters);
            try
            {
                lock (this)
                {
                    if (totalMs == -1)
                    {
                        while (Volatile.Read(ref phase) != Completed)
                        {
                            Monitor.Wait(this, watch.Slice(Timeout.Infinite));
                        }

                        return;
                    }

                    var start = Stopwatch.GetTimestamp();
                    while (Volatile.Read(ref phase) != Completed)
                    {
                        var elapsedMs = (Stopwatch.GetTimestamp() - start) * 1000 / Stopwatch.Frequency;
                        var remaining = totalMs - elapsedMs;
                        if (remaining <= 0)
                        {
                            throw new TimeoutException($"The work submitted to {owner} did not complete within {timeout.TotalMilliseconds:0.###} ms.");
                        }

                        Monitor.Wait(this, watch.Slice((int)remaining));
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref waiters);
            }
        }

        /// <summary>Throws unless <paramref name="timeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> or 0 to int.MaxValue ms.</summary>
        protected static void ValidateTimeout(TimeSpan timeout)
        {
            if (timeout != Timeout.InfiniteTimeSpan && (timeout.Ticks < 0 || timeout.Ticks > int.MaxValue * TimeSpan.TicksPerMillisecond))
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be non-negative (at most int.MaxValue ms), or Timeout.InfiniteTimeSpan.");
            }
        }

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
                spinner.SpinOnce();
            }
        }

        /// <summary>A continuation with the place it must run (for preserved handles and marshalling).</summary>
        private sealed class ContinuationBox
        {
            internal readonly Action<object?> Action;
            internal readonly object? State;
            internal readonly ContinuationTarget Target;
            internal readonly SynchronizationContext? Context;

            internal ContinuationBox(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
            {
                Action = action;
                State = state;
                Target = target;
                Context = context;
            }

            internal void Invoke() => Action(State);
        }
    }
}
