#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;

namespace LoopBridge
{
    /// <summary>
    /// The health of one <see cref="MainLoop"/>, live (<see cref="MainLoop.Diagnostics"/>): queue depth and the age of its
    /// oldest entry, items per tick, a submit→run latency histogram, tick time against the budget, pending and running work
    /// with call sites, close history; and stall and hang reports (<see cref="StallDetected"/>).
    /// </summary>
    /// <remarks>
    /// <para><b>Cost.</b> Always on, and paid whether or not anything reads it: each submission stores the loop's tick
    /// number in its queue entry (one plain write, plus one more for the time stamp slot); each entry a tick runs updates
    /// a histogram bucket and a maximum (plain writes on the main thread, no interlocked operation); each tick writes a
    /// few fields and one slot of each history ring. Nothing allocates. <see cref="DetailedTiming"/> adds one clock read
    /// per submission and one per entry run, for the microsecond histogram.</para>
    /// <para><b>Threads.</b> Everything is written on the loop's main thread (the tick) and read from any thread.
    /// <see cref="Read"/> copies it into a snapshot: the per-tick values (depth, items, durations, ages, history) are a
    /// consistent cut taken between two ticks; the histograms and the loop's <see cref="MainLoop.Statistics"/> may run
    /// ahead of it by the tick in progress. Settings may be changed from any thread and apply at once.</para>
    /// <para><b>Reports.</b> A worker blocked on a handle reports itself after <see cref="HangThreshold"/> (it is waiting
    /// anyway: it waits in slices of <see cref="CheckInterval"/> and checks the clock). A loop with queued work that has
    /// not ticked for <see cref="StallThreshold"/> is reported by whichever thread checks first: a blocked waiter (each
    /// slice), a call to <see cref="CheckStalls"/> (the Unity editor glue calls it from <c>EditorApplication.update</c>),
    /// or the optional <see cref="WatchdogInterval"/> timer. Each stall and each blocked call is reported once.</para>
    /// </remarks>
    public sealed partial class LoopDiagnostics
    {
        /// <summary>Ticks of history kept for graphs (<see cref="LoopDiagnosticsSnapshot.DepthHistory"/> and the others).</summary>
        public const int HistoryLength = 120;

        /// <summary>The default <see cref="HangThreshold"/>: 5 s.</summary>
        public static readonly TimeSpan DefaultHangThreshold = TimeSpan.FromSeconds(5);

        /// <summary>The default <see cref="StallThreshold"/>: 5 s.</summary>
        public static readonly TimeSpan DefaultStallThreshold = TimeSpan.FromSeconds(5);

        /// <summary>The default <see cref="CheckInterval"/>: 1 s.</summary>
        public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

        private static readonly TimeSpan MaxSetting = TimeSpan.FromMilliseconds(int.MaxValue);

        private readonly MainLoop loop;
        private readonly LoopClock clock;
        private readonly string name;

        private long hangThresholdTicks = DefaultHangThreshold.Ticks;
        private long stallThresholdTicks = DefaultStallThreshold.Ticks;
        private long checkIntervalTicks = DefaultCheckInterval.Ticks;
        private long watchdogIntervalTicks;
        private int detailedTiming;
        private int hostPaused;

        internal LoopDiagnostics(MainLoop loop, LoopClock clock, string name)
        {
            this.loop = loop;
            this.clock = clock;
            this.name = name;
            var now = clock.NowTicks;
            lastTickStart = now;
            lastTickEnd = now;
            lastSeenCalm = now;
            for (var i = 0; i < tickStartHistory.Length; i++)
            {
                tickStartHistory[i] = now;
            }

            loop.Closing.Register(OnClosing);
            loop.Closed += OnClosed;
        }

        /// <summary>
        /// Raised once per stall or hang (see <see cref="LoopStallKind"/>), on a thread-pool thread (never under a lock of
        /// the loop, never on the blocked thread). With no handler the report is written to standard error. The Unity glue
        /// subscribes and logs it with <c>Debug.LogWarning</c>. A handler that throws is reported to
        /// <see cref="MainLoop.UnhandledException"/>.
        /// </summary>
        public event Action<LoopStallReport>? StallDetected;

        /// <summary>
        /// Raised on the main thread at the end of every tick, after the diagnostics were updated (for example to feed
        /// Profiler counters or a graph). Costs one null check per tick with no handler. A handler that throws is reported
        /// to <see cref="MainLoop.UnhandledException"/>; it must not tick the loop.
        /// </summary>
        public event Action<LoopDiagnostics>? TickCompleted;

        /// <summary>The loop these diagnostics describe.</summary>
        public MainLoop Loop => loop;

        /// <summary>
        /// How long a thread may block in <c>GetResult</c>/<c>Wait</c> on one handle before it reports itself
        /// (<see cref="LoopStallKind.BlockedWaiter"/>); <see cref="TimeSpan.Zero"/> turns the report off. Default 5 s.
        /// Measured with the loop's <see cref="LoopClock"/>. Any thread; applies to waits that begin afterwards.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="int.MaxValue"/> ms.</exception>
        public TimeSpan HangThreshold
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref hangThresholdTicks));
            set => Interlocked.Exchange(ref hangThresholdTicks, Validate(value, nameof(HangThreshold), allowZero: true));
        }

        /// <summary>
        /// How long an open, unpaused loop may go without a tick while work is queued before it is reported
        /// (<see cref="LoopStallKind.LoopNotTicking"/>) and shown as <see cref="LoopActivity.Stalled"/>;
        /// <see cref="TimeSpan.Zero"/> turns the report off (activity then uses <see cref="DefaultStallThreshold"/>). Default 5 s.
        /// Any thread.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="int.MaxValue"/> ms.</exception>
        public TimeSpan StallThreshold
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref stallThresholdTicks));
            set => Interlocked.Exchange(ref stallThresholdTicks, Validate(value, nameof(StallThreshold), allowZero: true));
        }

        /// <summary>
        /// The longest slice a blocked waiter sleeps before it checks the clock (for its own hang report and the loop's
        /// stall). Real time, not the loop's clock. Default 1 s. Any thread; applies to waits that begin afterwards.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Zero or negative, or more than <see cref="int.MaxValue"/> ms.</exception>
        public TimeSpan CheckInterval
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref checkIntervalTicks));
            set => Interlocked.Exchange(ref checkIntervalTicks, Validate(value, nameof(CheckInterval), allowZero: false));
        }

        /// <summary>
        /// When positive, a <see cref="Timer"/> calls <see cref="CheckStalls"/> at this interval (real time) until the loop
        /// closes, so a loop whose main thread is blocked is reported even when no worker waits on it. Zero (the default):
        /// no timer. Any thread. Platforms without threads (WebGL) never fire it.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Negative, or more than <see cref="int.MaxValue"/> ms.</exception>
        public TimeSpan WatchdogInterval
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref watchdogIntervalTicks));
            set
            {
                var ticks = Validate(value, nameof(WatchdogInterval), allowZero: true);
                Interlocked.Exchange(ref watchdogIntervalTicks, ticks);
                UpdateWatchdog(ticks);
            }
        }

        /// <summary>
        /// Also measure latency in microseconds (<see cref="LoopDiagnosticsSnapshot.LatencyMicrosecondCounts"/>) and the
        /// oldest entry's age exactly: costs one clock read per submission and one per entry run. Off by default (then the
        /// age in time is measured from the start of the tick the entry was queued in). The monitor window turns it on
        /// while it is open. Any thread; entries queued before it was turned on are not timed.
        /// </summary>
        public bool DetailedTiming
        {
            get => Volatile.Read(ref detailedTiming) != 0;
            set => Volatile.Write(ref detailedTiming, value ? 1 : 0);
        }

        /// <summary>
        /// Set by the loop's host while it deliberately does not tick the loop (the Unity editor glue sets it while play mode
        /// is paused): the loop is then <see cref="LoopActivity.Paused"/>, not stalled, and no stall is reported. Any thread.
        /// </summary>
        public bool IsHostPaused
        {
            get => Volatile.Read(ref hostPaused) != 0;
            set => Volatile.Write(ref hostPaused, value ? 1 : 0);
        }

        /// <summary>Ticks the loop has started (the number a submission stores as its stamp). Any thread.</summary>
        public long CurrentTick => Volatile.Read(ref tickCount);

        /// <summary>Entries queued now (<see cref="MainLoop.QueueDepth"/>). Any thread.</summary>
        public int QueueDepth => loop.QueueDepth;

        /// <summary>Entries the last finished tick ran. Any thread.</summary>
        public int ItemsLastTick => Volatile.Read(ref itemsLastTick);

        /// <summary>
        /// Ticks the oldest queued entry has waited (0 with an empty queue): the loop's tick number now minus the one at its
        /// submission, bounded from the last tick's progress (exact to one tick; no queue walk). Any thread.
        /// </summary>
        public long OldestQueuedAgeTicks => loop.QueueDepth == 0 ? 0 : Math.Max(0, Volatile.Read(ref tickCount) - Volatile.Read(ref oldestTick));

        /// <summary>
        /// How long the oldest queued entry has waited (zero with an empty queue), by the loop's clock: exact with
        /// <see cref="DetailedTiming"/>, otherwise measured from the start of the tick it was queued in (an upper bound). Any thread.
        /// </summary>
        public TimeSpan OldestQueuedAge => loop.QueueDepth == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, clock.NowTicks - Volatile.Read(ref oldestTime)));

        /// <summary>Ticking, paused, stalled or closed, now. Any thread.</summary>
        public LoopActivity Activity => ActivityAt(clock.NowTicks);

        /// <summary>How this loop closed, or null while it has not finished closing. Any thread.</summary>
        public LoopCloseRecord? LastClose => Volatile.Read(ref lastClose);

        /// <summary>The most recent stall or hang report of this loop, or null. Any thread.</summary>
        public LoopStallReport? LastReport => Volatile.Read(ref lastReport);

        /// <summary>Stall and hang reports made by this loop so far. Any thread.</summary>
        public int ReportCount => Volatile.Read(ref reportCount);

        /// <summary>
        /// The last closes of all loops in this process (or Unity domain), oldest first, at most 16: survives the loops
        /// themselves, so the monitor can show how the previous play session ended. Any thread; a new array each call.
        /// </summary>
        /// <returns>The records.</returns>
        public static LoopCloseRecord[] GetRecentCloses()
        {
            lock (RecentCloses)
            {
                return RecentCloses.ToArray();
            }
        }

        /// <summary>
        /// The queued and running work that has a handle, with its call site (needs <see cref="MainLoopOptions.TrackHandles"/>;
        /// without it, the list stays empty). Any thread; takes the loop's tracking lock briefly, allocates the entries.
        /// </summary>
        /// <param name="into">Cleared, then filled.</param>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        public void GetPendingWork(List<LoopPendingWork> into)
        {
            if (into == null)
            {
                throw new ArgumentNullException(nameof(into));
            }

            into.Clear();
            loop.CollectPendingWork(into, Volatile.Read(ref tickCount));
        }

        /// <summary>Copies the current diagnostics into <paramref name="into"/>, allocating nothing. Any thread.</summary>
        /// <param name="into">A snapshot to overwrite (reuse one per reader).</param>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        public void Read(LoopDiagnosticsSnapshot into)
        {
            if (into == null)
            {
                throw new ArgumentNullException(nameof(into));
            }

            Fill(into);
        }

        /// <summary>A new snapshot of the current diagnostics (allocates it; see <see cref="Read"/> to reuse one). Any thread.</summary>
        /// <returns>The snapshot.</returns>
        public LoopDiagnosticsSnapshot GetSnapshot()
        {
            var snapshot = new LoopDiagnosticsSnapshot();
            Fill(snapshot);
            return snapshot;
        }

        /// <inheritdoc />
        public override string ToString() =>
            $"{name}: {Activity}, depth {QueueDepth}, oldest {OldestQueuedAgeTicks} tick(s), {ItemsLastTick} item(s) last tick";

        private static long Validate(TimeSpan value, string what, bool allowZero)
        {
            if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > MaxSetting)
            {
                throw new ArgumentOutOfRangeException(what, value,
                    $"{what} must be {(allowZero ? "zero (off) or positive" : "positive")} and at most int.MaxValue ms.");
            }

            return value.Ticks;
        }
    }
}
