#nullable enable
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    /// <summary>
    /// What <see cref="MainLoop.SwitchTo()"/> and <see cref="MainLoop.NextFrame()"/> (and their
    /// <see cref="CancellationToken"/> overloads) return: <c>await</c> it to continue on the loop's main thread. If the
    /// loop is closed, or closes before resuming, the await throws <see cref="LoopClosedException"/>; if the token is
    /// cancelled by the time the await ends, it throws <see cref="OperationCanceledException"/>. Pooled: awaiting
    /// allocates nothing in steady state, with or without a token.
    /// </summary>
    /// <remarks>
    /// The token is not registered anywhere: it is checked when the await ends, which is at once (already on the main
    /// thread for <c>SwitchTo</c>, token already cancelled, loop not open) or in the tick that resumes the awaiting code,
    /// on the main thread. So a cancellation never runs the awaiting code on the cancelling thread, costs nothing to
    /// release, and needs no thread (WebGL); the price is that a cancelled await still waits for the loop's next tick
    /// (or its close) to resume.
    /// </remarks>
    public readonly struct LoopSwitchAwaitable
    {
        private readonly MainLoop loop;
        private readonly bool forceYield;
        private readonly CancellationToken cancellationToken;

        internal LoopSwitchAwaitable(MainLoop loop, bool forceYield, CancellationToken cancellationToken = default)
        {
            this.loop = loop;
            this.forceYield = forceYield;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>Lets <c>await</c> work.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new Awaiter(loop, forceYield, cancellationToken);

        /// <summary>The awaiter of <see cref="LoopSwitchAwaitable"/>.</summary>
        public readonly struct Awaiter : ICriticalNotifyCompletion
        {
            private readonly MainLoop loop;
            private readonly bool forceYield;
            private readonly CancellationToken cancellationToken;

            internal Awaiter(MainLoop loop, bool forceYield, CancellationToken cancellationToken)
            {
                this.loop = loop ?? throw new InvalidOperationException("This awaitable is default: get it from MainLoop.SwitchTo() or NextFrame().");
                this.forceYield = forceYield;
                this.cancellationToken = cancellationToken;
            }

            /// <summary>
            /// True when no hop is needed: already on the main thread (SwitchTo), or the loop is not open, or the token
            /// is already cancelled (in the last two cases the await throws at once, on the awaiting thread).
            /// </summary>
            public bool IsCompleted => !loop.IsOpen || cancellationToken.IsCancellationRequested || (!forceYield && loop.IsMainThread);

            /// <summary>Ends the await.</summary>
            /// <exception cref="LoopClosedException">The loop is closing or closed: the code after the await must not run as if on a live main loop (checked first).</exception>
            /// <exception cref="OperationCanceledException">The token given to <c>SwitchTo</c>/<c>NextFrame</c> is cancelled.</exception>
            public void GetResult()
            {
                if (!loop.IsOpen)
                {
                    throw loop.CreateClosedException();
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            /// <summary>Queues <paramref name="continuation"/> to resume on the main thread.</summary>
            /// <param name="continuation">The continuation.</param>
            public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

            /// <summary>Queues <paramref name="continuation"/> to resume on the main thread.</summary>
            /// <param name="continuation">The continuation.</param>
            public void UnsafeOnCompleted(Action continuation)
            {
                if (continuation == null)
                {
                    throw new ArgumentNullException(nameof(continuation));
                }

                loop.EnqueueEntry(SwitchEntry.Rent(continuation, loop.IsMainThread));
            }
        }
    }
}
