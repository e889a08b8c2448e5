#nullable enable
using System;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// Async work: started on the main thread during a tick, completed when the returned UniTask completes.
    /// </summary>
    /// <remarks>
    /// The work receives a token that is cancelled by the handle's <c>Cancel()</c>, by the caller's token and by the
    /// loop's <see cref="MainLoop.Closing"/>. The token's source is kept with the pooled item and reused until it has
    /// been cancelled once, so steady-state <c>RunAsync</c> allocates no CancellationTokenSource; the token is
    /// therefore only meaningful while the work runs.
    /// While started and not finished, the item sits in the loop's registry of running async work, which is what
    /// close waits for (grace period) and then fails.
    /// </remarks>
    internal abstract class AsyncWorkItem<T> : LoopWorkItem<T>
    {
        private static readonly Action<object?> CancelSourceAction = s => ((AsyncWorkItem<T>)s!).CancelSource();

        private CancellationTokenSource? source;
        private CancellationTokenRegistration closingRegistration;
        private Action? onAwaitCompleted;

        /// <summary>Calls the user's delegate and starts awaiting what it returned; true if it already completed.</summary>
        protected abstract bool Begin(CancellationToken token);

        /// <summary>Subscribes <paramref name="continuation"/> to the awaiter saved by <see cref="Begin"/>.</summary>
        protected abstract void Subscribe(Action continuation);

        /// <summary>Gets the awaited result (or throws the work's exception) and forgets the awaiter.</summary>
        protected abstract T End();

        /// <inheritdoc />
        protected sealed override void RunWork()
        {
            var loop = Loop;
            if (!loop.TryAddRunning(this))
            {
                // A close from another thread already failed the running work: this one must not start.
                FailRunning(loop.CreateClosedException());
                ReleaseWorkSide();
                return;
            }

            var cts = source;
            if (cts == null || cts.IsCancellationRequested)
            {
                cts = new CancellationTokenSource();
            }

            // Published with a fence before the flag is read: a Cancel() or caller-token cancel that raced with the
            // start either finds the source, or set the flag that is read here.
            Interlocked.Exchange(ref source, cts);
            closingRegistration = loop.Closing.Register(CancelSourceAction, this);
            if (CancelRequested || CallerTokenCanceled)
            {
                CancelSource();
            }

            bool completedSynchronously;
            try
            {
                completedSynchronously = Begin(cts.Token);
            }
            catch (Exception ex)
            {
                Finish(ex);
                return;
            }

            if (completedSynchronously)
            {
                Finish(null);
            }
            else
            {
                Subscribe(onAwaitCompleted ??= OnAwaitCompleted);
            }
        }

        private void OnAwaitCompleted() => Finish(null);

        private void Finish(Exception? startError)
        {
            if (startError != null)
            {
                TrySetException(Running, ClosedCause(startError));
            }
            else
            {
                try
                {
                    TrySetResult(Running, End());
                }
                catch (Exception ex)
                {
                    // Loses to close if the grace period already failed the handle (exactly once).
                    TrySetException(Running, ClosedCause(ex));
                }
            }

            closingRegistration.Dispose();
            closingRegistration = default;
            var cts = source;
            if (cts != null && cts.IsCancellationRequested)
            {
                // A cancelled source cannot be reset on netstandard2.1: the next use gets a new one.
                source = null;
                cts.Dispose();
            }

            var loop = Loop;
            loop.RemoveRunning(this);
            ReleaseWorkSide();
        }

        /// <summary>
        /// Work that stopped with a cancellation while the loop closes, and that nobody else cancelled (not
        /// <c>Cancel()</c>, not the caller's token), stopped because of the close: it fails with
        /// <see cref="LoopClosedException"/> (the original exception inside) and counts as failed by close.
        /// </summary>
        private Exception ClosedCause(Exception error) =>
            error is OperationCanceledException && error is not LoopClosedException && !Loop.IsOpen && !CancelRequested && !CallerTokenCanceled
                ? Loop.CreateClosedException(error)
                : error;

        /// <inheritdoc />
        protected override bool CancelRunning()
        {
            CancelSource();
            return true;
        }

        private void CancelSource()
        {
            var cts = source;
            if (cts == null)
            {
                return;
            }

            // Mono/.NET Framework run a token callback in the ExecutionContext captured by Register, and it carries the
            // SynchronizationContext: the Closing registration is made inside a tick, so a close on another thread would
            // get the loop's context here, and an await of the work (e.g. Task.Delay(x, token)) would resume inline on
            // this thread instead of being posted to the main thread. Cancel without it off the main thread.
            var loop = Loop;
            var flowed = SynchronizationContext.Current;
            var clear = flowed != null && ReferenceEquals(flowed, loop.SyncContext) && !loop.IsMainThread;
            if (clear)
            {
                SynchronizationContext.SetSynchronizationContext(null);
            }

            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The work ended (and its source was disposed) while we were cancelling it: nothing left to stop.
            }
            catch (AggregateException ex)
            {
                // A callback registered by the user's work threw: report it, the cancellation itself happened.
                loop.ReportUnhandled(ex);
            }
            finally
            {
                if (clear)
                {
                    SynchronizationContext.SetSynchronizationContext(flowed);
                }
            }
        }
    }
}
