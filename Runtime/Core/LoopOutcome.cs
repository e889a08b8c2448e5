#nullable enable
using System;
using Cysharp.Threading.Tasks;

namespace LoopBridge
{
    /// <summary>How a handle without a result ended; passed to <see cref="LoopHandle.OnCompleted"/> callbacks.</summary>
    public readonly struct LoopOutcome
    {
        internal LoopOutcome(UniTaskStatus status, Exception? exception)
        {
            Status = status;
            Exception = status == UniTaskStatus.Succeeded ? null : exception;
        }

        /// <summary>Succeeded, Faulted or Canceled (a loop close reports Canceled with a <see cref="LoopClosedException"/>).</summary>
        public UniTaskStatus Status { get; }

        /// <summary>The work's exception (Faulted), the cancellation exception (Canceled), or null (Succeeded).</summary>
        public Exception? Exception { get; }

        /// <summary>True when the work ran to completion.</summary>
        public bool IsSucceeded => Status == UniTaskStatus.Succeeded;

        /// <summary>True when the work threw.</summary>
        public bool IsFaulted => Status == UniTaskStatus.Faulted;

        /// <summary>True when the work was cancelled or failed by the loop's close.</summary>
        public bool IsCanceled => Status == UniTaskStatus.Canceled;

        /// <summary>True when the loop's close failed the work (<see cref="Exception"/> is a <see cref="LoopClosedException"/>).</summary>
        public bool IsClosed => Exception is LoopClosedException;

        /// <inheritdoc />
        public override string ToString() => Exception == null ? Status.ToString() : $"{Status}: {Exception.GetType().Name}: {Exception.Message}";
    }
}
