#nullable enable
using System;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary><see cref="tickGate"/>: no tick is running and nobody finishes a close.</summary>
        private const int GateIdle = 0;

        /// <summary><see cref="tickGate"/>: <see cref="BindToCurrentThread"/> is swapping the main thread.</summary>
        private const int GateBinding = -1;

        /// <summary><see cref="tickGate"/>: a close's finish was claimed (final: no tick ever runs again).</summary>
        private const int GateFinishing = -2;

        /// <summary>
        /// Who holds the loop's main-thread role right now: <see cref="GateIdle"/>; the managed id of the thread
        /// inside <see cref="Tick"/>; <see cref="GateBinding"/>; or <see cref="GateFinishing"/>. Taken by one
        /// compare-and-swap from Idle (so "is a tick running" and "who may tick" are one atomic step, and two threads
        /// can never tick at once, nor bind while a tick runs); a tick gives it back in <c>finally</c>, or hands it to
        /// the close's finish. Whoever moves it to Finishing finishes the close (exactly one thread).
        /// </summary>
        private int tickGate;

        /// <summary>
        /// Makes the calling thread the loop's main thread (for a host that creates the loop on one thread and runs it
        /// on another, like the headless runner). Any thread, but not while a tick runs.
        /// </summary>
        /// <exception cref="InvalidOperationException">A tick (or another bind) is running.</exception>
        public void BindToCurrentThread()
        {
            var observed = Interlocked.CompareExchange(ref tickGate, GateBinding, GateIdle);
            if (observed == GateFinishing)
            {
                // Closing or closed: no tick will ever run again, so there is nothing to race with.
                Volatile.Write(ref mainThreadId, Environment.CurrentManagedThreadId);
                return;
            }

            if (observed != GateIdle)
            {
                throw new InvalidOperationException($"{name}.BindToCurrentThread cannot be called while the loop is ticking (or being bound by another thread).");
            }

            Volatile.Write(ref mainThreadId, Environment.CurrentManagedThreadId);
            Volatile.Write(ref tickGate, GateIdle);
        }

        /// <summary>
        /// Runs one frame's worth of queued entries on the main thread: a snapshot of the queue (entries submitted
        /// meanwhile wait for a later tick), within the frame budget (<see cref="MainLoopOptions.TickBudget"/>,
        /// <see cref="MainLoopOptions.MaxItemsPerTick"/>; at least one entry always runs). Exceptions of the work
        /// complete its handle and never escape. While user code runs, the loop's
        /// <see cref="SynchronizationContext"/> is current.
        /// </summary>
        /// <remarks>
        /// On a loop that another thread started closing, the tick finishes that close here, on the main thread
        /// (continuations of started async work run within the grace period; see <see cref="Close"/>). On a closed loop
        /// it does nothing. If the <see cref="MainLoopOptions.Clock"/> throws, the exception escapes this tick, and the
        /// loop stays usable (the next tick runs normally).
        /// </remarks>
        /// <returns>What the tick did.</returns>
        /// <exception cref="InvalidOperationException">Called off the main thread, from inside work this loop is running, or while another thread binds the loop.</exception>
        public TickResult Tick()
        {
            var me = Environment.CurrentManagedThreadId;
            var observed = Interlocked.CompareExchange(ref tickGate, me, GateIdle);
            if (observed != GateIdle)
            {
                if (me != MainThreadId)
                {
                    throw OffMainThread(me);
                }

                if (observed == GateFinishing)
                {
                    return default; // closed, or its close is being finished
                }

                throw new InvalidOperationException(observed == me
                    ? $"{name}.Tick is already running: Tick cannot be called from inside work the loop runs."
                    : $"{name}.Tick cannot run while another thread ticks or binds the loop.");
            }

            // The gate is ours: BindToCurrentThread cannot change the main thread until we give it back.
            if (me != Volatile.Read(ref mainThreadId))
            {
                Volatile.Write(ref tickGate, GateIdle);
                throw OffMainThread(me);
            }

            try
            {
                // On a loop that is already closing (closed from another thread, or by an earlier tick that threw),
                // the finally below finishes the close.
                return Volatile.Read(ref stateWord) != 0 ? default : RunTick();
            }
            finally
            {
                if (Volatile.Read(ref stateWord) != 0)
                {
                    // Closing (from another thread, or from inside work this tick ran): hand the gate to the close's
                    // finish. We hold the gate, so nobody else can claim the finish meanwhile.
                    Volatile.Write(ref tickGate, GateFinishing);
                    FinishCloseOnMainThread();
                }
                else
                {
                    Volatile.Write(ref tickGate, GateIdle);
                }
            }
        }

        private InvalidOperationException OffMainThread(int me) => new InvalidOperationException(
            $"{name}.Tick must be called on its main thread (managed thread {MainThreadId}); it was called on thread {me}.");

        /// <summary>The body of a tick on an open loop; the caller holds the gate. Stops early when the loop starts closing.</summary>
        private TickResult RunTick()
        {
            var start = clock.NowTicks;
            diagnostics.OnTickStart(start);
            var taken = 0;
            var exhausted = false;
            var previousContext = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(syncContext);
            try
            {
                // First, cancellations of running work asked since the last tick (a caller's token cancelled on any
                // thread): cancelled here, on the main thread, before any entry runs, so a continuation due in this
                // very tick already sees its token cancelled.
                DeliverPendingCancels(mayCancel: true);

                // The snapshot: a marker goes in behind everything queued so far; what is submitted from now on lands
                // behind it and waits for a later tick. An idle frame stops here.
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

                // Saturating: a budget up to TimeSpan.MaxValue is honoured (it never runs out), never wrapped negative.
                var budgetEnd = budget > 0 ? SaturatingAdd(start, budget) : long.MaxValue;
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
                    // dequeue, so an entry taken after a close is handled the close's way rather than started.
                    if (Volatile.Read(ref stateWord) != 0)
                    {
                        ProcessAtClose(entry, mayRunContinuations: GraceActive());
                        break;
                    }

                    taken++;
                    diagnostics.OnRun(entry);

                    // Counted before it runs, so a snapshot never shows more handles completed by running than entries run.
                    counters.CountItemRun();
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
            }

            var elapsed = clock.NowTicks - start;
            counters.CountTick(elapsed);

            // Read once: ConcurrentQueue.Count is not free while producers enqueue (it retries, and may spin).
            var depth = QueueDepth;
            diagnostics.OnTickEnd(taken, elapsed, exhausted, depth);
            return new TickResult(taken, depth, TimeSpan.FromTicks(elapsed), exhausted);
        }
    }
}
