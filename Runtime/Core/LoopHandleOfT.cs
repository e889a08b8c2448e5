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
    /// the main thread). <see cref="Status"/>, <see cref="IsCompleted"/> and <see cref="Cancel"/> do not consume.</para>
    /// </remarks>
    /// <typeparam name="T">The result type.</typeparam>
    public readonly struct LoopHandle<T>
    {
        private readonly LoopWorkItem<T>? source;
        private readonly short token;

        internal LoopHandle(LoopWorkItem<T> source, short token)
        {
            this.source = source;
            this.token = token;
        }

        /// <summary>Pending until the work completes; then Succeeded, Faulted or Canceled (close: Canceled).</summary>
        /// <exception cref="InvalidOperationException">A default handle, or one whose source was already recycled.</exception>
        public UniTaskStatus Status => Source.GetStatus(token);

        /// <summary>True once the work has completed, whatever the outcome.</summary>
        /// <exception cref="InvalidOperationException">A default handle, or one whose source was already recycled.</exception>
        public bool IsCompleted => Status != UniTaskStatus.Pending;

        private LoopWorkItem<T> Source => source ?? throw new InvalidOperationException("This LoopHandle is default: it was not returned by a MainLoop submission.");

        /// <summary>Lets <c>await handle</c> work (consumes the handle).</summary>
        /// <returns>The awaiter.</returns>
        public UniTask<T>.Awaiter GetAwaiter() => AsUniTask().GetAwaiter();

        /// <summary>The handle as a UniTask, without allocation (consumed when the UniTask is awaited).</summary>
        /// <returns>A UniTask over the same source.</returns>
        public UniTask<T> AsUniTask() => new UniTask<T>(Source, token);

        /// <summary>The handle as a Task (allocates; consumes the handle).</summary>
        /// <returns>A Task completing with the handle's outcome.</returns>
        public Task<T> AsTask() => AsUniTask().AsTask();

        /// <summary>Blocks the calling worker thread until the work completes, then returns its result (consumes the handle).</summary>
        /// <returns>The result.</returns>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        public T GetResult() => Source.WaitResult(token, Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Blocks the calling worker thread until the work completes or <paramref name="timeout"/> passes, like
        /// <c>concurrent.futures.Future.result(timeout)</c>. Only this thread blocks. Consumes the handle when it
        /// returns or rethrows the work's exception; after a <see cref="TimeoutException"/> the handle is still usable.
        /// </summary>
        /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
        /// <returns>The result.</returns>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
        public T GetResult(TimeSpan timeout) => Source.WaitResult(token, timeout);

        /// <summary>Like <see cref="GetResult(TimeSpan)"/>, discarding the result (consumes the handle unless it times out).</summary>
        /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed, or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed.</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        public void Wait(TimeSpan timeout) => Source.WaitResult(token, timeout);

        /// <summary>
        /// Runs <paramref name="callback"/> with the outcome once the work completes, always on the loop's main thread
        /// (at once, on the main thread, if it has already completed). Consumes the handle. If the loop was closed off
        /// the main thread, the callback of a handle failed by that close runs inline on the closing thread. An
        /// exception from the callback goes to <see cref="MainLoop.UnhandledException"/>.
        /// </summary>
        /// <param name="callback">Receives the outcome.</param>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The handle was already consumed.</exception>
        public void OnCompleted(Action<LoopOutcome<T>> callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException(nameof(callback));
            }

            Source.SetCallback(token, callback);
        }

        /// <summary>
        /// Cancels the work. Not started yet: it never runs, and the handle completes Canceled now (true). Async work
        /// that is running: its token is cancelled and the handle completes when the work ends (true). Sync work that
        /// is running, or work already complete: nothing to do (false). Does not consume the handle.
        /// </summary>
        /// <returns>Whether cancellation was applied or requested.</returns>
        /// <exception cref="InvalidOperationException">A default handle, or one whose source was already recycled.</exception>
        public bool Cancel() => Source.Cancel(token);

        /// <summary>
        /// Makes the handle consumable any number of times (several awaits, GetResult calls, callbacks). Its source then
        /// stays out of the pool (it becomes ordinary garbage when unreferenced). Call it before the first consumption.
        /// </summary>
        /// <returns>This handle.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed or awaited.</exception>
        public LoopHandle<T> Preserve()
        {
            Source.Preserve(token);
            return this;
        }

        /// <summary>The handle as a UniTask (see <see cref="AsUniTask"/>).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator UniTask<T>(LoopHandle<T> handle) => handle.AsUniTask();

        /// <summary>The handle without its result type (same source, same consumption rules).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator LoopHandle(LoopHandle<T> handle) => new LoopHandle(handle.Source, handle.token);
    }
}
