#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>A <see cref="LoopWorkItem"/> whose work produces a <typeparamref name="T"/>.</summary>
    internal abstract class LoopWorkItem<T> : LoopWorkItem, IUniTaskSource<T>
    {
        private T result = default!;

        /// <summary>Completes with a result, if <paramref name="from"/> is still the phase (first completion wins).</summary>
        protected bool TrySetResult(int from, T value)
        {
            if (!TryClaim(from))
            {
                return false;
            }

            result = value;
            Publish(UniTaskStatus.Succeeded, null, byClose: false);
            return true;
        }

        /// <summary>
        /// Completes running sync work with its value, without a compare-and-swap: nothing else ever claims sync work
        /// in the Running phase (Cancel, the caller's token and close only claim Queued items; close fails Running
        /// items only from the registry of async work), so the work side owns the completion.
        /// </summary>
        protected void SetResultOfRunningSyncWork(T value)
        {
            ClaimRunningSyncWork();
            result = value;
            Publish(UniTaskStatus.Succeeded, null, byClose: false);
        }

        /// <inheritdoc />
        public new T GetResult(short token)
        {
            BeginGetResult(token);
            var value = result;
            var ex = EndGetResult();
            if (ex != null)
            {
                Rethrow(ex);
            }

            return value;
        }

        /// <summary>Blocks until completion (see <see cref="LoopWorkItem.WaitForCompletion"/>), then consumes the result.</summary>
        internal T WaitResult(short token, TimeSpan timeout)
        {
            // Already completed (the common case for a worker that polls, and for the main thread): no wait to set up.
            ValidateTimeout(timeout);
            if (!IsPublished)
            {
                WaitForCompletion(token, timeout);
            }

            return GetResult(token);
        }

        /// <inheritdoc />
        protected override void InvokeCallback(object userCallback)
        {
            var owner = Loop;
            var st = StoredStatus;
            var value = st == UniTaskStatus.Succeeded ? result : default!;
            var ex = StoredError;
            ReleaseConsumerAfterCallback();
            try
            {
                if (userCallback is Action<LoopOutcome<T>> typed)
                {
                    typed(new LoopOutcome<T>(st, value, ex));
                }
                else
                {
                    ((Action<LoopOutcome>)userCallback)(new LoopOutcome(st, ex));
                }
            }
            catch (Exception callbackError)
            {
                owner.ReportUnhandled(callbackError);
            }
        }

        /// <inheritdoc />
        protected override void ClearWork()
        {
            result = default!;
            ClearDelegate();
        }

        /// <summary>Drops the user's delegate and state.</summary>
        protected abstract void ClearDelegate();
    }
}
