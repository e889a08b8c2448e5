#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>
        /// A handle that completes on the main thread once <paramref name="pollable"/> (a Unity <c>JobHandle</c> through
        /// its adapter, a readback, ...) has finished: the loop checks <see cref="IMainThreadPollable.IsCompleted"/> once
        /// per tick, then calls <see cref="IMainThreadPollable.Complete"/> on the main thread, exactly once, and only then
        /// completes the handle, so the continuation can read and dispose the work's buffers at once. Any thread
        /// (the members of <paramref name="pollable"/> are only ever called on the main thread).
        /// </summary>
        /// <remarks>
        /// <para><b>Cost.</b> All pending handles of a loop share one queue entry: one pass per tick, one
        /// <c>IsCompleted</c> read per pending handle. The first check is on the next tick.</para>
        /// <para><b>Cancellation</b> (<paramref name="cancellationToken"/> or the handle's <c>Cancel()</c>, which returns
        /// true while the handle is pending): applied by the next pass, which calls <c>Complete()</c> (waiting for the
        /// work if it still runs: started work cannot be stopped) and then completes the handle Canceled. So a cancelled
        /// handle's continuation may dispose the buffers too.</para>
        /// <para><b>Close.</b> Closed on the main thread (as Unity's glue always does): every pending pollable is
        /// completed first, then every pending handle fails with <see cref="LoopClosedException"/>, before queued work is
        /// failed; nothing is left running against buffers a continuation disposes. Closed from another thread: the
        /// handles fail at once (blocked workers wake) and <c>Complete()</c> is not called (it is main-thread-only; the
        /// owner of the work must complete it on the main thread). Submitted to a loop that is not open: the handle has
        /// already failed with <see cref="LoopClosedException"/>, after <c>Complete()</c> when submitted on the main thread.</para>
        /// </remarks>
        /// <typeparam name="TPollable">The pollable's type; a struct is stored without boxing.</typeparam>
        /// <param name="pollable">What to watch.</param>
        /// <param name="cancellationToken">Stops the wait (see remarks).</param>
        /// <returns>The handle: Succeeded after <c>Complete()</c>, Faulted with the exception of <c>IsCompleted</c> or
        /// <c>Complete()</c>, Canceled, or failed with <see cref="LoopClosedException"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="pollable"/> is null.</exception>
        public LoopHandle WhenCompleted<TPollable>(TPollable pollable, CancellationToken cancellationToken = default)
            where TPollable : IMainThreadPollable
        {
            if (pollable == null)
            {
                throw new ArgumentNullException(nameof(pollable));
            }

            var item = PolledItem<TPollable, AsyncUnit, AsyncUnit>.Rent(pollable, null, null, default);
            return new LoopHandle(item, item.Start(this, cancellationToken));
        }

        /// <summary>
        /// Like <see cref="WhenCompleted{TPollable}(TPollable, CancellationToken)"/>, and then reads a result on the main
        /// thread, after <c>Complete()</c> (for example <c>() =&gt; results[0]</c>); its value completes the handle. Any thread.
        /// </summary>
        /// <typeparam name="TPollable">The pollable's type; a struct is stored without boxing.</typeparam>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="pollable">What to watch.</param>
        /// <param name="read">Reads the result; runs on the main thread, only if the work completed and the wait was not
        /// cancelled or closed. Its exception completes the handle (Faulted; Canceled for an OperationCanceledException).</param>
        /// <param name="cancellationToken">Stops the wait (see <see cref="WhenCompleted{TPollable}(TPollable, CancellationToken)"/>).</param>
        /// <returns>The handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="pollable"/> or <paramref name="read"/> is null.</exception>
        public LoopHandle<T> WhenCompleted<TPollable, T>(TPollable pollable, Func<T> read, CancellationToken cancellationToken = default)
            where TPollable : IMainThreadPollable
        {
            if (pollable == null)
            {
                throw new ArgumentNullException(nameof(pollable));
            }

            if (read == null)
            {
                throw new ArgumentNullException(nameof(read));
            }

            var item = PolledItem<TPollable, AsyncUnit, T>.Rent(pollable, read, null, default);
            return new LoopHandle<T>(item, item.Start(this, cancellationToken));
        }

        /// <summary>
        /// Like <see cref="WhenCompleted{TPollable, T}(TPollable, Func{T}, CancellationToken)"/>, with the reader's state
        /// passed in (no closure needed, e.g. <c>loop.WhenCompleted(job, results, r =&gt; r[0])</c>). Any thread.
        /// </summary>
        /// <typeparam name="TPollable">The pollable's type; a struct is stored without boxing.</typeparam>
        /// <typeparam name="TState">The state's type.</typeparam>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="pollable">What to watch.</param>
        /// <param name="state">Passed to <paramref name="read"/>.</param>
        /// <param name="read">Reads the result on the main thread (see the overload without state).</param>
        /// <param name="cancellationToken">Stops the wait.</param>
        /// <returns>The handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="pollable"/> or <paramref name="read"/> is null.</exception>
        public LoopHandle<T> WhenCompleted<TPollable, TState, T>(TPollable pollable, TState state, Func<TState, T> read, CancellationToken cancellationToken = default)
            where TPollable : IMainThreadPollable
        {
            if (pollable == null)
            {
                throw new ArgumentNullException(nameof(pollable));
            }

            if (read == null)
            {
                throw new ArgumentNullException(nameof(read));
            }

            var item = PolledItem<TPollable, TState, T>.Rent(pollable, null, read, state);
            return new LoopHandle<T>(item, item.Start(this, cancellationToken));
        }
    }
}
