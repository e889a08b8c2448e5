#nullable enable
using System;
using System.Runtime.CompilerServices;
using LoopBridge.Internal;

namespace LoopBridge
{
    /// <summary>
    /// What <see cref="MainLoop.SwitchTo"/> and <see cref="MainLoop.NextFrame"/> return: <c>await</c> it to continue on
    /// the loop's main thread. If the loop is closed, or closes before resuming, the await throws
    /// <see cref="LoopClosedException"/>. Pooled: awaiting allocates nothing in steady state.
    /// </summary>
    public readonly struct LoopSwitchAwaitable
    {
        private readonly MainLoop loop;
        private readonly bool forceYield;

        internal LoopSwitchAwaitable(MainLoop loop, bool forceYield)
        {
            this.loop = loop;
            this.forceYield = forceYield;
        }

        /// <summary>Lets <c>await</c> work.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new Awaiter(loop, forceYield);

        /// <summary>The awaiter of <see cref="LoopSwitchAwaitable"/>.</summary>
        public readonly struct Awaiter : ICriticalNotifyCompletion
        {
            private readonly MainLoop loop;
            private readonly bool forceYield;

            internal Awaiter(MainLoop loop, bool forceYield)
            {
                this.loop = loop ?? throw new InvalidOperationException("This awaitable is default: get it from MainLoop.SwitchTo() or NextFrame().");
                this.forceYield = forceYield;
            }

            /// <summary>True when no hop is needed: already on the main thread (SwitchTo), or the loop is not open (the await throws at once).</summary>
            public bool IsCompleted => !loop.IsOpen || (!forceYield && loop.IsMainThread);

            /// <summary>Ends the await.</summary>
            /// <exception cref="LoopClosedException">The loop is closing or closed: the code after the await must not run as if on a live main loop.</exception>
            public void GetResult()
            {
                if (!loop.IsOpen)
                {
                    throw loop.CreateClosedException();
                }
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

                loop.EnqueueEntry(SwitchEntry.Rent(continuation));
            }
        }
    }
}
