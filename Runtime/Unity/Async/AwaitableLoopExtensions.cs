#nullable enable
#if UNITY_2023_1_OR_NEWER
using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Interop with Unity 2023.1+/Unity 6 <see cref="Awaitable"/>: a handle as an <see cref="Awaitable"/>, and an
    /// <see cref="Awaitable"/> as a handle (with LoopBridge's close guarantees).
    /// </summary>
    /// <remarks>
    /// <para><b>Handle to Awaitable</b> (<see cref="AsAwaitable(LoopHandle)"/>): consumes the handle (it uses its one
    /// completion callback) and completes the Awaitable on the loop's main thread with the handle's outcome: its
    /// result, its exception, or its cancellation exception as it is (a <see cref="LoopClosedException"/> keeps its
    /// reason). Await the returned Awaitable once, as every Awaitable.</para>
    /// <para><b>Awaitable to handle</b> (<see cref="WhenCompleted(MainLoop, Awaitable, CancellationToken)"/>): the loop
    /// awaits the Awaitable as async work started on its main thread (next tick). The handle's <c>Cancel()</c>, the
    /// token or the loop's close cancel the Awaitable (<see cref="Awaitable.Cancel"/>); a close fails the handle with
    /// <see cref="LoopClosedException"/>. An Awaitable whose handle failed before the work started (closed or cancelled
    /// before the next tick) is left alone; Unity ends its pending Awaitables when play mode ends.</para>
    /// </remarks>
    public static class AwaitableLoopExtensions
    {
        private static readonly Action<object?> CancelAwaitable = s => ((Awaitable)s!).Cancel();

        /// <summary>The handle as an <see cref="Awaitable"/> (consumes the handle). Any thread.</summary>
        /// <param name="handle">The handle.</param>
        /// <returns>An Awaitable completed on the loop's main thread with the handle's outcome.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed.</exception>
        public static Awaitable AsAwaitable(this LoopHandle handle)
        {
            var source = new AwaitableCompletionSource();
            handle.OnCompleted(outcome =>
            {
                if (outcome.Status == UniTaskStatus.Succeeded)
                {
                    source.TrySetResult();
                }
                else
                {
                    source.TrySetException(outcome.Exception ?? new OperationCanceledException());
                }
            });
            return source.Awaitable;
        }

        /// <summary>The handle as an <see cref="Awaitable{T}"/> (consumes the handle). Any thread.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="handle">The handle.</param>
        /// <returns>An Awaitable completed on the loop's main thread with the handle's outcome.</returns>
        /// <exception cref="InvalidOperationException">The handle was already consumed.</exception>
        public static Awaitable<T> AsAwaitable<T>(this LoopHandle<T> handle)
        {
            var source = new AwaitableCompletionSource<T>();
            handle.OnCompleted(outcome =>
            {
                if (outcome.Status == UniTaskStatus.Succeeded)
                {
                    source.TrySetResult(outcome.Result);
                }
                else
                {
                    source.TrySetException(outcome.Exception ?? new OperationCanceledException());
                }
            });
            return source.Awaitable;
        }

        /// <summary>A handle that completes when <paramref name="awaitable"/> does (consumes the Awaitable). Any thread.</summary>
        /// <param name="loop">The loop that awaits it.</param>
        /// <param name="awaitable">The Awaitable; awaited on the loop's main thread from the next tick.</param>
        /// <param name="cancellationToken">Cancels the Awaitable (before the next tick: it is never awaited).</param>
        /// <returns>The handle: the Awaitable's outcome, Canceled, or <see cref="LoopClosedException"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="awaitable"/> is null.</exception>
        public static LoopHandle WhenCompleted(this MainLoop loop, Awaitable awaitable, CancellationToken cancellationToken = default)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            if (awaitable == null)
            {
                throw new ArgumentNullException(nameof(awaitable));
            }

            return loop.RunAsync(async ct =>
            {
                try
                {
                    using (ct.Register(CancelAwaitable, awaitable))
                    {
                        await awaitable;
                    }
                }
                catch (OperationCanceledException ex) when (ex is not LoopClosedException && loop.ClosedBecause.HasValue)
                {
                    throw new LoopClosedException(loop.ClosedBecause.Value, loop.Closing);
                }
            }, cancellationToken);
        }

        /// <summary>A handle that completes with the result of <paramref name="awaitable"/> (consumes the Awaitable). Any thread.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="loop">The loop that awaits it.</param>
        /// <param name="awaitable">The Awaitable; awaited on the loop's main thread from the next tick.</param>
        /// <param name="cancellationToken">Cancels the Awaitable (before the next tick: it is never awaited).</param>
        /// <returns>The handle: the Awaitable's outcome, Canceled, or <see cref="LoopClosedException"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="awaitable"/> is null.</exception>
        public static LoopHandle<T> WhenCompleted<T>(this MainLoop loop, Awaitable<T> awaitable, CancellationToken cancellationToken = default)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            if (awaitable == null)
            {
                throw new ArgumentNullException(nameof(awaitable));
            }

            return loop.RunAsync(async ct =>
            {
                try
                {
                    using (ct.Register(s => ((Awaitable<T>)s!).Cancel(), awaitable))
                    {
                        return await awaitable;
                    }
                }
                catch (OperationCanceledException ex) when (ex is not LoopClosedException && loop.ClosedBecause.HasValue)
                {
                    throw new LoopClosedException(loop.ClosedBecause.Value, loop.Closing);
                }
            }, cancellationToken);
        }
    }
}
#endif
