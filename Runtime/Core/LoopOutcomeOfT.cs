#nullable enable
using System;
using Cysharp.Threading.Tasks;

namespace LoopBridge
{
    /// <summary>How a handle ended, with its result; passed to <see cref="LoopHandle{T}.OnCompleted"/> callbacks.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    public readonly struct LoopOutcome<T>
    {
        private readonly T result;

        internal LoopOutcome(UniTaskStatus status, T result, Exception? exception)
        {
            Status = status;
            this.result = result;
            Exception = status == UniTaskStatus.Succeeded ? null : exception;
        }

        /// <summary>Succeeded, Faulted or Canceled (a loop close reports Canceled with a <see cref="LoopClosedException"/>).</summary>
        public UniTaskStatus Status { get; }

        /// <summary>The work's result.</summary>
        /// <exception cref="InvalidOperationException">The work did not succeed (see <see cref="Exception"/>).</exception>
        public T Result => Status == UniTaskStatus.Succeeded
            ? result
            : throw new InvalidOperationException($"The work did not succeed ({Status}), so it has no result.", Exception);

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

        /// <summary>The result if the work succeeded, else <paramref name="fallback"/>.</summary>
        /// <param name="fallback">The value for a failed or cancelled outcome.</param>
        /// <returns>The result or the fallback.</returns>
        public T GetValueOrDefault(T fallback) => Status == UniTaskStatus.Succeeded ? result : fallback;

        /// <inheritdoc />
        public override string ToString() => Exception == null ? $"{Status}: {result}" : $"{Status}: {Exception.GetType().Name}: {Exception.Message}";
    }
}
