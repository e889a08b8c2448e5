#nullable enable
namespace LoopBridge.Internal
{
    /// <summary>Where a completion continuation must run, decided when it is registered.</summary>
    internal enum ContinuationTarget : byte
    {
        /// <summary>The loop's main thread: registered there, or a completion callback (always main thread).</summary>
        MainThread = 0,

        /// <summary>A foreign <see cref="System.Threading.SynchronizationContext"/> captured at registration.</summary>
        Context = 1,

        /// <summary>A worker with no context: resume on the thread pool, never inline on the main thread.</summary>
        ThreadPool = 2,
    }
}
