#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>
        /// Closes the loop: idempotent, any thread (including from inside work the loop is running); the first call's
        /// <paramref name="reason"/> wins and later calls return at once.
        /// </summary>
        /// <remarks>
        /// <para>In order:</para>
        /// <list type="number">
        /// <item>The state becomes <see cref="LoopState.Closing"/>: every new submission fails at once
        /// (its handle faults with <see cref="LoopClosedException"/>, <see cref="TryPost(Action)"/> returns false,
        /// <see cref="Post(Action)"/> throws). Nothing is ever queued on a closed loop.</item>
        /// <item><see cref="Closing"/> is cancelled, so running async work and worker loops can stop.</item>
        /// <item>Queued work that has not started never starts: its handle fails with <see cref="LoopClosedException"/>
        /// carrying <paramref name="reason"/>. Workers blocked in <c>GetResult</c>/<c>Wait</c> on it wake at once.
        /// Pending <c>SwitchTo</c>/<c>NextFrame</c> awaits resume with that exception.</item>
        /// <item>Closed on the main thread: already-started async work gets <see cref="MainLoopOptions.CloseGracePeriod"/>
        /// to observe the cancellation and run its <c>finally</c> blocks; its continuations keep running on the main
        /// thread meanwhile. (Called from inside a tick, this happens when the current work item returns.) Closed from
        /// another thread there is no grace period: the main thread may be gone.</item>
        /// <item>Every handle still pending fails with <see cref="LoopClosedException"/>; the state becomes
        /// <see cref="LoopState.Closed"/>; <see cref="Closed"/> is raised and <see cref="WhenClosed"/> completes.</item>
        /// </list>
        /// <para>Every handle completes exactly once. Completion callbacks and awaits of failed handles still run: on the
        /// main thread when the loop is closed there, otherwise inline on the closing thread. Work that the main thread
        /// had already started when another thread called Close completes with its own outcome.</para>
        /// </remarks>
        /// <param name="reason">Why the loop closes; carried by every <see cref="LoopClosedException"/> it causes.</param>
        public void Close(CloseReason reason)
        {
            if (Volatile.Read(ref stateWord) != 0)
            {
                return;
            }

            // The signal must exist before a producer can see Closing (it sets it after enqueueing).
            Interlocked.CompareExchange(ref closeSignal, new ManualResetEventSlim(false), null);
            var closingWord = (int)LoopState.Closing | ((int)reason << ReasonShift);
            if (Interlocked.CompareExchange(ref stateWord, closingWord, 0) != 0)
            {
                return;
            }

            try
            {
                closingSource.Cancel();
            }
            catch (AggregateException ex)
            {
                // Callbacks registered on Closing threw; they all ran. Report, and go on closing.
                ReportUnhandled(ex);
            }

            DrainQueue();

            if (!IsMainThread)
            {
                FinishClose();
            }
            else if (ticking)
            {
                // Closed from inside work this loop runs: the tick starts nothing more, and finishes the close
                // (grace period included) once the current work item has returned.
                finishCloseAfterTick = true;
            }
            else
            {
                FinishCloseOnMainThread();
            }
        }

        /// <summary>Closes the loop with <see cref="LoopBridge.CloseReason.Disposed"/>; see <see cref="Close"/>. Any thread; idempotent.</summary>
        public void Dispose() => Close(LoopBridge.CloseReason.Disposed);

        /// <summary>Aborts every queued entry (see <see cref="QueueEntry.Abort"/>) on the calling thread.</summary>
        private void DrainQueue()
        {
            var onMainThread = IsMainThread;
            if (queue.IsEmpty)
            {
                return;
            }

            // On the main thread, continuations of started work run here: with the loop's context current, so their
            // next await comes back through this loop (the grace period) rather than through the engine's context.
            var previousContext = SynchronizationContext.Current;
            if (onMainThread)
            {
                SynchronizationContext.SetSynchronizationContext(syncContext);
            }

            try
            {
                while (queue.TryDequeue(out var entry))
                {
                    if (entry.IsMarker)
                    {
                        Interlocked.Decrement(ref markersQueued);
                        continue; // dropped, not pooled: a tick on the main thread may still hold it
                    }

                    try
                    {
                        entry.Abort(this, onMainThread);
                    }
                    catch (Exception ex)
                    {
                        ReportUnhandled(ex);
                    }
                }
            }
            finally
            {
                if (onMainThread)
                {
                    SynchronizationContext.SetSynchronizationContext(previousContext);
                }
            }
        }

        /// <summary>The grace period: lets started async work finish on the main thread, bounded in time.</summary>
        private void FinishCloseOnMainThread()
        {
            if (closeGracePeriod > TimeSpan.Zero && Volatile.Read(ref runningCount) > 0)
            {
                var signal = closeSignal!;
                var deadline = Stopwatch.GetTimestamp() + (long)(closeGracePeriod.TotalSeconds * Stopwatch.Frequency);
                var previousContext = SynchronizationContext.Current;
                SynchronizationContext.SetSynchronizationContext(syncContext);
                try
                {
                    while (true)
                    {
                        // Continuations of started work run (it is the main thread); new work and SwitchTo are aborted.
                        DrainQueue();
                        if (Volatile.Read(ref runningCount) == 0)
                        {
                            break;
                        }

                        var remainingMs = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                        if (remainingMs <= 0)
                        {
                            break;
                        }

                        // Set by an enqueue while closing and by async work ending; a set between Wait and Reset is
                        // not lost because the drain above runs again before the next wait.
                        signal.Wait((int)Math.Max(1, remainingMs));
                        signal.Reset();
                    }
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(previousContext);
                }
            }

            FinishClose();
        }

        /// <summary>Fails all started async work still pending, marks the loop Closed, drains once more, notifies.</summary>
        private void FinishClose()
        {
            List<LoopWorkItem>? running = null;
            lock (registryGate)
            {
                registryClosed = true;
                for (var item = runningHead; item != null;)
                {
                    var next = item.RegistryNext;
                    (running ??= new List<LoopWorkItem>()).Add(item);
                    Unlink(item);
                    item = next;
                }

                runningCount = 0;
            }

            // Completed outside the registry lock: completion runs continuations and callbacks.
            if (running != null)
            {
                foreach (var item in running)
                {
                    item.FailRunning(CreateClosedException());
                }
            }

            var reason = (CloseReason)(Volatile.Read(ref stateWord) >> ReasonShift);
            Interlocked.Exchange(ref stateWord, (int)LoopState.Closed | ((int)reason << ReasonShift));

            // Entries that raced in while we were Closing (deliveries, posts, SwitchTo). After the state write above,
            // any later enqueue drains by itself (EnqueueEntry).
            DrainQueue();

            var handlers = Closed;
            if (handlers != null)
            {
                foreach (var d in handlers.GetInvocationList())
                {
                    try
                    {
                        ((Action<MainLoop, CloseReason>)d)(this, reason);
                    }
                    catch (Exception ex)
                    {
                        ReportUnhandled(ex);
                    }
                }
            }

            whenClosed.TrySetResult();
        }
    }
}
