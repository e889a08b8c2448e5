#nullable enable
namespace LoopBridge
{
    /// <summary>
    /// What the platform the code runs on offers the loop. Read-only, any thread.
    /// </summary>
    /// <remarks>
    /// Unity's WebGL player has no threads: no thread pool, no <c>Task.Run</c>, no timers firing on other threads.
    /// The loop itself needs none (everything it does runs on the main thread during a tick), but a few features
    /// would: <see cref="MainLoop.Offload{T}"/> and resuming an await registered off the main thread. A loop made
    /// with <see cref="MainLoopOptions.SupportsThreads"/> false (the default where <see cref="SupportsThreads"/> is
    /// false) refuses the first with <see cref="System.PlatformNotSupportedException"/> and never uses a thread for
    /// anything else.
    /// </remarks>
    public static class LoopPlatform
    {
        /// <summary>
        /// Whether this platform has threads besides the main thread: false in Unity's WebGL player
        /// (<c>UNITY_WEBGL &amp;&amp; !UNITY_EDITOR</c>), true everywhere else (the editor, other players, headless .NET).
        /// It is the default of <see cref="MainLoopOptions.SupportsThreads"/>.
        /// </summary>
        public static bool SupportsThreads =>
#if UNITY_WEBGL && !UNITY_EDITOR
            false;
#else
            true;
#endif
    }
}
