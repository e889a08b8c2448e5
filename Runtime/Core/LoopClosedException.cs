#nullable enable
using System;
using System.Threading;

namespace LoopBridge
{
    /// <summary>
    /// The exception a handle fails with when its <see cref="MainLoop"/> closed before the work could complete,
    /// or when work was submitted to a loop that is already closed.
    /// </summary>
    /// <remarks>
    /// It derives from <see cref="OperationCanceledException"/>, so ordinary cancellation handling
    /// (<c>catch (OperationCanceledException)</c>, UniTask's <c>SuppressCancellationThrow</c>) covers it; a handle that
    /// fails this way reports the <c>Canceled</c> status. <see cref="Reason"/> says why the loop closed.
    /// </remarks>
    public sealed class LoopClosedException : OperationCanceledException
    {
        /// <summary>Creates the exception for a loop closed for <paramref name="reason"/>.</summary>
        /// <param name="reason">Why the loop closed.</param>
        /// <param name="closingToken">The loop's <see cref="MainLoop.Closing"/> token (already cancelled).</param>
        public LoopClosedException(CloseReason reason, CancellationToken closingToken)
            : base(MessageFor(reason), closingToken)
        {
            Reason = reason;
        }

        /// <summary>Creates the exception for a loop closed for <paramref name="reason"/>.</summary>
        /// <param name="reason">Why the loop closed.</param>
        public LoopClosedException(CloseReason reason)
            : this(reason, CancellationToken.None)
        {
        }

        /// <summary>Why the loop closed.</summary>
        public CloseReason Reason { get; }

        private static string MessageFor(CloseReason reason) => reason switch
        {
            CloseReason.EngineShutdown => "The main loop was closed because the engine is shutting down; this work did not complete.",
            CloseReason.ExitingPlayMode => "The main loop was closed because play mode ended; this work did not complete.",
            CloseReason.DomainReload => "The main loop was closed for a domain reload; this work did not complete.",
            _ => "The main loop was closed (disposed); this work did not complete.",
        };
    }
}
