#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;

namespace LoopBridge
{
    /// <summary>
    /// The result of one submission to a <see cref="MainLoop"/>: await it, convert it to a UniTask or Task, block on
    /// it from a worker with a timeout, give it one completion callback, or cancel it. Any thread.
    /// </summary>
    /// <remarks>
    /// <para><b>Consumed once.</b> Like a UniTask, a handle is consumed by exactly one of: an await
    /// (or <see cref="AsUniTask"/>/<see cref="AsTask"/>), <see cref="GetResult(TimeSpan)"/>, or
    /// <see cref="OnCompleted"/>. That lets its pooled source go back to the pool, which is why submitting and awaiting
    /// allocate nothing. A second consumption throws <see cref="InvalidOperationException"/>; it never returns another
    /// submission's result. Call <see cref="Preserve"/> first for several consumers.</para>
    /// <para><b>Where an await resumes.</b> Awaited on the main thread: on the main thread. Awaited under another
    /// SynchronizationContext: posted to it. Awaited on a worker with no context: on the thread pool (never inline on
    /// the main thread).</para>
    /// <para><b>Reads after the end.</b> <see cref="Status"/>, <see cref="IsCompleted"/> and <see cref="Cancel"/>
    /// never consume and never throw on a handle returned by a submission, however long it was kept: a consumed
    /// handle reports IsCompleted true, Cancel() returns false, and Status is the final status until the pooled
    /// source has finished a later submission too, then Succeeded ("completed and consumed").</para>
    /// <para><b>Stale handles.</b> A handle carries a full-width generation, checked by every operation, so a copy
    /// kept across any number of reuses of its pooled source is detected; it never touches another submission.</para>
    /// </remarks>
    /// <typeparam name="T">The result type.</typeparam>
    public readonly struct LoopHandle<T>
    {
        private readonly LoopWorkItem<T>? source;

        // The full-width generation of the use this handle names: checked by every operation (UniTask's 16-bit
        // token, its low bits, is only what a UniTask made from this handle carries).
        private readonly long generation;

        /// <summary>A handle for the current use of <paramref name="source"/>, right after its submission (the consumer's reference pins the use).</summary>
        internal LoopHandle(LoopWorkItem<T> source, short token)
        {
            this.source = source;
            generation = source.Generation;
            System.Diagnostics.Debug.Assert(unchecked((short)generation) == token, "the token names the current use");
        }

        /// <summary>
        /// Pending until the work completes; then Succeeded, Faulted or Canceled (close: Canceled). Never throws and
        /// never consumes: after the handle was consumed it keeps reporting the final status until its pooled source
        /// has finished a later submission too; from then on the outcome is stored nowhere and Status returns
        /// <see cref="UniTaskStatus.Succeeded"/>, meaning only "completed and consumed". Read the outcome from the
        /// consumption itself. Any thread.
        /// </summary>
        /// <exception cref="InvalidOperationException">A default handle (not returned by a submission).</exception>
        public UniTaskStatus Status => Source.StatusOf(generation);

        /// <summary>True once the work has completed, whatever the outcome; always true once the handle was consumed. Never throws on a handle from a submission. Any thread.</summary>
        /// <exception cref="InvalidOperationException">A default handle (not returned by a submission).</exception>
        public bool IsCompleted => Status != UniTaskStatus.Pending;

        private LoopWorkItem<T> Source => source ?? throw new InvalidOperationException("This LoopHandle is default: it was not returned by a MainLoop submission.");

        /// <summary>Lets <c>await handle</c> work. Consumes the handle.</summary>
        /// <returns>The awaiter.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public UniTask<T>.Awaiter GetAwaiter() => AsUniTask().GetAwaiter();

        /// <summary>
        /// The handle as a UniTask, without allocation. Consumes the handle: the UniTask owns the outcome from now on
        /// (await it once, as any UniTask). A preserved handle can be converted any number of times.
        /// </summary>
        /// <returns>A UniTask over the same source.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public UniTask<T> AsUniTask()
        {
            var s = Source;
            return new UniTask<T>(s, s.ClaimForUniTask(generation));
        }

        /// <summary>The handle as a Task (allocates). Consumes the handle.</summary>
        /// <returns>A Task completing with the handle's outcome.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public Task<T> AsTask() => AsUniTask().AsTask();

        /// <summary>Blocks the calling worker thread until the work completes (no time limit), then returns its result; see <see cref="GetResult(TimeSpan)"/>. Consumes the handle.</summary>
        /// <returns>The result.</returns>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed (or is being consumed), or is default.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        public T GetResult() => Source.BlockingGetValue(generation, Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Blocks the calling worker thread until the work completes or <paramref name="timeout"/> passes, like
        /// <c>concurrent.futures.Future.result(timeout)</c>. Only this thread blocks. Consumes the handle when it
        /// returns or rethrows the work's exception; after a <see cref="TimeoutException"/> the handle is still usable.
        /// A second consumer racing with this one fails at once with <see cref="InvalidOperationException"/>.
        /// </summary>
        /// <param name="timeout">How long to wait: any non-negative value up to <see cref="TimeSpan.MaxValue"/> (honoured exactly, at millisecond resolution), or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
        /// <returns>The result.</returns>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed (or is being consumed), or is default.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
        public T GetResult(TimeSpan timeout) => Source.BlockingGetValue(generation, timeout);

        /// <summary>
        /// Runs <paramref name="callback"/> with the outcome once the work completes, always on the loop's main thread
        /// (at once, on the main thread, if it has already completed). Consumes the handle. If the loop was closed off
        /// the main thread, the callback of a handle failed by that close runs inline on the closing thread. An
        /// exception from the callback goes to <see cref="MainLoop.UnhandledException"/>.
        /// </summary>
        /// <param name="callback">Receives the outcome.</param>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default. A rejected callback does not disturb the consumer that owns the handle.</exception>
        public void OnCompleted(Action<LoopOutcome<T>> callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException(nameof(callback));
            }

            Source.SetCallback(generation, callback);
        }

        /// <summary>
        /// Cancels the work. Not started yet: it never runs, and the handle completes Canceled now (true). Async work
        /// that is running: its token is cancelled and the handle completes when the work ends (true). Sync work that
        /// is running, or work already complete (consumed or not, its source reused or not): nothing to do (false), like
        /// asyncio's <c>cancel()</c> on a done future. Never consumes the handle and never throws on a handle from a
        /// submission, so <c>try { return h.GetResult(t); } finally { h.Cancel(); }</c> is safe. Any thread.
        /// </summary>
        /// <returns>Whether cancellation was applied or requested.</returns>
        /// <exception cref="InvalidOperationException">A default handle (not returned by a submission).</exception>
        public bool Cancel() => Source.Cancel(generation);

        /// <summary>
        /// Makes the handle consumable any number of times (several awaits, GetResult calls, callbacks). Its source then
        /// stays out of the pool (it becomes ordinary garbage when unreferenced). Call it before the first consumption.
        /// </summary>
        /// <returns>This handle.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed: awaited, waited on, given a callback), or is default. The first consumer is not disturbed.</exception>
        public LoopHandle<T> Preserve()
        {
            Source.Preserve(generation);
            return this;
        }

        /// <summary>The handle as a UniTask (see <see cref="AsUniTask"/>; consumes the handle).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator UniTask<T>(LoopHandle<T> handle) => handle.AsUniTask();

        /// <summary>The handle without its result type (same source, same consumption rules).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator LoopHandle(LoopHandle<T> handle) => new LoopHandle(handle.Source, handle.generation);
    }
}
