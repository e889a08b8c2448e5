#nullable enable
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The <see cref="SynchronizationContext"/> a loop installs while it runs user code, so that a plain <c>await</c>
    /// (of a Task, or of a LoopHandle) inside main-thread work resumes through this loop, on its main thread.
    /// </summary>
    internal sealed class LoopSynchronizationContext : SynchronizationContext
    {
        private readonly MainLoop loop;

        internal LoopSynchronizationContext(MainLoop loop)
        {
            this.loop = loop;
        }

        /// <inheritdoc />
        public override void Post(SendOrPostCallback d, object? state) => loop.PostContinuation(d, state);

        /// <inheritdoc />
        public override void Send(SendOrPostCallback d, object? state)
        {
            if (loop.IsMainThread)
            {
                d(state);
                return;
            }

            // Blocks this worker until the main thread ran it; a close wakes it with LoopClosedException.
            loop.Run((d, state), static pair => pair.d(pair.state)).GetResult();
        }

        /// <inheritdoc />
        public override SynchronizationContext CreateCopy() => this;
    }
}
