#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;

namespace LoopBridge
{
    /// <summary>
    /// The result of one submission that returns no value (<see cref="MainLoop.Run(Action, CancellationToken)"/>,
    /// <see cref="MainLoop.RunAsync(Func{CancellationToken, UniTask}, CancellationToken)"/>). The rules are those of
    /// <see cref="LoopHandle{T}"/>: consumed once (await, <see cref="AsUniTask"/>/<see cref="AsTask"/>,
    /// <see cref="GetResult(TimeSpan)"/>, or one <see cref="OnCompleted"/>), <see cref="Preserve"/> for several
    /// consumers; <see cref="Status"/>, <see cref="IsCompleted"/> and <see cref="Cancel"/> never consume and never
    /// throw on a handle that came from a submission. Any thread.
    /// </summary>
    public readonly struct LoopHandle
    {
        private readonly LoopWorkItem? source;

        // The full-width generation of the use this handle names: checked by every operation (UniTask's 16-bit
        // token, its low bits, is only what a UniTask made from this handle carries).
        private readonly long generation;

        /// <summary>A handle for the current use of <paramref name="source"/>, right after its submission (the consumer's reference pins the use).</summary>
        internal LoopHandle(LoopWorkItem source, short token)
        {
            this.source = source;
            generation = source.Generation;
            System.Diagnostics.Debug.Assert(unchecked((short)generation) == token, "the token names the current use");
        }

        /// <summary>A handle for the use <paramref name="generation"/> of <paramref name="source"/>.</summary>
        internal LoopHandle(LoopWorkItem source, long generation)
        {
            this.source = source;
            this.generation = generation;
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

        private LoopWorkItem Source => source ?? throw new InvalidOperationException("This LoopHandle is default: it was not returned by a MainLoop submission.");

        /// <summary>Lets <c>await handle</c> work. Consumes the handle.</summary>
        /// <returns>The awaiter.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public UniTask.Awaiter GetAwaiter() => AsUniTask().GetAwaiter();

        /// <summary>
        /// The handle as a UniTask, without allocation. Consumes the handle: the UniTask owns the outcome from now on
        /// (await it once, as any UniTask). A preserved handle can be converted any number of times.
        /// </summary>
        /// <returns>A UniTask over the same source.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public UniTask AsUniTask()
        {
            var s = Source;
            return new UniTask(s, s.ClaimForUniTask(generation));
        }

        /// <summary>The handle as a Task (allocates). Consumes the handle.</summary>
        /// <returns>A Task completing with the handle's outcome.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public Task AsTask() => AsUniTask().AsTask();

        /// <summary>
        /// Blocks the calling worker thread until the work completes or <paramref name="timeout"/> passes; rethrows the
        /// work's exception. Consumes the handle when it returns or rethrows; after a <see cref="TimeoutException"/> the
        /// handle is still usable. A second consumer racing with this one fails at once.
        /// </summary>
        /// <param name="timeout">How long to wait: any non-negative value up to <see cref="TimeSpan.MaxValue"/> (honoured exactly, at millisecond resolution), or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed (or is being consumed), or is default.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
        public void GetResult(TimeSpan timeout) => Source.BlockingGetResult(generation, timeout);

        /// <summary>Blocks the calling worker thread until the work completes (no time limit); see <see cref="GetResult(TimeSpan)"/>. Consumes the handle.</summary>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed, or the handle was already consumed, or is default.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed.</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        public void GetResult() => Source.BlockingGetResult(generation, Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Runs <paramref name="callback"/> with the outcome once the work completes, always on the loop's main thread;
        /// see <see cref="LoopHandle{T}.OnCompleted"/>. Consumes the handle.
        /// </summary>
        /// <param name="callback">Receives the outcome.</param>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or is default.</exception>
        public void OnCompleted(Action<LoopOutcome> callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException(nameof(callback));
            }

            Source.SetCallback(generation, callback);
        }

        /// <summary>Cancels the work; see <see cref="LoopHandle{T}.Cancel"/>. Never consumes, never throws on a handle from a submission.</summary>
        /// <returns>Whether cancellation was applied or requested; false when the work has completed (consumed or not).</returns>
        /// <exception cref="InvalidOperationException">A default handle (not returned by a submission).</exception>
        public bool Cancel() => Source.Cancel(generation);

        /// <summary>Makes the handle consumable any number of times; see <see cref="LoopHandle{T}.Preserve"/>.</summary>
        /// <returns>This handle.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed: awaited, waited on, given a callback), or is default. The first consumer is not disturbed.</exception>
        public LoopHandle Preserve()
        {
            Source.Preserve(generation);
            return this;
        }

        /// <summary>The handle as a UniTask (see <see cref="AsUniTask"/>; consumes the handle).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator UniTask(LoopHandle handle) => handle.AsUniTask();
    }
}
