#nullable enable
using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    // The consumer side. A use has at most one consumer: the first handle operation that consumes (await / AsUniTask /
    // AsTask, GetResult, OnCompleted) claims it with one compare-and-swap of `stamp` that also checks the handle's full
    // generation. The claim pins the use (the consumer's reference is only released after the outcome was read), so
    // everything the claimer does afterwards is safe from reuse. A loser fails at once and changes nothing.
    internal abstract partial class LoopWorkItem
    {
        /// <summary>Bits of <see cref="stamp"/> below the generation.</summary>
        private const int StampStateBits = 3;

        /// <summary>Mask of the consumer state in <see cref="stamp"/>.</summary>
        private const long StateMask = 3;

        /// <summary>Consumer state: nobody has consumed this use yet.</summary>
        private const long Free = 0;

        /// <summary>Consumer state: one consumer owns the outcome and has not read it yet.</summary>
        private const long Claimed = 1;

        /// <summary>Consumer state: the owner read the outcome and let go of its reference.</summary>
        private const long Done = 2;

        /// <summary>Consumer state: several consumers (<see cref="LoopHandle.Preserve"/>); the use is never recycled.</summary>
        private const long Preserved = 3;

        /// <summary>Flag with <see cref="Claimed"/>: the owner registered its one continuation (an await or the callback).</summary>
        private const long Registered = 4;

        private static readonly Action<object?> InvokeCallbackAction = s => ((LoopWorkItem)s!).InvokeCallback();

        private static long StateOf(long word) => word & StateMask;

        private static long GenerationOf(long word) => word >> StampStateBits;

        /// <summary>
        /// Claims the use <paramref name="generation"/> for one consumer (generation check and claim in one
        /// compare-and-swap). Returns false for a preserved use (any number of consumers, nothing to claim).
        /// </summary>
        /// <exception cref="InvalidOperationException">The use was already consumed (or is being consumed), or reused.</exception>
        private bool ClaimConsumer(long generation)
        {
            Step("consume.claim");
            var free = (generation << StampStateBits) | Free;
            var seen = Interlocked.CompareExchange(ref stamp, free | Claimed, free);
            if (seen == free)
            {
                return true;
            }

            if (seen == (free | Preserved))
            {
                return false;
            }

            throw Misuse(generation, seen);
        }

        /// <summary>Gives a claim back (a blocking wait that timed out, or refused to deadlock): the handle is usable again.</summary>
        private void Unclaim(long generation)
        {
            var free = (generation << StampStateBits) | Free;
            Interlocked.Exchange(ref stamp, free);
        }

        /// <summary>The owner has read the outcome: marks the use Done, then lets go of the consumer's reference.</summary>
        private void FinishConsume(long generation)
        {
            // Only the claimer writes the stamp of a claimed use: a release write is enough (the outcome reads stay
            // above it), and Release's decrement is the full fence before any recycling.
            Volatile.Write(ref stamp, (generation << StampStateBits) | Done);
            Release();
        }

        /// <summary>The error for a consumer that lost: says what really happened.</summary>
        private static InvalidOperationException Misuse(long generation, long seen)
        {
            if (GenerationOf(seen) != generation)
            {
                return new InvalidOperationException(
                    "This LoopHandle was already consumed, and its pooled source has since been reused by another submission, so it has nothing left to give. " +
                    "A handle is consumed once (await, AsUniTask/AsTask, GetResult, or one OnCompleted callback); call Preserve() first to consume it several times.");
            }

            return StateOf(seen) == Done
                ? new InvalidOperationException(
                    "This LoopHandle was already consumed: its result was read. " +
                    "A handle is consumed once (await, AsUniTask/AsTask, GetResult, or one OnCompleted callback); call Preserve() first to consume it several times.")
                : new InvalidOperationException(
                    "This LoopHandle is already being consumed: another await, AsUniTask/AsTask, GetResult or OnCompleted callback owns it. " +
                    "A handle is consumed once; call Preserve() first to consume it several times.");
        }

        /// <summary>The error for a UniTask whose 16-bit token no longer names this use (awaited twice, or used after reuse).</summary>
        private static InvalidOperationException StaleToken() => new InvalidOperationException(
            "This LoopHandle's UniTask was already consumed (awaited or its result read); its source may since have been reused. " +
            "A handle is consumed once; call Preserve() first to consume it several times.");

        // ---- handle operations (full generation) ----------------------------------------------------------------

        /// <summary>
        /// <see cref="LoopHandle.AsUniTask"/> (and await, AsTask): claims the use for the UniTask, which then owns it
        /// until its GetResult. Returns the token for the UniTask.
        /// </summary>
        internal short ClaimForUniTask(long generation)
        {
            ClaimConsumer(generation);
            return unchecked((short)generation);
        }

        /// <summary>
        /// <see cref="LoopHandle.Status"/>: never throws. The real status while this use is current, and after it was
        /// recycled until the next use is recycled too (<see cref="retired"/>). Older than that (the handle was
        /// consumed, so the work had completed, and two later recycles overwrote the record) the outcome is stored
        /// nowhere: <see cref="UniTaskStatus.Succeeded"/>, meaning only "completed and consumed".
        /// </summary>
        internal UniTaskStatus StatusOf(long generation)
        {
            if (GenerationOf(Volatile.Read(ref stamp)) != generation)
            {
                return RetiredStatus(generation);
            }

            // Recycle moves the stamp before it clears anything: if the stamp still names this use after the reads,
            // what we read belongs to this use. Pending (the common case, polled in loops): the phase read is an
            // acquire, so the re-read cannot move above it. Completed: the plain status read must stay above the
            // re-read too, hence a full fence (paid once, the work has completed).
            if (Volatile.Read(ref phase) != Completed)
            {
                return GenerationOf(Volatile.Read(ref stamp)) == generation ? UniTaskStatus.Pending : RetiredStatus(generation);
            }

            var st = status;
            if (GenerationOf(Interlocked.Read(ref stamp)) != generation)
            {
                return RetiredStatus(generation);
            }

            return st;
        }

        private UniTaskStatus RetiredStatus(long generation)
        {
            var r = Volatile.Read(ref retired);
            return r >> 2 == generation ? (UniTaskStatus)(r & 3) : UniTaskStatus.Succeeded;
        }

        /// <summary><see cref="LoopHandle.OnCompleted"/>: a callback that always runs on the main thread; consumes the handle.</summary>
        internal void SetCallback(long generation, object userCallback)
        {
            if (!ClaimConsumer(generation))
            {
                RegisterPreserved(PreservedCallback.Action, new PreservedCallback(this, userCallback), ContinuationTarget.MainThread, null);
                return;
            }

            // The owner registers its one continuation; nobody else can write the stamp of a claimed use.
            Volatile.Write(ref stamp, (generation << StampStateBits) | Claimed | Registered);
            callback = userCallback;
            RegisterSlot(InvokeCallbackAction, this, ContinuationTarget.MainThread, null);
        }

        private void InvokeCallback()
        {
            var cb = callback!;
            callback = null;
            InvokeCallback(cb, Generation, preserved: false);
        }

        /// <summary>
        /// Builds the outcome, lets go of the consumer side (<see cref="FinishCallback"/>, unless preserved), then runs
        /// the user's callback; an exception from it goes to <see cref="MainLoop.UnhandledException"/>.
        /// </summary>
        protected abstract void InvokeCallback(object userCallback, long generation, bool preserved);

        /// <summary>Lets go of the consumer side after a callback read the outcome (not for preserved uses).</summary>
        protected void FinishCallback(long generation, bool preserved)
        {
            if (!preserved)
            {
                FinishConsume(generation);
            }
        }

        // ---- IUniTaskSource (the 16-bit token only: UniTask's awaiter, after a handle operation claimed the use) ---

        /// <summary>Reads the stamp and checks that <paramref name="token"/> names its use.</summary>
        private long StampFor(short token)
        {
            var s = Volatile.Read(ref stamp);
            if (unchecked((short)GenerationOf(s)) != token)
            {
                throw StaleToken();
            }

            return s;
        }

        /// <inheritdoc />
        public UniTaskStatus GetStatus(short token)
        {
            StampFor(token);
            return Volatile.Read(ref phase) == Completed ? status : UniTaskStatus.Pending;
        }

        /// <inheritdoc />
        public UniTaskStatus UnsafeGetStatus() => Volatile.Read(ref phase) == Completed ? status : UniTaskStatus.Pending;

        /// <summary>
        /// Starts a UniTask's GetResult: checks the token and the claim, and that the outcome is published. Returns the
        /// stamp to pass to <see cref="EndUniTaskGetResult"/> after reading the outcome.
        /// </summary>
        protected long BeginUniTaskGetResult(short token)
        {
            var s = StampFor(token);
            var st = StateOf(s);
            if (st != Claimed && st != Preserved)
            {
                throw StaleToken();
            }

            WaitOutCompleting();
            if (Volatile.Read(ref phase) != Completed)
            {
                throw new InvalidOperationException("The work has not completed yet: await the handle, or block with GetResult(timeout) from a worker thread.");
            }

            return s;
        }

        /// <summary>
        /// Ends a UniTask's GetResult after the outcome was read: marks the use Done and lets go (one compare-and-swap
        /// decides between two racing GetResult calls of one UniTask: the loser throws, whatever it read is dropped).
        /// Returns the exception to rethrow, or null.
        /// </summary>
        protected Exception? EndUniTaskGetResult(long seen, UniTaskStatus st, Exception? ex)
        {
            if (StateOf(seen) != Preserved)
            {
                var done = (GenerationOf(seen) << StampStateBits) | Done;
                if (Interlocked.CompareExchange(ref stamp, done, seen) != seen)
                {
                    throw StaleToken();
                }

                Release();
            }

            return st == UniTaskStatus.Succeeded ? null : ex;
        }

        /// <inheritdoc />
        public void GetResult(short token)
        {
            var s = BeginUniTaskGetResult(token);
            var ex = EndUniTaskGetResult(s, status, error);
            if (ex != null)
            {
                Rethrow(ex);
            }
        }

        /// <summary>Rethrows a stored exception with its original stack trace.</summary>
        protected static void Rethrow(Exception exception) => ExceptionDispatchInfo.Capture(exception).Throw();

        /// <inheritdoc />
        public void OnCompleted(Action<object> continuationAction, object state, short token)
        {
            if (continuationAction == null)
            {
                throw new ArgumentNullException(nameof(continuationAction));
            }

            var s = StampFor(token);
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

            if (StateOf(s) == Preserved)
            {
                RegisterPreserved(continuationAction!, state, target, context);
                return;
            }

            // Only the UniTask that claimed the use registers, once: a second await of the same UniTask loses here
            // and leaves the first registration untouched.
            if (StateOf(s) != Claimed || (s & Registered) != 0
                || Interlocked.CompareExchange(ref stamp, s | Registered, s) != s)
            {
                throw new InvalidOperationException(
                    "This LoopHandle is already being awaited (or has a completion callback), or was consumed. A handle is consumed once; call Preserve() first to consume it several times.");
            }

            RegisterSlot(continuationAction!, state, target, context);
        }

        /// <summary>Registers the one continuation of a claimed use (the caller set <see cref="Registered"/>).</summary>
        private void RegisterSlot(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
        {
            continuationState = state;
            continuationTarget = target;
            continuationContext = context;
            Step("consume.register");
            if (Interlocked.CompareExchange(ref continuation, action, null) != null)
            {
                // Completed meanwhile (the slot holds the sentinel): run it now.
                Dispatch(action, state, target, context);
            }
            else if (Volatile.Read(ref phase) == Completed
                     && ReferenceEquals(Interlocked.CompareExchange(ref continuation, CompletedSentinelAction, action), action))
            {
                // Completed meanwhile, and Publish may have read the slot while it was still empty: the
                // compare-and-swap decides between this thread and Publish, so it runs exactly once.
                Dispatch(action, state, target, context);
            }
        }
    }
}
