#nullable enable
using System;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The pooled source behind a <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, CancellationToken)"/> handle:
    /// a pollable (stored unboxed), an optional reader of the result, and the caller's token.
    /// </summary>
    /// <remarks>
    /// <para><b>Never queued.</b> The item is started at submission (<see cref="Start"/> moves it to Running through
    /// <see cref="QueueEntry.Execute"/>, on the submitting thread) and handed to the loop's
    /// <see cref="CompletionPoller"/>. So from the moment the caller holds the handle, every way to end it goes through
    /// the poller on the main thread: <c>Cancel()</c> of a running item only asks (<see cref="CancelRunning"/>), and
    /// close reaches running items only through the poller (they are not in the loop's registry of async work). That is
    /// what guarantees <c>Complete()</c> before the handle completes, whatever the outcome.</para>
    /// <para><b>Fields.</b> <see cref="pollable"/>, <see cref="read"/>, <see cref="readWithState"/> and
    /// <see cref="state"/> are written by the submitting thread before <see cref="Start"/> publishes the item to the
    /// poller (under its lock) and read on the main thread only. <see cref="tokenCanceled"/> is 0, or 1 once the caller's
    /// token fired (written by the token's callback, any thread; read by the poller).</para>
    /// </remarks>
    internal sealed class PolledItem<TPollable, TState, T> : LoopWorkItem<T>, IPolledWork
        where TPollable : IMainThreadPollable
    {
        private static readonly Action<object?> TokenCanceledAction = s => ((PolledItem<TPollable, TState, T>)s!).OnTokenCanceled();

        private TPollable pollable = default!;
        private Func<T>? read;
        private Func<TState, T>? readWithState;
        private TState state = default!;
        private CancellationToken token;
        private CancellationTokenRegistration registration;
        private int tokenCanceled;

        internal static PolledItem<TPollable, TState, T> Rent(TPollable pollable, Func<T>? read, Func<TState, T>? readWithState, TState state)
        {
            var item = ItemPool<PolledItem<TPollable, TState, T>>.Rent();
            item.pollable = pollable;
            item.read = read;
            item.readWithState = readWithState;
            item.state = state;
            return item;
        }

        /// <summary>Starts watching (any thread); returns the handle's token.</summary>
        internal short Start(MainLoop loop, CancellationToken cancellationToken)
        {
            // The caller's token is ours to watch, not the base's: the base would complete a Queued item at once and
            // cancel a Running one from the thread pool; here a token only raises a flag the next pass acts on.
            Init(loop, default, isFireAndForget: false);
            var version = Version;
            if (!loop.IsOpen)
            {
                // Never watched. On the main thread the job is completed first, so the failed handle's continuation may
                // dispose its buffers; elsewhere Complete() cannot run (see MainLoop.WhenCompleted).
                if (loop.IsMainThread)
                {
                    CompleteForClose();
                }

                RejectClosed(loop);
                return version;
            }

            token = cancellationToken;
            Execute(loop); // Queued -> Running, then RunWork (below) on this thread.
            return version;
        }

        /// <inheritdoc />
        protected override void RunWork()
        {
            var loop = Loop;
            if (token.CanBeCanceled)
            {
                // Runs the callback at once if the token is already cancelled: the next pass then cancels.
                registration = token.Register(TokenCanceledAction, this);
            }

            if (!CompletionPoller.For(loop).TryAdd(this))
            {
                // The poller already closed (the loop is closing).
                if (loop.IsMainThread)
                {
                    CompleteForClose();
                }

                FailClosed(loop.CreateClosedException());
            }
        }

        /// <inheritdoc />
        /// <remarks>Only asks: the next pass calls <c>Complete()</c> on the main thread, then cancels the handle.</remarks>
        protected override bool CancelRunning() => true;

        private void OnTokenCanceled() => Volatile.Write(ref tokenCanceled, 1);

        /// <inheritdoc />
        public bool Poll()
        {
            var canceledByToken = Volatile.Read(ref tokenCanceled) != 0;
            var canceled = canceledByToken || CancelRequested;
            if (!canceled)
            {
                try
                {
                    if (!pollable.IsCompleted)
                    {
                        return false;
                    }
                }
                catch (Exception ex)
                {
                    Finish(ex, canceled: false, canceledByToken: false);
                    return true;
                }
            }

            Finish(null, canceled, canceledByToken);
            return true;
        }

        private void Finish(Exception? pollError, bool canceled, bool canceledByToken)
        {
            ReleaseRegistration();
            var error = pollError;
            try
            {
                pollable.Complete();
            }
            catch (Exception ex)
            {
                error ??= ex;
            }

            if (error != null)
            {
                TrySetException(Running, error);
            }
            else if (canceled)
            {
                TrySetException(Running, canceledByToken
                    ? new OperationCanceledException("The wait was cancelled through its CancellationToken; the work was completed on the main thread first.", token)
                    : new OperationCanceledException("The wait was cancelled through its handle; the work was completed on the main thread first."));
            }
            else
            {
                T value;
                try
                {
                    value = readWithState != null ? readWithState(state) : read != null ? read() : default!;
                }
                catch (Exception ex)
                {
                    TrySetException(Running, ex);
                    ReleaseWorkSide();
                    return;
                }

                TrySetResult(Running, value);
            }

            ReleaseWorkSide();
        }

        /// <inheritdoc />
        public void CompleteForClose()
        {
            try
            {
                pollable.Complete();
            }
            catch (Exception ex)
            {
                Loop.ReportUnhandled(ex);
            }
        }

        /// <inheritdoc />
        public void FailClosed(LoopClosedException exception)
        {
            ReleaseRegistration();
            TrySetException(Running, exception);
            ReleaseWorkSide();
        }

        private void ReleaseRegistration()
        {
            // Dispose waits for a callback running on another thread; ours only writes a flag.
            registration.Dispose();
            registration = default;
        }

        /// <inheritdoc />
        protected override void ClearDelegate()
        {
            pollable = default!;
            read = null;
            readWithState = null;
            state = default!;
            token = default;
            registration = default;
            tokenCanceled = 0;
        }

        /// <inheritdoc />
        protected override void ReturnToPool() => ItemPool<PolledItem<TPollable, TState, T>>.Return(this);

        /// <inheritdoc />
        internal override string Describe() => $"WhenCompleted({typeof(TPollable).Name})";
    }
}
