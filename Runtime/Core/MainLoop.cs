using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// <see cref="Close"/> for what happens to outstanding work; in short every handle completes exactly once and none
    /// is left pending.</para>
    /// </remarks>
    public sealed partial class MainLoop : IDisposable
    {
        // stateWord holds the LoopState in its low bits and the CloseReason above them, so one atomic read tells a
        // racing producer both that the loop closed and why (the reason is never seen half-written).
        private const int StateMask = 0xF;
        private const int ReasonShift = 4;

        private readonly ConcurrentQueue<QueueEntry> queue;
        private readonly CancellationTokenSource closingSource = new CancellationTokenSource();
        private readonly LoopSynchronizationContext syncContext;
        private readonly UniTaskCompletionSource whenClosed = new UniTaskCompletionSource();
        private readonly LoopClock clock;
        private int maxItemsPerTick;
        private long tickBudgetTicks;
        private readonly TimeSpan closeGracePeriod;
        private readonly string name;

        // Registry of started async work (what close waits for, then fails). Guarded by registryGate; the lock
        // never covers user code.
        private readonly object registryGate = new object();
        private LoopWorkItem? runningHead;
        private int runningCount;
        private bool registryClosed;

        // Pending handles with call sites (MainLoopOptions.TrackHandles only). Guarded by itself.
        private readonly HashSet<LoopWorkItem>? tracked;

        private int stateWord;
        private int mainThreadId;
        private bool ticking;
        private long tickNumber;
        private int markersQueued;
        private bool finishCloseAfterTick;
        private ManualResetEventSlim? closeSignal;

        private readonly LoopCounters counters = new LoopCounters();

        /// <summary>Creates an open loop bound to the calling thread.</summary>
        /// <param name="options">Budget, grace period, clock and diagnostics; null for the defaults.</param>
        /// <exception cref="ArgumentOutOfRangeException">A negative <see cref="MainLoopOptions.MaxItemsPerTick"/>, <see cref="MainLoopOptions.TickBudget"/> or <see cref="MainLoopOptions.CloseGracePeriod"/>.</exception>
        public MainLoop(MainLoopOptions? options = null)
        {
            options ??= new MainLoopOptions();
            if (options.MaxItemsPerTick < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxItemsPerTick, "MaxItemsPerTick must be 0 (no cap) or positive.");
            }

            if (options.TickBudget < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.TickBudget, "TickBudget must be zero (none) or positive.");
            }

            if (options.CloseGracePeriod < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.CloseGracePeriod, "CloseGracePeriod must be zero or positive.");
            }

            if (options.InitialQueueCapacity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.InitialQueueCapacity, "InitialQueueCapacity must not be negative.");
            }

            queue = CreateQueue(options.InitialQueueCapacity);
            maxItemsPerTick = options.MaxItemsPerTick;
            tickBudgetTicks = options.TickBudget.Ticks;
            closeGracePeriod = options.CloseGracePeriod;
            clock = options.Clock ?? LoopClock.System;
            name = options.Name ?? "MainLoop";
            tracked = options.TrackHandles ? new HashSet<LoopWorkItem>() : null;
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
        /// continuation the loop ran, none of which has a handle to carry it. With no handler, the exception is written
        /// to standard error. A handler that throws does not break the loop: both exceptions go to standard error.
        /// </summary>
        /// <remarks>Raised on the thread where the failure happened (the main thread for work and callbacks).</remarks>
        public event Action<Exception>? UnhandledException;

        /// <summary>
        /// Raised once, when the close has finished and every handle of this loop has completed. Raised on the thread
        /// that finished the close (the main thread when closed there). A handler subscribed after that is not called;
        /// use <see cref="WhenClosed"/> to wait without a race.
        /// </summary>
        public event Action<MainLoop, CloseReason>? Closed;

        /// <summary>The loop's main thread's managed thread id.</summary>
        public int MainThreadId => Volatile.Read(ref mainThreadId);

        /// <summary>True on the loop's main thread. A cheap check (one comparison); any thread.</summary>
        public bool IsMainThread => Environment.CurrentManagedThreadId == Volatile.Read(ref mainThreadId);

        /// <summary>The current life stage. Any thread.</summary>
        public LoopState State => (LoopState)(Volatile.Read(ref stateWord) & StateMask);

        /// <summary>True while the loop accepts submissions. Any thread.</summary>
        public bool IsOpen => Volatile.Read(ref stateWord) == 0;

        /// <summary>Why the loop closed, or null while it is open. The first <see cref="Close"/> call's reason wins.</summary>
        public CloseReason? CloseReason
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

        /// <summary>A snapshot of the loop's counters. Any thread.</summary>
        public MainLoopStatistics Statistics => new MainLoopStatistics(
            Interlocked.Read(ref counters.Ticks), Interlocked.Read(ref counters.ItemsRun), counters.Succeeded, Interlocked.Read(ref counters.Faulted),
            Interlocked.Read(ref counters.Canceled), Interlocked.Read(ref counters.FailedByClose), Interlocked.Read(ref counters.DroppedContinuations),
            QueueDepth, Volatile.Read(ref runningCount),
            TimeSpan.FromTicks(Interlocked.Read(ref counters.LastTickTicks)), TimeSpan.FromTicks(Interlocked.Read(ref counters.LongestTickTicks)));

        /// <summary>
        /// The most queue entries one tick takes (0: no cap); starts as <see cref="MainLoopOptions.MaxItemsPerTick"/>.
        /// Any thread; a change applies from the next tick (for example to tune <c>UnityMainLoop.Main</c>).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public int MaxItemsPerTick
        {
            get => Volatile.Read(ref maxItemsPerTick);
            set
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "MaxItemsPerTick must be 0 (no cap) or positive.");
                }

                Volatile.Write(ref maxItemsPerTick, value);
            }
        }

        /// <summary>
        /// The time budget of one tick (<see cref="TimeSpan.Zero"/>: none); starts as <see cref="MainLoopOptions.TickBudget"/>.
        /// Any thread; a change applies from the next tick.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public TimeSpan TickBudget
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref tickBudgetTicks));
            set
            {
                if (value < TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "TickBudget must be zero (none) or positive.");
                }

                Interlocked.Exchange(ref tickBudgetTicks, value.Ticks);
            }
        }

        internal SynchronizationContext SyncContext => syncContext;

        /// <summary>
        /// Makes the calling thread the loop's main thread (for a host that creates the loop on one thread and runs it
        /// on another, like the headless runner).
        /// </summary>
        /// <exception cref="InvalidOperationException">Called while a tick is running.</exception>
        public void BindToCurrentThread()
        {
            if (ticking)
            {
                throw new InvalidOperationException("BindToCurrentThread cannot be called while the loop is ticking.");
            }

            Volatile.Write(ref mainThreadId, Environment.CurrentManagedThreadId);
        }

        /// <summary>
        /// Runs one frame's worth of queued entries on the main thread: a snapshot of the queue (entries submitted
        /// meanwhile wait for a later tick), within the frame budget (<see cref="MainLoopOptions.TickBudget"/>,
        /// <see cref="MainLoopOptions.MaxItemsPerTick"/>; at least one entry always runs). Exceptions of the work
        /// complete its handle and never escape. While user code runs, the loop's
        /// <see cref="SynchronizationContext"/> is current. On a closing or closed loop it does nothing.
        /// </summary>
        /// <returns>What the tick did.</returns>
        /// <exception cref="InvalidOperationException">Called off the main thread, or from inside work this loop is running.</exception>
        public TickResult Tick()
        {
            if (!IsMainThread)
            {
                throw new InvalidOperationException(
                    $"{name}.Tick must be called on its main thread (managed thread {MainThreadId}); it was called on thread {Environment.CurrentManagedThreadId}.");
            }

            if (ticking)
            {
                throw new InvalidOperationException($"{name}.Tick is already running: Tick cannot be called from inside work the loop runs.");
            }

            if (Volatile.Read(ref stateWord) != 0)
            {
                return default;
            }

            ticking = true;
            var start = clock.NowTicks;
            diagnostics.OnTickStart(start);
            var taken = 0;
            var exhausted = false;
            var previousContext = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(syncContext);
            try
            {
                // The snapshot: a marker goes in behind everything queued so far; what is submitted from now on lands
                // behind it and waits for a later tick.
                // An idle frame stops here.
                var marker = queue.IsEmpty ? null : ItemPool<TickMarker>.Rent();
                if (marker != null)
                {
                    marker.Tick = ++tickNumber;
                    Interlocked.Increment(ref markersQueued);
                    queue.Enqueue(marker);
                }

                var itemCap = Volatile.Read(ref maxItemsPerTick);
                var budget = Interlocked.Read(ref tickBudgetTicks);
                var cap = itemCap > 0 ? itemCap : int.MaxValue;
                var budgetEnd = budget > 0 ? start + budget : long.MaxValue;
                while (marker != null)
                {
                    if (taken >= cap || (taken > 0 && budgetEnd != long.MaxValue && clock.NowTicks >= budgetEnd))
                    {
                        // The marker stays queued; a later tick skips it as stale.
                        exhausted = true;
                        break;
                    }

                    if (!queue.TryDequeue(out var entry))
                    {
                        break; // a close drained the queue (marker included)
                    }

                    if (entry.IsMarker)
                    {
                        var seen = (TickMarker)entry;
                        var isOurs = seen.Tick == tickNumber;
                        Interlocked.Decrement(ref markersQueued);
                        ItemPool<TickMarker>.Return(seen);
                        if (isOurs)
                        {
                            break;
                        }

                        continue; // left by an earlier tick that ran out of budget
                    }

                    // Closed from inside a work item, or from another thread: start nothing more. Checked after the
                    // dequeue, so an entry taken after a close is aborted here rather than started.
                    if (Volatile.Read(ref stateWord) != 0)
                    {
                        SafeAbort(entry);
                        break;
                    }

                    taken++;
                    diagnostics.OnRun(entry);
                    try
                    {
                        entry.Execute(this);
                    }
                    catch (Exception ex)
                    {
                        ReportUnhandled(ex);
                    }
                }
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previousContext);
                ticking = false;
            }

            var elapsed = clock.NowTicks - start;
            Interlocked.Increment(ref counters.Ticks);
            Interlocked.Add(ref counters.ItemsRun, taken);
            Interlocked.Exchange(ref counters.LastTickTicks, elapsed);
            if (elapsed > Interlocked.Read(ref counters.LongestTickTicks))
            {
                Interlocked.Exchange(ref counters.LongestTickTicks, elapsed);
            }

            diagnostics.OnTickEnd(taken, elapsed, exhausted);

            if (finishCloseAfterTick)
            {
                finishCloseAfterTick = false;
                FinishCloseOnMainThread();
            }

            return new TickResult(taken, QueueDepth, TimeSpan.FromTicks(elapsed), exhausted);
        }

        private void SafeAbort(QueueEntry entry)
        {
            try
            {
                entry.Abort(this, onMainThread: true);
            }
            catch (Exception ex)
            {
                ReportUnhandled(ex);
            }
        }

        /// <summary>Lists the handles still pending, with their submitting call sites when <see cref="MainLoopOptions.TrackHandles"/> is on.</summary>
        /// <returns>One line per pending handle; empty when none. Without tracking, a summary line of the counts.</returns>
        public IReadOnlyList<string> GetPendingHandles()
        {
            var lines = new List<string>();
            if (tracked == null)
            {
                var depth = QueueDepth;
                var running = Volatile.Read(ref runningCount);
                if (depth + running > 0)
                {
                    lines.Add($"{depth} queued entr{(depth == 1 ? "y" : "ies")} and {running} running async work item(s) (enable MainLoopOptions.TrackHandles for call sites)");
                }

                return lines;
            }

            lock (tracked)
            {
                foreach (var item in tracked)
                {
                    lines.Add(item.CallSite == null ? item.Describe() : $"{item.Describe()} submitted at{Environment.NewLine}{item.CallSite}");
                }
            }

            return lines;
        }

        /// <inheritdoc />
        public override string ToString() => $"{name} ({State})";

        // ---- internal plumbing used by the work items ----------------------------------------------------------

        /// <summary>Counts a completed handle (and forgets it, when tracking). Any thread.</summary>
        internal void OnItemCompleted(LoopWorkItem item, UniTaskStatus status, bool byClose)
        {
            counters.CountCompletion(status, byClose, IsMainThread);
            if (tracked != null)
            {
                lock (tracked)
                {
                    tracked.Remove(item);
                }
            }
        }

        /// <summary>Hands an exception that has no handle to <see cref="UnhandledException"/> (or standard error). Never throws.</summary>
        internal void ReportUnhandled(Exception exception)
        {
            var handlers = UnhandledException;
            if (handlers == null)
            {
                WriteToStandardError($"[LoopBridge] {name}: unhandled exception in work without a handle: {exception}");
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

        internal LoopClosedException CreateClosedException()
        {
            var word = Volatile.Read(ref stateWord);
            return new LoopClosedException((CloseReason)(word >> ReasonShift), closingSource.Token);
        }

        /// <summary>Registers started async work; false once close has failed the running work (then it must not start).</summary>
        internal bool TryAddRunning(LoopWorkItem item)
        {
            lock (registryGate)
            {
                if (registryClosed)
                {
                    return false;
                }

                item.RegistryNext = runningHead;
                if (runningHead != null)
                {
                    runningHead.RegistryPrevious = item;
                }

                runningHead = item;
                item.InRegistry = true;
                runningCount++;
            }

            return true;
        }

        internal void RemoveRunning(LoopWorkItem item)
        {
            lock (registryGate)
            {
                if (!item.InRegistry)
                {
                    return;
                }

                Unlink(item);
                runningCount--;
            }

            // Wakes a grace period waiting for started work to end (the signal is never disposed, so a late set is harmless).
            if (Volatile.Read(ref stateWord) != 0)
            {
                closeSignal?.Set();
            }
        }

        private void Unlink(LoopWorkItem item)
        {
            if (item.RegistryPrevious != null)
            {
                item.RegistryPrevious.RegistryNext = item.RegistryNext;
            }
            else
            {
                runningHead = item.RegistryNext;
            }

            if (item.RegistryNext != null)
            {
                item.RegistryNext.RegistryPrevious = item.RegistryPrevious;
            }

            item.RegistryPrevious = null;
            item.RegistryNext = null;
            item.InRegistry = false;
        }

        private void Track(LoopWorkItem item)
        {
            item.CallSite = new StackTrace(2, true).ToString();
            lock (tracked!)
            {
                tracked.Add(item);
            }
        }
    }
}
