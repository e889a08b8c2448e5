namespace LoopBridge
{
    /// <summary>
    /// Something that finishes on its own (a Unity <c>JobHandle</c>, a GPU readback, a native request) and must then be
    /// completed on the main thread: what <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, System.Threading.CancellationToken)"/>
    /// watches. The engine adapter implements it, usually as a struct (the loop stores it without boxing).
    /// </summary>
    /// <remarks>
    /// <para><b>Threads.</b> The loop calls both members on its main thread only: <see cref="IsCompleted"/> once per
    /// tick while the handle is pending, and <see cref="Complete"/> exactly once, before the handle completes.</para>
    /// <para><b>Exceptions.</b> An exception from either member completes the handle with it (Faulted), after
    /// <see cref="Complete"/> was tried; it never escapes the tick.</para>
    /// </remarks>
    public interface IMainThreadPollable
    {
        /// <summary>Whether the work has finished, so <see cref="Complete"/> will not block. Main thread; cheap.</summary>
        bool IsCompleted { get; }

        /// <summary>
        /// Finishes the work on the main thread (for a <c>JobHandle</c>: <c>Complete()</c>, which waits for the job if it
        /// is still running and hands its native containers back to the main thread). Called exactly once.
        /// </summary>
        void Complete();
    }
}
