#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>Queues <paramref name="action"/> to run on the main thread. Any thread.</summary>
        /// <param name="action">The work.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs and the handle is cancelled.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        public LoopHandle Run(Action action, CancellationToken cancellationToken = default)
        {
            if (action == null)
            {
                throw new ArgumentNullException(nameof(action));
            }

            var item = ActionItem.Rent(action);
            return new LoopHandle(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>Queues <paramref name="action"/> with <paramref name="state"/> (no closure needed). Any thread.</summary>
        /// <typeparam name="TState">The state's type.</typeparam>
        /// <param name="state">Passed to <paramref name="action"/>.</param>
        /// <param name="action">The work.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs and the handle is cancelled.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        public LoopHandle Run<TState>(TState state, Action<TState> action, CancellationToken cancellationToken = default)
        {
            if (action == null)
            {
                throw new ArgumentNullException(nameof(action));
            }

            var item = StateActionItem<TState>.Rent(state, action);
            return new LoopHandle(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>Queues <paramref name="func"/> to run on the main thread; its value completes the handle. Any thread.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="func">The work.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs and the handle is cancelled.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="func"/> is null.</exception>
        public LoopHandle<T> Run<T>(Func<T> func, CancellationToken cancellationToken = default)
        {
            if (func == null)
            {
                throw new ArgumentNullException(nameof(func));
            }

            var item = FuncItem<T>.Rent(func);
            return new LoopHandle<T>(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>Queues <paramref name="func"/> with <paramref name="state"/> (no closure needed); its value completes the handle. Any thread.</summary>
        /// <typeparam name="TState">The state's type.</typeparam>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="state">Passed to <paramref name="func"/>.</param>
        /// <param name="func">The work.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs and the handle is cancelled.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="func"/> is null.</exception>
        public LoopHandle<T> Run<TState, T>(TState state, Func<TState, T> func, CancellationToken cancellationToken = default)
        {
            if (func == null)
            {
                throw new ArgumentNullException(nameof(func));
            }

            var item = StateFuncItem<TState, T>.Rent(state, func);
            return new LoopHandle<T>(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>
        /// Queues async work: it starts on the main thread during a tick and the handle completes when the returned
        /// UniTask completes. While it runs, awaits of Tasks and LoopHandles resume on the main thread through this loop
        /// (and <see cref="NextFrame()"/> / <see cref="SwitchTo()"/> come back to it explicitly). Any thread.
        /// </summary>
        /// <param name="func">The work; receives a token cancelled by the handle's <c>Cancel()</c>, by
        /// <paramref name="cancellationToken"/> and by <see cref="Closing"/>. The token is valid only while the work runs.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs. Cancelled later: passed on to the work.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="func"/> is null.</exception>
        public LoopHandle RunAsync(Func<CancellationToken, UniTask> func, CancellationToken cancellationToken = default)
        {
            if (func == null)
            {
                throw new ArgumentNullException(nameof(func));
            }

            var item = AsyncActionItem.Rent(func);
            return new LoopHandle(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>Queues async work producing a <typeparamref name="T"/>; see <see cref="RunAsync(Func{CancellationToken, UniTask}, CancellationToken)"/>. Any thread.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="func">The work; receives a token cancelled by the handle's <c>Cancel()</c>, by
        /// <paramref name="cancellationToken"/> and by <see cref="Closing"/>. The token is valid only while the work runs.</param>
        /// <param name="cancellationToken">Cancelled before the work starts: it never runs. Cancelled later: passed on to the work.</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="func"/> is null.</exception>
        public LoopHandle<T> RunAsync<T>(Func<CancellationToken, UniTask<T>> func, CancellationToken cancellationToken = default)
        {
            if (func == null)
            {
                throw new ArgumentNullException(nameof(func));
            }

            var item = AsyncFuncItem<T>.Rent(func);
            return new LoopHandle<T>(item, Submit(item, cancellationToken, fireAndForget: false));
        }

        /// <summary>
        /// Offload and come back (asyncio's <c>run_in_executor</c>): runs <paramref name="work"/> on the thread pool,
        /// then completes the handle on the main thread. If the loop closes meanwhile, the result is discarded and the
        /// handle fails with <see cref="LoopClosedException"/> instead of resuming into a closed world. Any thread.
        /// </summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="work">The work, run on a thread-pool thread; its token is cancelled by the handle's <c>Cancel()</c>,
        /// by <paramref name="cancellationToken"/> and by <see cref="Closing"/>.</param>
        /// <param name="cancellationToken">Cancels the work (before it starts: it never runs).</param>
        /// <returns>The handle; already failed with <see cref="LoopClosedException"/> if the loop is not open.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
        /// <exception cref="PlatformNotSupportedException">The loop has no threads (<see cref="SupportsThreads"/> is false,
        /// as in Unity's WebGL player): the work is refused at once rather than run on the main thread behind the
        /// caller's back (a hidden frame hitch). Slice the work with <see cref="RunAsync{T}"/> and <see cref="NextFrame()"/> instead.</exception>
        public LoopHandle<T> Offload<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken = default)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (!supportsThreads)
            {
                throw NoThreads(nameof(Offload));
            }

            return RunAsync(async token =>
            {
                var result = await Task.Run(() => work(token), token).ConfigureAwait(false);

                // Back to the main thread; throws LoopClosedException if the loop closed while the work ran.
                await SwitchTo();
                return result;
            }, cancellationToken);
        }

        /// <summary>
        /// Fire-and-forget: queues <paramref name="action"/> with no handle. An exception it throws goes to
        /// <see cref="UnhandledException"/>. Any thread.
        /// </summary>
        /// <param name="action">The work.</param>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        /// <exception cref="LoopClosedException">The loop is closing or closed (use <see cref="TryPost(Action)"/> to get <c>false</c> instead).</exception>
        public void Post(Action action)
        {
            if (!TryPost(action))
            {
                throw CreateClosedException();
            }
        }

        /// <summary>Fire-and-forget with state (no closure needed); see <see cref="Post(Action)"/>. Any thread.</summary>
        /// <typeparam name="TState">The state's type.</typeparam>
        /// <param name="state">Passed to <paramref name="action"/>.</param>
        /// <param name="action">The work.</param>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        /// <exception cref="LoopClosedException">The loop is closing or closed.</exception>
        public void Post<TState>(TState state, Action<TState> action)
        {
            if (!TryPost(state, action))
            {
                throw CreateClosedException();
            }
        }

        /// <summary>
        /// Fire-and-forget like <see cref="Post(Action)"/>, but returns <c>false</c> instead of throwing when the loop is not
        /// open. Work accepted (<c>true</c>) that a racing close then prevents from running is counted in
        /// <see cref="MainLoopStatistics.FailedByClose"/>. Any thread.
        /// </summary>
        /// <param name="action">The work.</param>
        /// <returns>Whether the work was queued.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        public bool TryPost(Action action)
        {
            if (action == null)
            {
                throw new ArgumentNullException(nameof(action));
            }

            if (!IsOpen)
            {
                return false;
            }

            Submit(ActionItem.Rent(action), default, fireAndForget: true);
            return true;
        }

        /// <summary>Fire-and-forget with state (no closure needed); see <see cref="TryPost(Action)"/>. Any thread.</summary>
        /// <typeparam name="TState">The state's type.</typeparam>
        /// <param name="state">Passed to <paramref name="action"/>.</param>
        /// <param name="action">The work.</param>
        /// <returns>Whether the work was queued.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
        public bool TryPost<TState>(TState state, Action<TState> action)
        {
            if (action == null)
            {
                throw new ArgumentNullException(nameof(action));
            }

            if (!IsOpen)
            {
                return false;
            }

            Submit(StateActionItem<TState>.Rent(state, action), default, fireAndForget: true);
            return true;
        }

        /// <summary>
        /// <c>await loop.SwitchTo()</c> continues on the loop's main thread: at once if already there, else on the next
        /// tick. If the loop is closed (or closes before that tick), the await throws <see cref="LoopClosedException"/>
        /// instead of resuming, so the method's catch/finally blocks run and nothing hangs. Any thread.
        /// </summary>
        /// <returns>The awaitable.</returns>
        public LoopSwitchAwaitable SwitchTo() => new LoopSwitchAwaitable(this, forceYield: false);

        /// <summary>
        /// <c>await loop.NextFrame()</c> resumes on the main thread on a later tick, even when called there: the way
        /// async work waits across frames. Throws <see cref="LoopClosedException"/> like <see cref="SwitchTo()"/>. Any thread.
        /// </summary>
        /// <returns>The awaitable.</returns>
        public LoopSwitchAwaitable NextFrame() => new LoopSwitchAwaitable(this, forceYield: true);

        /// <summary>
        /// <see cref="SwitchTo()"/> that can be cancelled: if <paramref name="cancellationToken"/> is cancelled by the
        /// time the await ends, it throws <see cref="OperationCanceledException"/> instead of continuing. Already
        /// cancelled: throws at once, on the awaiting thread. Cancelled while waiting for the tick: the tick resumes the
        /// awaiting code on the main thread, where it throws. A close wins: <see cref="LoopClosedException"/>. The token
        /// is checked, never registered (nothing to release, no allocation, no thread needed). Any thread.
        /// </summary>
        /// <param name="cancellationToken">Stops the switch.</param>
        /// <returns>The awaitable.</returns>
        public LoopSwitchAwaitable SwitchTo(CancellationToken cancellationToken) => new LoopSwitchAwaitable(this, forceYield: false, cancellationToken);

        /// <summary>
        /// <see cref="NextFrame()"/> that can be cancelled: if <paramref name="cancellationToken"/> is cancelled by the
        /// time the await ends, it throws <see cref="OperationCanceledException"/> on the main thread in that tick
        /// (at once, on the awaiting thread, if it is already cancelled). Inside <see cref="RunAsync(Func{CancellationToken, UniTask}, CancellationToken)"/>
        /// pass the work's own token: a cancellation of the caller's token reaches it at the start of the next tick,
        /// before this await resumes, so the work ends Canceled. A close wins: <see cref="LoopClosedException"/>. Any thread.
        /// </summary>
        /// <param name="cancellationToken">Stops the wait.</param>
        /// <returns>The awaitable.</returns>
        public LoopSwitchAwaitable NextFrame(CancellationToken cancellationToken) => new LoopSwitchAwaitable(this, forceYield: true, cancellationToken);

        /// <summary>Queues a rented, initialised item, or completes it at once; returns the handle's token.</summary>
        private short Submit(LoopWorkItem item, CancellationToken cancellationToken, bool fireAndForget)
        {
            item.Init(this, cancellationToken, fireAndForget);
            var token = item.Version;
            if (tracked != null)
            {
                Track(item);
            }

            // Nothing is ever queued on a loop that is not open (a race with Close is settled in EnqueueEntry).
            if (!IsOpen)
            {
                item.RejectClosed(this);
                return token;
            }

            if (cancellationToken.CanBeCanceled)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    item.RejectCanceled();
                    return token;
                }

                item.RegisterToken();
            }

            EnqueueEntry(item);
            return token;
        }

        /// <summary>
        /// Enqueues an entry, settling the race with <see cref="Close"/>: if the loop was closed meanwhile, this thread
        /// drains the queue itself, so an entry is always either run by a tick or handled by a close, never stranded.
        /// </summary>
        internal void EnqueueEntry(QueueEntry entry)
        {
            diagnostics.OnEnqueue(entry);
            queue.Enqueue(entry);

            // Enqueue is a full fence (interlocked), and the close writes the state with one too: either we see the
            // close here, or the closer's final drain (which runs after its state write) sees our entry. Both may
            // happen; ConcurrentQueue hands each entry to one of them only.
            var word = Volatile.Read(ref stateWord);
            if (word == 0)
            {
                return;
            }

            if ((LoopState)(word & StateMask) == LoopState.Closed)
            {
                DrainClosed();
            }
            else
            {
                // Closing: the close's finish (grace period, or final drain) takes it; wake it.
                Volatile.Read(ref closeInfo)?.Signal.Set();
            }
        }

        /// <summary>Runs <paramref name="action"/> on the main thread: inline if this is it, else through the queue.</summary>
        internal void DeliverToMainThread(Action<object?> action, object? state)
        {
            if (IsMainThread)
            {
                try
                {
                    action(state);
                }
                catch (Exception ex)
                {
                    ReportUnhandled(ex);
                }

                return;
            }

            EnqueueEntry(ContinuationEntry.ForDelivery(action, state));
        }

        /// <summary>The loop's SynchronizationContext.Post: queues a continuation of already-started code.</summary>
        internal void PostContinuation(SendOrPostCallback callback, object? state)
        {
            EnqueueEntry(ContinuationEntry.ForPost(callback, state));
        }
    }
}
