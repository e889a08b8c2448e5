#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;

namespace LoopBridge.Internal
{
    // Several consumers (LoopHandle.Preserve): the use is marked Preserved in `stamp` (one compare-and-swap from Free,
    // so it cannot happen once a consumer has claimed the use), keeps its consumer reference for ever (it is never
    // recycled, so its 16-bit token stays exact), and keeps every continuation in a list under lock(this).
    internal abstract partial class LoopWorkItem
    {
        /// <summary>
        /// <see cref="LoopHandle.Preserve"/>: makes the use consumable any number of times. Idempotent. Has no effect at
        /// all when it throws (an await or callback that already owns the handle keeps it).
        /// </summary>
        /// <exception cref="InvalidOperationException">The handle was already consumed (or is being consumed), or reused.</exception>
        internal void Preserve(long generation)
        {
            Step("preserve");
            var free = (generation << StampStateBits) | Free;
            var seen = Interlocked.CompareExchange(ref stamp, free | Preserved, free);
            if (seen == free || seen == (free | Preserved))
            {
                return;
            }

            var inner = Misuse(generation, seen);
            throw new InvalidOperationException("Preserve() must be called before the handle is first consumed. " + inner.Message, inner);
        }

        /// <summary>Adds a continuation of a preserved use, or dispatches it now if the use has completed.</summary>
        private void RegisterPreserved(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
        {
            lock (this)
            {
                if (Volatile.Read(ref phase) != Completed)
                {
                    (preservedContinuations ??= new List<ContinuationBox>()).Add(new ContinuationBox(action, state, target, context));
                    return;
                }
            }

            Dispatch(action, state, target, context);
        }

        /// <summary>Publish of a preserved use: dispatches every registered continuation (outside the lock).</summary>
        private void DispatchPreserved()
        {
            List<ContinuationBox>? all;
            lock (this)
            {
                all = preservedContinuations;
                preservedContinuations = null;
            }

            if (all != null)
            {
                foreach (var box in all)
                {
                    Dispatch(box.Action, box.State, box.Target, box.Context);
                }
            }
        }

        /// <summary>A continuation with the place it must run (for preserved handles and marshalling).</summary>
        private sealed class ContinuationBox
        {
            internal readonly Action<object?> Action;
            internal readonly object? State;
            internal readonly ContinuationTarget Target;
            internal readonly SynchronizationContext? Context;

            internal ContinuationBox(Action<object?> action, object? state, ContinuationTarget target, SynchronizationContext? context)
            {
                Action = action;
                State = state;
                Target = target;
                Context = context;
            }

            internal void Invoke() => Action(State);
        }

        /// <summary>One completion callback of a preserved use.</summary>
        private sealed class PreservedCallback
        {
            internal static readonly Action<object?> Action = s => ((PreservedCallback)s!).Invoke();

            private readonly LoopWorkItem item;
            private readonly object userCallback;

            internal PreservedCallback(LoopWorkItem item, object userCallback)
            {
                this.item = item;
                this.userCallback = userCallback;
            }

            private void Invoke() => item.InvokeCallback(userCallback, item.Generation, preserved: true);
        }
    }
}
