#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>
    /// Settings of a <see cref="MainLoop"/>, read once by its constructor (later changes to this object have no effect).
    /// Each setter checks its value, so a bad setting fails where it is written.
    /// </summary>
    /// <remarks>
    /// Durations are honoured exactly up to <see cref="TimeSpan.MaxValue"/> (which means "no limit" in practice); a
    /// negative duration is rejected with <see cref="ArgumentOutOfRangeException"/>. Not thread-safe: fill it on one
    /// thread, then hand it to the loop.
    /// </remarks>
    public sealed class MainLoopOptions
    {
        /// <summary>The default <see cref="CloseGracePeriod"/>: 100 ms.</summary>
        public static readonly TimeSpan DefaultCloseGracePeriod = TimeSpan.FromMilliseconds(100);

        private int maxItemsPerTick;
        private TimeSpan tickBudget;
        private TimeSpan closeGracePeriod = DefaultCloseGracePeriod;
        private int initialQueueCapacity = 1024;
        private bool supportsThreads = LoopPlatform.SupportsThreads;

        /// <summary>
        /// The most queue entries one tick takes; 0 (the default) means no cap. A tick always takes at least one entry,
        /// so a loop with work always makes progress.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public int MaxItemsPerTick
        {
            get => maxItemsPerTick;
            set => maxItemsPerTick = CheckItemCap(value, nameof(value));
        }

        /// <summary>
        /// The time budget of one tick, measured with <see cref="Clock"/>; <see cref="TimeSpan.Zero"/> (the default)
        /// means none. Once spent, the tick starts no new entry (the one running finishes) and the rest stays queued,
        /// in order, for the next tick. Any value from zero to <see cref="TimeSpan.MaxValue"/> is honoured as given.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value (the range is <see cref="TimeSpan.Zero"/> to <see cref="TimeSpan.MaxValue"/>).</exception>
        public TimeSpan TickBudget
        {
            get => tickBudget;
            set => tickBudget = CheckDuration(value, nameof(TickBudget), nameof(value));
        }

        /// <summary>
        /// How long a close lets already-started async work observe <see cref="MainLoop.Closing"/> and run its
        /// <c>catch</c>/<c>finally</c> blocks on the main thread before its handle is failed, measured with
        /// <see cref="Clock"/> (with a <see cref="ManualClock"/>, the grace period ends when the clock is advanced past
        /// it). Default 100 ms; zero means none; <see cref="TimeSpan.MaxValue"/> means until the work ends. A close
        /// started on another thread waits this long for the main thread to tick (see <see cref="MainLoop.Close"/>).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value (the range is <see cref="TimeSpan.Zero"/> to <see cref="TimeSpan.MaxValue"/>).</exception>
        public TimeSpan CloseGracePeriod
        {
            get => closeGracePeriod;
            set => closeGracePeriod = CheckDuration(value, nameof(CloseGracePeriod), nameof(value));
        }

        /// <summary>
        /// Entries the submission queue holds before it first has to grow (default 1024). Growing allocates, so a loop
        /// that expects bursts can start larger; the queue still grows past it when needed.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public int InitialQueueCapacity
        {
            get => initialQueueCapacity;
            set => initialQueueCapacity = value >= 0
                ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "InitialQueueCapacity must be 0 or more.");
        }

        /// <summary>The clock for the budget, the grace period and the tick statistics; null (the default) means <see cref="LoopClock.System"/>.</summary>
        public LoopClock? Clock { get; set; }

        /// <summary>
        /// Records every pending handle with the call site that submitted it, so <see cref="MainLoop.GetPendingHandles"/>
        /// and <see cref="Testing.LoopAssert.NoPendingHandles"/> can say what was left behind, and a close names the
        /// async work it had to fail. Costs a stack trace and a lock per submission: for tests and debugging, not for
        /// shipping builds.
        /// </summary>
        public bool TrackHandles { get; set; }

        /// <summary>
        /// Whether the loop may use threads other than its main thread; default <see cref="LoopPlatform.SupportsThreads"/>
        /// (false only in Unity's WebGL player). With false, <see cref="MainLoop.Offload{T}"/> throws
        /// <see cref="PlatformNotSupportedException"/> at once, and the loop never touches the thread pool: cancellation
        /// of running work is delivered by the next tick in every mode. Set it to false on a threaded platform to
        /// find, in the editor or in tests, code that would fail on WebGL.
        /// </summary>
        /// <exception cref="PlatformNotSupportedException">Set to true where <see cref="LoopPlatform.SupportsThreads"/> is false.</exception>
        public bool SupportsThreads
        {
            get => supportsThreads;
            set => supportsThreads = !value || LoopPlatform.SupportsThreads
                ? value
                : throw new PlatformNotSupportedException("MainLoopOptions.SupportsThreads cannot be true: this platform (Unity's WebGL player) has no threads.");
        }

        /// <summary>A name shown in diagnostics (exception messages, <see cref="MainLoop.ToString"/>).</summary>
        public string? Name { get; set; }

        /// <summary>Returns <paramref name="value"/> if it is 0 or more, else throws.</summary>
        internal static int CheckItemCap(int value, string parameter) => value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(parameter, value, "MaxItemsPerTick must be 0 (no cap) or more.");

        /// <summary>Returns <paramref name="value"/> if it lies in [<see cref="TimeSpan.Zero"/>, <see cref="TimeSpan.MaxValue"/>], else throws.</summary>
        internal static TimeSpan CheckDuration(TimeSpan value, string option, string parameter) => value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(parameter, value,
                $"{option} must lie between TimeSpan.Zero (none) and TimeSpan.MaxValue ({TimeSpan.MaxValue}); a negative duration is not allowed.");
    }
}
