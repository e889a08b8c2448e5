#nullable enable
using System;
using System.Collections.Concurrent;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;

namespace LoopBridge
{
    /// <summary>
    /// A main-loop scheduler: any thread submits work, the main thread runs it once per frame in <see cref="Tick"/>,
    /// and every submission returns a handle to await, block on, attach a callback to, or cancel.
    /// </summary>
    /// <remarks>
    /// <para><b>Threads.</b> The loop is bound to one main thread: the thread that created it, or the one that called
    /// <see cref="BindToCurrentThread"/>. Submission (<c>Run</c>, <c>RunAsync</c>, <c>Post</c>, <c>SwitchTo</c>),
    /// <see cref="Close"/>, <see cref="Dispose"/> and every property are safe from any thread and lock-free on the
    /// submission path. <see cref="Tick"/> is for the main thread only.</para>
    /// <para><b>Order.</b> Entries run in submission order per producer. A tick drains a snapshot: what is submitted
    /// during a tick runs on a later tick, so work that resubmits itself cannot starve a frame.</para>
    /// <para><b>Close.</b> Closing is one state transition read by every path, and it is final. See
    /// <see cref="Close"/> for what happens to outstanding work and on which thread; in short every handle completes
    /// exactly once, none is left pending, and code that must run on the main thread never runs anywhere else.</para>
    /// <para><b>Where things live.</b> This file holds the loop's state and properties; <c>MainLoop.Tick.cs</c> the
    /// tick and its gate, <c>MainLoop.Close.cs</c> the close, <c>MainLoop.Submit.cs</c> submission and
    /// continuations, <c>MainLoop.Running.cs</c> the registry of started async work, <c>MainLoop.Tracking.cs</c>
    /// the pending-handle diagnostics.</para>
    /// </remarks>
    public sealed partial class MainLoop : IDisposable
    {
        // stateWord holds the LoopState in its low bits and the CloseReason above them, so one atomic read tells a
        // racing producer both that the loop closed and why (the reason is never seen half-written).
        private const int StateMask = 0xF;
        private const int ReasonShift = 4;

        /// <summary>The submission queue: work items, continuations, deliveries and tick markers. Any thread enqueues; the main thread (or a close) dequeues.</summary>
        private readonly ConcurrentQueue<QueueEntry> queue;

        /// <summary>Cancelled once, by the close (<see cref="Closing"/>).</summary>
        private readonly CancellationTokenSource closingSource = new CancellationTokenSource();

        private readonly LoopSynchronizationContext syncContext;
        private readonly UniTaskCompletionSource whenClosed = new UniTaskCompletionSource();
        private readonly LoopClock clock;

        /// <summary>The grace period in clock ticks (0: none; long.MaxValue: until the work ends). Written by the constructor only.</summary>
        private readonly long closeGraceTicks;

        private readonly string name;

        /// <summary>See <see cref="SupportsThreads"/>; from the options, fixed for the loop's life.</summary>
        private readonly bool supportsThreads;

        /// <summary>Written by the <see cref="MaxItemsPerTick"/> setter (any thread), read at the start of each tick.</summary>
        private int maxItemsPerTick;

        /// <summary>Written by the <see cref="TickBudget"/> setter (any thread), read at the start of each tick.</summary>
        private long tickBudgetTicks;

        /// <summary>
        /// Open (0), or the <see cref="LoopState"/> Closing/Closed with the <see cref="CloseReason"/> shifted above it.
        /// Open to Closing by one compare-and-swap in <see cref="Close"/> (the winner closes); Closing to Closed by the
        /// one thread that finishes the close. Never goes back.
        /// </summary>
        private int stateWord;

        /// <summary>The main thread's managed id. Written by the constructor and by <see cref="BindToCurrentThread"/> (which holds the tick gate meanwhile).</summary>
        private int mainThreadId;

        /// <summary>Tick markers still in the queue (so <see cref="QueueDepth"/> does not count them).</summary>
        private int markersQueued;

        /// <summary>Number of the latest tick that enqueued a marker. Main thread only.</summary>
        private long tickNumber;

        private readonly LoopCounters counters = new LoopCounters();

        /// <summary>Creates an open loop bound to the calling thread.</summary>
        /// <param name="options">Budget, grace period, clock and diagnostics; null for the defaults. Read once, here.</param>
        /// <exception cref="ArgumentOutOfRangeException">A negative <see cref="MainLoopOptions.InitialQueueCapacity"/> (the other options are checked by their setters).</exception>
        public MainLoop(MainLoopOptions? options = null)
        {
            options ??= new MainLoopOptions();
            if (options.InitialQueueCapacity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.InitialQueueCapacity, "InitialQueueCapacity must not be negative.");
            }

            queue = CreateQueue(options.InitialQueueCapacity);
            maxItemsPerTick = options.MaxItemsPerTick;
            tickBudgetTicks = options.TickBudget.Ticks;
            closeGraceTicks = options.CloseGracePeriod.Ticks;
            clock = options.Clock ?? LoopClock.System;
            name = options.Name ?? "MainLoop";
            supportsThreads = options.SupportsThreads;
            tracked = options.TrackHandles ? new System.Collections.Generic.HashSet<LoopWorkItem>() : null;
            syncContext = new LoopSynchronizationContext(this);
            diagnostics = new LoopDiagnostics(this, clock, name);
            mainThreadId = Environment.CurrentManagedThreadId;
        }

        /// <summary>
        /// A queue whose first segment already holds <paramref name="capacity"/> entries. A ConcurrentQueue grows by
        /// allocating a new segment whenever its current one fills; a fresh loop would otherwise pay those allocations
        /// during its first busy frames. The constructor that takes a collection sizes the first segment to it (on
        /// .NET Core; elsewhere it is just a normal queue), and draining it leaves that segment in place for reuse.
        /// </summary>
        private static ConcurrentQueue<QueueEntry> CreateQueue(int capacity)
        {
            if (capacity <= 32)
            {
                return new ConcurrentQueue<QueueEntry>();
            }

            var placeholder = new TickMarker();
            var fill = new QueueEntry[capacity];
            for (var i = 0; i < fill.Length; i++)
            {
                fill[i] = placeholder;
            }

            var created = new ConcurrentQueue<QueueEntry>(fill);
            while (created.TryDequeue(out _))
            {
            }

            return created;
        }

        /// <summary>
        /// Raised with the exception of fire-and-forget work (<see cref="Post(Action)"/>), of a completion callback, or of a
        /// continuation the loop ran, none of which has a handle to carry it; and with an
        /// <see cref="InvalidOperationException"/> for code that the close could not run on the main thread (async work
        /// still running when the grace period ended, a continuation or callback that arrived too late). With no
        /// handler, the exception is written to standard error. A handler that throws does not break the loop: both
        /// exceptions go to standard error.
        /// </summary>
        /// <remarks>Raised on the thread where the failure happened (the main thread for work and callbacks).</remarks>
        public event Action<Exception>? UnhandledException;

        /// <summary>
        /// Raised once, when the close has finished and every handle of this loop has completed. Raised on the thread
        /// that finished the close: the main thread, unless the loop was closed from another thread while its main
        /// thread did not tick (see <see cref="Close"/>). A handler subscribed after that is not called; use
        /// <see cref="WhenClosed"/> to wait without a race.
        /// </summary>
        public event Action<MainLoop, CloseReason>? Closed;

        /// <summary>The loop's main thread's managed thread id. Any thread.</summary>
        public int MainThreadId => Volatile.Read(ref mainThreadId);

        /// <summary>True on the loop's main thread. A cheap check (one comparison); any thread.</summary>
        public bool IsMainThread => Environment.CurrentManagedThreadId == Volatile.Read(ref mainThreadId);

        /// <summary>The current life stage. Any thread.</summary>
        public LoopState State => (LoopState)(Volatile.Read(ref stateWord) & StateMask);

        /// <summary>True while the loop accepts submissions. Any thread.</summary>
        public bool IsOpen => Volatile.Read(ref stateWord) == 0;

        /// <summary>
        /// Why the loop closed (or is closing), or null while it is open. The first <see cref="Close"/> call's reason
        /// wins. Any thread.
        /// </summary>
        public CloseReason? ClosedBecause
        {
            get
            {
                var word = Volatile.Read(ref stateWord);
                return word == 0 ? null : (CloseReason?)(CloseReason)(word >> ReasonShift);
            }
        }

        /// <summary>
        /// Cancelled when the loop starts closing. Async work receives a token linked to it; worker loops can watch it
        /// to stop. Any thread.
        /// </summary>
        public CancellationToken Closing => closingSource.Token;

        /// <summary>Completes (successfully) when the close has finished; see <see cref="Closed"/>. Any thread; may be awaited many times.</summary>
        public UniTask WhenClosed => whenClosed.Task;

        /// <summary>Entries waiting in the queue now (work, continuations, callbacks). Any thread; a moment's value.</summary>
        public int QueueDepth => queue.IsEmpty ? 0 : Math.Max(0, queue.Count - Volatile.Read(ref markersQueued));

        /// <summary>
        /// A snapshot of the loop's counters. Any thread, lock-free. See <see cref="MainLoopStatistics"/> for what is
        /// read together: the main thread's counters come from one instant, so they always add up (for example
        /// <see cref="MainLoopStatistics.ItemsRun"/> is never below the handles that completed by running).
        /// </summary>
        public MainLoopStatistics Statistics => counters.Snapshot(QueueDepth, RunningCount);

        /// <summary>
        /// The most queue entries one tick takes (0: no cap); starts as <see cref="MainLoopOptions.MaxItemsPerTick"/>.
        /// Any thread; a change applies from the next tick (for example to tune <c>UnityMainLoop.Main</c>).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public int MaxItemsPerTick
        {
            get => Volatile.Read(ref maxItemsPerTick);
            set => Volatile.Write(ref maxItemsPerTick, MainLoopOptions.CheckItemCap(value, nameof(value)));
        }

        /// <summary>
        /// The time budget of one tick (<see cref="TimeSpan.Zero"/>: none); starts as <see cref="MainLoopOptions.TickBudget"/>.
        /// Honoured exactly up to <see cref="TimeSpan.MaxValue"/>. Any thread; a change applies from the next tick.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public TimeSpan TickBudget
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref tickBudgetTicks));
            set => Interlocked.Exchange(ref tickBudgetTicks, MainLoopOptions.CheckDuration(value, nameof(TickBudget), nameof(value)).Ticks);
        }

        internal SynchronizationContext SyncContext => syncContext;

        /// <inheritdoc />
        public override string ToString() => $"{name} ({State})";

        /// <summary>Counts a completed handle (and forgets it, when tracking). Any thread.</summary>
        internal void OnItemCompleted(LoopWorkItem item, UniTaskStatus status, bool byClose)
        {
            counters.CountCompletion(status, byClose, IsMainThread);
            if (tracked != null)
            {
                Untrack(item);
            }
        }

        /// <summary>Hands an exception that has no handle to <see cref="UnhandledException"/> (or standard error). Never throws.</summary>
        internal void ReportUnhandled(Exception exception)
        {
            var handlers = UnhandledException;
            if (handlers == null)
            {
                WriteToStandardError($"[LoopBridge] {name}: unhandled (no UnhandledException handler): {exception}");
                return;
            }

            foreach (var d in handlers.GetInvocationList())
            {
                try
                {
                    ((Action<Exception>)d)(exception);
                }
                catch (Exception handlerError)
                {
                    WriteToStandardError($"[LoopBridge] {name}: the UnhandledException handler threw {handlerError}{Environment.NewLine}while reporting: {exception}");
                }
            }
        }

        private static void WriteToStandardError(string text)
        {
            try
            {
                Console.Error.WriteLine(text);
            }
            catch (Exception)
            {
                // Standard error itself is gone (a closed console): there is nowhere left to report to.
            }
        }

        /// <summary>The exception for work failed by the close (the loop must not be open).</summary>
        internal LoopClosedException CreateClosedException()
        {
            var word = Volatile.Read(ref stateWord);
            return new LoopClosedException((CloseReason)(word >> ReasonShift), closingSource.Token);
        }

        /// <summary>The exception for started work that ended with <paramref name="cause"/> because the loop closed.</summary>
        internal LoopClosedException CreateClosedException(Exception cause)
        {
            var word = Volatile.Read(ref stateWord);
            return new LoopClosedException((CloseReason)(word >> ReasonShift), closingSource.Token, cause);
        }

        /// <summary>Reads the clock; a clock that throws is reported and read as "the end of time" (so no wait depends on it).</summary>
        private bool TryReadClock(out long now)
        {
            try
            {
                now = clock.NowTicks;
                return true;
            }
            catch (Exception ex)
            {
                ReportUnhandled(ex);
                now = long.MaxValue;
                return false;
            }
        }

        /// <summary><paramref name="start"/> + <paramref name="span"/> (span not negative), saturating at long.MaxValue ("never").</summary>
        private static long SaturatingAdd(long start, long span) => start > long.MaxValue - span ? long.MaxValue : start + span;
    }
}
