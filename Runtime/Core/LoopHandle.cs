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
    /// <see cref="LoopHandle{T}"/>: consumed once (await, <see cref="Wait(TimeSpan)"/>, or one
    /// <see cref="OnCompleted"/>), <see cref="Preserve"/> for several consumers. Any thread.
    /// </summary>
    public readonly struct LoopHandle
    {
        private readonly LoopWorkItem? source;
        private readonly short token;

        internal LoopHandle(LoopWorkItem source, short token)
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

        private LoopWorkItem Source => source ?? throw new InvalidOperationException("This LoopHandle is default: it was not returned by a MainLoop submission.");

        /// <summary>Lets <c>await handle</c> work (consumes the handle).</summary>
        /// <returns>The awaiter.</returns>
        public UniTask.Awaiter GetAwaiter() => AsUniTask().GetAwaiter();

        /// <summary>The handle as a UniTask, without allocation (consumed when the UniTask is awaited).</summary>
        /// <returns>A UniTask over the same source.</returns>
        public UniTask AsUniTask() => new UniTask(Source, token);

        /// <summary>The handle as a Task (allocates; consumes the handle).</summary>
        /// <returns>A Task completing with the handle's outcome.</returns>
        public Task AsTask() => AsUniTask().AsTask();

        /// <summary>Blocks the calling worker thread until the work completes (consumes the handle); rethrows its exception.</summary>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        public void Wait() => Wait(Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Blocks the calling worker thread until the work completes or <paramref name="timeout"/> passes; rethrows the
        /// work's exception. Consumes the handle unless it times out.
        /// </summary>
        /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed (it would deadlock), or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed (a blocked worker wakes at once).</exception>
        /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
        public void Wait(TimeSpan timeout)
        {
            var s = Source;
            s.WaitForCompletion(token, timeout);
            s.GetResult(token);
        }

        /// <summary>Same as <see cref="Wait(TimeSpan)"/>, named like <see cref="LoopHandle{T}.GetResult(TimeSpan)"/>.</summary>
        /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
        /// <exception cref="TimeoutException">The work did not complete in time.</exception>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed, or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed.</exception>
        public void GetResult(TimeSpan timeout) => Wait(timeout);

        /// <summary>Same as <see cref="Wait()"/>.</summary>
        /// <exception cref="InvalidOperationException">Called on the loop's main thread before the work completed, or the handle was already consumed.</exception>
        /// <exception cref="LoopClosedException">The loop closed before the work completed.</exception>
        public void GetResult() => Wait(Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Runs <paramref name="callback"/> with the outcome once the work completes, always on the loop's main thread;
        /// see <see cref="LoopHandle{T}.OnCompleted"/>. Consumes the handle.
        /// </summary>
        /// <param name="callback">Receives the outcome.</param>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        /// <exception cref="InvalidOperationException">The handle was already consumed.</exception>
        public void OnCompleted(Action<LoopOutcome> callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException(nameof(callback));
            }

            Source.SetCallback(token, callback);
        }

        /// <summary>Cancels the work; see <see cref="LoopHandle{T}.Cancel"/>. Does not consume the handle.</summary>
        /// <returns>Whether cancellation was applied or requested.</returns>
        /// <exception cref="InvalidOperationException">A default handle, or one whose source was already recycled.</exception>
        public bool Cancel() => Source.Cancel(token);

        /// <summary>Makes the handle consumable any number of times; see <see cref="LoopHandle{T}.Preserve"/>.</summary>
        /// <returns>This handle.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed or awaited.</exception>
        public LoopHandle Preserve()
        {
            Source.Preserve(token);
            return this;
        }

        /// <summary>The handle as a UniTask (see <see cref="AsUniTask"/>).</summary>
        /// <param name="handle">The handle.</param>
        public static implicit operator UniTask(LoopHandle handle) => handle.AsUniTask();
    }
}
