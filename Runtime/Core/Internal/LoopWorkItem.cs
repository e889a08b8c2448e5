#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The pooled source behind a <see cref="LoopHandle"/>: one submission's completion state, its consumer and its
    /// continuation. Derived types add the result type and the kind of work.
    /// </summary>
    /// <remarks>
    /// <para>The class is split by concern, one file each:
    /// <c>LoopWorkItem.cs</c> (fields, lifetime: init, reference count, recycle),
    /// <c>LoopWorkItem.Completion.cs</c> (the work side: claim, publish, dispatch, cancel),
    /// <c>LoopWorkItem.Consumer.cs</c> (the consumer side: the one-consumer claim, await, callback, reads),
    /// <c>LoopWorkItem.Wait.cs</c> (the blocking wait) and <c>LoopWorkItem.Preserve.cs</c> (several consumers).</para>
    /// <para><b>Two independent one-shot protocols, each one compare-and-swap.</b>
    /// The work side: <see cref="phase"/> goes Queued or Running to Completing for exactly one completer (the work
    /// returning, the token or <c>Cancel()</c> before start, close), which then publishes Completed.
    /// The consumer side: <see cref="stamp"/> holds the use's full-width generation and its consumer state; a
    /// consumer claims the use by one compare-and-swap of the whole word, so checking the generation and claiming
    /// are one atomic step: exactly one consumer wins, a loser fails at once without touching anything.</para>
    /// <para><b>Recycling is by reference count</b> (<see cref="refs"/>): the work side and the consumer each hold one;
    /// the item returns to the pool when both let go, and its generation moves on first, so a stale handle (held
    /// across any number of reuses: the generation is 61 bits wide) is detected instead of reading someone else's
    /// result. Fire-and-forget items have no consumer. Preserved items keep their consumer reference for ever (they
    /// become ordinary garbage instead of returning to the pool).</para>
    /// <para><b>No user code runs under a lock.</b> The only lock taken is the item's own monitor, to wake blocked
    /// waiters and to guard the continuation list of a preserved handle.</para>
    /// </remarks>
    internal abstract partial class LoopWorkItem : QueueEntry, IUniTaskSource
    {
        /// <summary>
        /// The loop the item was submitted to. Written by <see cref="Init"/> (the submitting thread, before the item is
        /// visible to anyone else) and cleared by <see cref="Recycle"/>; null only while the item is pooled.
        /// </summary>
        private MainLoop? loop;

        /// <summary>
        /// The consumer word: <c>generation &lt;&lt; StampStateBits | consumer state</c> (see <see cref="Free"/>,
        /// <see cref="Claimed"/>, <see cref="Done"/>, <see cref="Preserved"/>, plus the <see cref="Registered"/> flag).
        /// The generation counts the uses of this object (61 bits: never wraps in practice); its low 16 bits are the
        /// token UniTask sees. Written only by compare-and-swap or exchange: consumers claim it (Free to Claimed or
        /// Preserved), the claimer marks Registered and then Done; <see cref="Recycle"/> moves it to the next
        /// generation's Free (first, before anything else is cleared, so a stale reader re-checking the stamp
        /// notices the reuse).
        /// </summary>
        private long stamp;

        /// <summary>
        /// The final status of the previous use, tagged with its generation: <c>generation &lt;&lt; 2 | status</c>. Written
        /// (one atomic write) by <see cref="Recycle"/>; read by <see cref="StatusOf"/>, so a handle consumed one use ago
        /// still reports its real final status. Older handles find another generation here.
        /// </summary>
        private long retired;

        /// <summary>
        /// The work side's completion phase: <see cref="Queued"/> (submitted, not started), <see cref="Running"/>
        /// (started on the main thread), <see cref="Completing"/> (claimed by one completer, outcome being written),
        /// <see cref="Completed"/> (outcome published). Moves forward only, by compare-and-swap (claim) and exchange
        /// (publish); reset to Queued by <see cref="Recycle"/> last, just before the item goes back to the pool.
        /// </summary>
        private int phase;

        /// <summary>
        /// References that keep this use alive: 2 from <see cref="Init"/> (work side and consumer; 1 for
        /// fire-and-forget), plus one per external completer or canceller while it works. Decremented by
        /// <see cref="Release"/>; reaching 0 recycles the item. Never incremented from 0.
        /// </summary>
        private int refs;

        /// <summary>1 once cancellation was asked through the handle or the caller's token; 0 otherwise. Set by any thread, cleared by <see cref="Recycle"/>.</summary>
        private int cancelRequested;

        /// <summary>Threads blocked (spinning done, about to park or parked) in <see cref="WaitForPublished"/>; read by <see cref="Publish"/> to decide whether to pulse.</summary>
        private int waiters;

        /// <summary>True for fire-and-forget work (no handle, no consumer). Written by <see cref="Init"/> and <see cref="Recycle"/> only.</summary>
        private bool fireAndForget;

        /// <summary>The outcome: Succeeded, Faulted or Canceled, written once by the completer before <see cref="phase"/> becomes Completed. Meaningful only while the phase is Completed (not reset by <see cref="Recycle"/>; the next use's completer overwrites it).</summary>
        private UniTaskStatus status;

        /// <summary>The exception of a Faulted or Canceled outcome (null otherwise). Written with <see cref="status"/>.</summary>
        private Exception? error;

        /// <summary>The caller's token given at submission. Written by <see cref="Init"/>, cleared by <see cref="Recycle"/>.</summary>
        private CancellationToken cancellationToken;

        /// <summary>The registration of <see cref="OnTokenCanceled"/> on <see cref="cancellationToken"/>; disposed by <see cref="Publish"/>.</summary>
        private CancellationTokenRegistration tokenRegistration;

        /// <summary>
        /// The single continuation slot of a non-preserved use: null (nothing registered), the registered continuation
        /// (an await or the completion callback), or <see cref="CompletedSentinelAction"/> (completed, or the
        /// continuation was already taken). Set by the registering consumer and by <see cref="Publish"/>, both by
        /// compare-and-swap, so a registration racing with completion runs exactly once.
        /// </summary>
        private Action<object?>? continuation;

        /// <summary>State for <see cref="continuation"/>; written by the registering consumer before its compare-and-swap.</summary>
        private object? continuationState;

        /// <summary>Where <see cref="continuation"/> must run; written with <see cref="continuationState"/>.</summary>
        private ContinuationTarget continuationTarget;

        /// <summary>The foreign context of a <see cref="ContinuationTarget.Context"/> continuation; written with <see cref="continuationState"/>.</summary>
        private SynchronizationContext? continuationContext;

        /// <summary>The user's completion callback (<c>Action&lt;LoopOutcome&gt;</c> or <c>Action&lt;LoopOutcome&lt;T&gt;&gt;</c>) of a non-preserved use; written by its claimer, taken by <see cref="InvokeCallback()"/>.</summary>
        private object? callback;

        /// <summary>Preserved uses only: every await and callback registered before completion. Guarded by <c>lock(this)</c>; null once drained.</summary>
        private List<ContinuationBox>? preservedContinuations;

        /// <summary>Links of the loop's registry of started async work (guarded by the loop's registry lock; written by the loop only).</summary>
        internal LoopWorkItem? RegistryPrevious;

        /// <summary>See <see cref="RegistryPrevious"/>.</summary>
        internal LoopWorkItem? RegistryNext;

        /// <summary>Whether the item is in the loop's registry of started async work (guarded by the loop's registry lock).</summary>
        internal bool InRegistry;

        /// <summary>The submitting call site, when <see cref="MainLoopOptions.TrackHandles"/> is on. Written by the loop at submission.</summary>
        internal string? CallSite;

        /// <summary>
        /// Test hook: called with the name of each step of the handle protocol (claim, publish, register, release,
        /// cancel ...), on the thread taking the step, so a test can pause threads there and drive every interleaving.
        /// Null outside tests: each step then costs one static read.
        /// </summary>
        internal static Action<string>? InterleavingPoint;

        /// <summary>The 16-bit token a UniTask made from this use carries (the low bits of <see cref="Generation"/>).</summary>
        internal short Version => unchecked((short)Generation);

        /// <summary>The generation of the current use (what a new handle must carry). Stable while the use is pinned by a reference.</summary>
        internal long Generation => Volatile.Read(ref stamp) >> StampStateBits;

        /// <summary>The loop the item was submitted to (null while pooled).</summary>
        protected MainLoop Loop => loop!;

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

        /// <summary>Calls <see cref="InterleavingPoint"/> if a test installed it.</summary>
        private static void Step(string name) => InterleavingPoint?.Invoke(name);

        /// <summary>The work side is done with the item (sync work ran, or async work ended, or it was never started).</summary>
        protected void ReleaseWorkSide() => Release();

        private void Release()
        {
            Step("release");
            if (Interlocked.Decrement(ref refs) == 0)
            {
                Recycle();
            }
        }

        /// <summary>Takes a reference if the item is still alive in the use <paramref name="generation"/> names.</summary>
        private bool TryAddReference(long generation)
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

            // Pinned now: the generation can no longer move under us.
            if (Generation == generation)
            {
                return true;
            }

            Release();
            return false;
        }

        /// <summary>
        /// A reference for the close, taken under the registry lock while the item is in the loop's
        /// registry of started work (so its work side still holds one: never incremented from 0). The close releases
        /// it with <see cref="UnpinAfterClose"/> after failing the item, so work that ends meanwhile on another thread
        /// cannot be recycled and re-rented (and then failed by this close) in between.
        /// </summary>
        internal void PinForClose() => Interlocked.Increment(ref refs);

        /// <summary>Releases the reference taken by <see cref="PinForClose"/>.</summary>
        internal void UnpinAfterClose() => Release();

        private void Recycle()
        {
            // First the record of this use's final status, then (a release write, so the record is visible first)
            // the next generation: from then on every stale handle sees the reuse. A stale claim could not have
            // succeeded before either (the use is Done). `status` is left as it is: it is only read once `phase`
            // says Completed, and the next Publish overwrites it; so a reader that saw Completed before the reset of
            // `phase` below reads this use's status, and its re-check of the stamp tells it the use is gone.
            var generation = Generation;
            Volatile.Write(ref retired, (generation << 2) | (long)status);
            Volatile.Write(ref stamp, ((generation + 1) << StampStateBits) | Free);
            Step("recycle");
            loop = null;
            error = null;
            cancellationToken = default;
            tokenRegistration = default;
            continuation = null;
            continuationState = null;
            continuationContext = null;
            callback = null;
            preservedContinuations = null;
            fireAndForget = false;
            cancelRequested = 0;
            CallSite = null;
            ClearWork();

            // Last: the next rent may come from another thread at once.
            Volatile.Write(ref phase, Queued);
            ReturnToPool();
        }

        /// <summary>Drops the delegate, state and result so a pooled item holds nothing of the user's.</summary>
        protected abstract void ClearWork();

        /// <summary>Returns this object to its type's pool.</summary>
        protected abstract void ReturnToPool();
    }
}
