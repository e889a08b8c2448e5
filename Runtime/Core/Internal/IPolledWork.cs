#nullable enable
namespace LoopBridge.Internal
{
    /// <summary>
    /// One pending <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, System.Threading.CancellationToken)"/> handle,
    /// as the loop's <see cref="CompletionPoller"/> sees it (the items are generic over the pollable and result types;
    /// the poller keeps them in one list).
    /// </summary>
    /// <remarks>
    /// The poller owns an item from <see cref="CompletionPoller.TryAdd"/> until it calls exactly one of
    /// <see cref="Poll"/> (returning true) or <see cref="FailClosed"/>; each of those completes the handle.
    /// </remarks>
    internal interface IPolledWork
    {
        /// <summary>
        /// Main thread, loop open. Cancelled, or the pollable reports completed: calls <c>Complete()</c>, completes the
        /// handle (cancelled, faulted, or with the value read on the main thread) and returns true. Otherwise returns
        /// false and the item stays for the next pass. Never throws.
        /// </summary>
        bool Poll();

        /// <summary>Close, main thread: calls the pollable's <c>Complete()</c> (its exception is reported). Never throws.</summary>
        void CompleteForClose();

        /// <summary>Close: fails the handle with <paramref name="exception"/>. Any thread. Never throws.</summary>
        void FailClosed(LoopClosedException exception);
    }
}
