#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary>A <see cref="LoopWorkItem"/> whose work produces a <typeparamref name="T"/>.</summary>
    internal abstract class LoopWorkItem<T> : LoopWorkItem, IUniTaskSource<T>
    {
        /// <summary>The work's value: written once by the completer before the outcome is published (Succeeded only); cleared by recycling.</summary>
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
            var s = BeginUniTaskGetResult(token);
            var st = StoredStatus;
            var value = st == UniTaskStatus.Succeeded ? result : default!;
            var ex = EndUniTaskGetResult(s, st, StoredError);
            if (ex != null)
            {
                Rethrow(ex);
            }

            return value;
        }

        /// <summary><see cref="LoopHandle{T}.GetResult(TimeSpan)"/>: claims, blocks until completion (see <see cref="LoopWorkItem.BeginBlockingGetResult"/>), then consumes the result.</summary>
        internal T BlockingGetValue(long generation, TimeSpan timeout)
        {
            var preserved = BeginBlockingGetResult(generation, timeout);
            var st = StoredStatus;
            var value = st == UniTaskStatus.Succeeded ? result : default!;
            var ex = EndBlockingGetResult(generation, preserved, st, StoredError);
            if (ex != null)
            {
                Rethrow(ex);
            }

            return value;
        }

        /// <inheritdoc />
        protected override void InvokeCallback(object userCallback, long generation, bool preserved)
        {
            var owner = Loop;
            var st = StoredStatus;
            var value = st == UniTaskStatus.Succeeded ? result : default!;
            var ex = StoredError;
            FinishCallback(generation, preserved);
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
