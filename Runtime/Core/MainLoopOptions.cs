#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// Settings of a <see cref="MainLoop"/>, read once by its constructor (later changes to this object have no effect).
    /// </summary>
    public sealed class MainLoopOptions
    {
        /// <summary>The default <see cref="CloseGracePeriod"/>: 100 ms.</summary>
        public static readonly TimeSpan DefaultCloseGracePeriod = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// The most queue entries one tick takes; 0 (the default) means no cap. A tick always takes at least one entry,
        /// so a loop with work always makes progress.
        /// </summary>
        public int MaxItemsPerTick { get; set; }

        /// <summary>
        /// The time budget of one tick; <see cref="TimeSpan.Zero"/> (the default) means none. Once spent, the tick starts
        /// no new entry (the one running finishes) and the rest stays queued, in order, for the next tick.
        /// </summary>
        public TimeSpan TickBudget { get; set; }

        /// <summary>
        /// How long a close on the main thread lets already-started async work observe <see cref="MainLoop.Closing"/> and
        /// run its <c>finally</c> blocks on the main thread before its handle is failed. Default 100 ms; zero means none.
        /// </summary>
        public TimeSpan CloseGracePeriod { get; set; } = DefaultCloseGracePeriod;

        /// <summary>
        /// Entries the submission queue holds before it first has to grow (default 1024). Growing allocates, so a loop
        /// that expects bursts can start larger; the queue still grows past it when needed.
        /// </summary>
        public int InitialQueueCapacity { get; set; } = 1024;

        /// <summary>The clock for the budget and the tick statistics; null (the default) means <see cref="LoopClock.System"/>.</summary>
        public LoopClock? Clock { get; set; }

        /// <summary>
        /// Records every pending handle with the call site that submitted it, so <see cref="MainLoop.GetPendingHandles"/>
        /// and <see cref="Testing.LoopAssert.NoPendingHandles"/> can say what was left behind. Costs a stack trace and a
        /// lock per submission: for tests and debugging, not for shipping builds.
        /// </summary>
        public bool TrackHandles { get; set; }

        /// <summary>A name shown in diagnostics (exception messages, <see cref="MainLoop.ToString"/>).</summary>
        public string? Name { get; set; }
    }
}
