#nullable enable
using System;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>
        /// Whether this loop may use threads other than its main thread (<see cref="MainLoopOptions.SupportsThreads"/>,
        /// default <see cref="LoopPlatform.SupportsThreads"/>). When false, <see cref="Offload{T}"/> throws
        /// <see cref="PlatformNotSupportedException"/>, and nothing the loop does touches the thread pool. Any thread.
        /// </summary>
        public bool SupportsThreads => supportsThreads;

        /// <summary>Fails an operation that needs a thread on a loop without threads.</summary>
        private PlatformNotSupportedException NoThreads(string operation) => new PlatformNotSupportedException(
            $"{name}.{operation} needs a thread other than the main thread, and this loop has none (MainLoop.SupportsThreads is false: "
            + "Unity's WebGL player has no threads, or MainLoopOptions.SupportsThreads was set to false). Run the work on the main "
            + "thread instead: split it into slices with RunAsync and `await loop.NextFrame()` between them, so each frame does a part.");
    }
}
