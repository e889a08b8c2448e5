#nullable enable
using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>How often a wait for a grace-period deadline looks at a clock other than <see cref="LoopClock.System"/> (which real waits cannot follow).</summary>
        private const int ClockPollMilliseconds = 10;

        /// <summary>
        /// Null while open. Set once, by the compare-and-swap that decides which <see cref="Close"/> call closes the
        /// loop, before <see cref="stateWord"/> leaves Open: whoever sees a non-open state finds it set.
        /// </summary>
        private CloseInfo? closeInfo;

        /// <summary>
        /// Closes the loop: idempotent, any thread (including from inside work the loop is running); the first call's
        /// <paramref name="reason"/> wins.
        /// </summary>
        /// <remarks>
        /// <para>In order:</para>
        /// <list type="number">
        /// <item>The state becomes <see cref="LoopState.Closing"/>: every new submission fails at once
        /// (its handle faults with <see cref="LoopClosedException"/>, <see cref="TryPost(Action)"/> returns false,
        /// <see cref="Post(Action)"/> throws). Nothing is ever queued on a closed loop.</item>
        /// <item><see cref="Closing"/> is cancelled, so running async work and worker loops can stop.</item>
        /// <item>Queued work that has not started never starts: its handle fails at once, on the calling thread, with
        /// <see cref="LoopClosedException"/> carrying <paramref name="reason"/>. Workers blocked in
        /// <c>GetResult</c>/<c>Wait</c> on it wake at once.</item>
        /// <item>The grace period (<see cref="MainLoopOptions.CloseGracePeriod"/>, measured with
        /// <see cref="MainLoopOptions.Clock"/>): already-started async work observes the cancellation and its
        /// continuations (its <c>catch</c> and <c>finally</c> blocks) run <b>on the main thread</b>, until it has all
        /// ended or the deadline passes. The deadline is checked between entries, so work that keeps re-posting
        /// itself cannot hold the close. Awaits of <c>SwitchTo</c>/<c>NextFrame</c> resume there with
        /// <see cref="LoopClosedException"/>.</item>
        /// <item>Started async work still running fails with <see cref="LoopClosedException"/> and is reported through
        /// <see cref="UnhandledException"/> (with its call site when <see cref="MainLoopOptions.TrackHandles"/> is on);
        /// its remaining code does not run. The state becomes <see cref="LoopState.Closed"/>; <see cref="Closed"/> is
        /// raised and <see cref="WhenClosed"/> completes, after every handle has completed.</item>
        /// </list>
        /// <para><b>Which thread finishes the close (steps 4 and 5).</b></para>
        /// <list type="bullet">
        /// <item>Called on the main thread: this call, before it returns.</item>
        /// <item>Called inside work the loop is running: the tick, as soon as that work item returns (nothing else
        /// starts meanwhile).</item>
        /// <item>Called on another thread while the main thread keeps ticking: the main thread's next
        /// <see cref="Tick"/> (or its next <c>Close</c> call) finishes it; this call waits for that, at most until the
        /// grace period has passed.</item>
        /// <item>Called on another thread while the main thread does not tick (blocked, or gone): once the grace
        /// period has passed without a tick, this thread finishes the close itself. Code that must run on the main
        /// thread then does not run at all: continuations of started work and main-thread awaits of failed handles are
        /// reported through <see cref="UnhandledException"/> instead, never run on this thread. Completion callbacks
        /// (<see cref="LoopHandle.OnCompleted"/>) still run, on this thread, so every outcome reaches its owner (as
        /// does a callback registered on another thread after the close). If the main thread is inside a tick
        /// when the grace period passes, this call returns and that tick finishes the close when its current entry
        /// returns.</item>
        /// </list>
        /// <para>So <c>catch</c>/<c>finally</c> blocks of async work run on the main thread or not at all. A
        /// continuation that arrives after the close finished is reported, not run. Every handle completes exactly
        /// once; work that the close fails, whether queued, running async or offloaded, fails with
        /// <see cref="LoopClosedException"/>(<paramref name="reason"/>) and counts in
        /// <see cref="MainLoopStatistics.FailedByClose"/>. A submission that races with the close completes before its
        /// submitting call returns.</para>
        /// </remarks>
        /// <param name="reason">Why the loop closes; carried by every <see cref="LoopClosedException"/> it causes.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined <see cref="CloseReason"/> value.</exception>
        public void Close(CloseReason reason)
        {
            if ((uint)reason > (uint)CloseReason.DomainReload)
            {
                throw new ArgumentOutOfRangeException(nameof(reason), reason,
                    "Not a CloseReason: use Disposed, EngineShutdown, ExitingPlayMode or DomainReload.");
            }

            if (Volatile.Read(ref closeInfo) != null)
            {
                TakeOverCloseOnMainThread();
                return;
            }

            var hasNow = TryReadClock(out var now);
            var me = Environment.CurrentManagedThreadId;
            var info = new CloseInfo(reason, hasNow ? SaturatingAdd(now, closeGraceTicks) : long.MinValue, me);
            if (Interlocked.CompareExchange(ref closeInfo, info, null) != null)
            {
                TakeOverCloseOnMainThread();
                return;
            }

            // Step 1. After this (full-fence) write, producers see the close; closeInfo is visible to whoever does.
            Interlocked.Exchange(ref stateWord, (int)LoopState.Closing | ((int)reason << ReasonShift));

            // Step 2.
            try
            {
                closingSource.Cancel();
            }
            catch (AggregateException ex)
            {
                // Callbacks registered on Closing threw; they all ran. Report, and go on closing.
                ReportUnhandled(ex);
            }

            // Step 3, on this thread; continuations stay queued for the main thread.
            FailQueuedWork();

            if (me == MainThreadId)
            {
                // Idle: finish here. Our own id: closed from inside work this thread's tick runs, which finishes the
                // close once that work returns.
                if (Interlocked.CompareExchange(ref tickGate, GateFinishing, GateIdle) == GateIdle)
                {
                    FinishCloseOnMainThread();
                }

                return;
            }

            WaitForMainThreadThenFinish(info);
        }

        /// <summary>Closes the loop with <see cref="CloseReason.Disposed"/>; see <see cref="Close"/>. Any thread; idempotent.</summary>
        public void Dispose() => Close(CloseReason.Disposed);

        /// <summary>
        /// A second <see cref="Close"/>: on the main thread, outside a tick, it finishes a close that another thread
        /// started (as a tick would). Anywhere else it returns at once.
        /// </summary>
        private void TakeOverCloseOnMainThread()
        {
            if (IsMainThread && State == LoopState.Closing
                && Interlocked.CompareExchange(ref tickGate, GateFinishing, GateIdle) == GateIdle)
            {
                FinishCloseOnMainThread();
            }
        }

        /// <summary>Step 3: fails the queued work items (a snapshot of the queue); continuations go back in the queue for the main thread.</summary>
        private void FailQueuedWork()
        {
            // After the Closing callbacks (user code, which may wait for the main thread): the main thread waits for
            // step 3 only from here on (see FinishCloseOnMainThread), and step 3 itself never waits for the main thread.
            closeInfo!.QueueFailStarted = true;
            var onMainThread = IsMainThread;
            var count = queue.Count;
            for (var i = 0; i < count && queue.TryDequeue(out var entry); i++)
            {
                if (entry.IsMarker)
                {
                    Interlocked.Decrement(ref markersQueued);
                    continue; // dropped, not pooled: a tick on the main thread may still hold it
                }

                if (entry is ContinuationEntry || entry is SwitchEntry)
                {
                    queue.Enqueue(entry); // for the close's finish (the count bounds this loop)
                    continue;
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

            // Step 3 is done. A main thread finishing this close meanwhile (its next tick, or a Close/Tick
            // from inside a Closing callback) may already have drained the queue, so continuations re-queued above
            // would sit there for ever: drain them the closed way. Then let Closed fire (whichever of this and
            // CompleteClose comes last raises it), so it never fires while an item this thread dequeued is pending.
            var info = closeInfo!;
            info.QueueFailed.Set();
            info.Signal.Set();
            if (State == LoopState.Closed)
            {
                DrainClosed();
            }

            if (Interlocked.Decrement(ref info.PartsLeft) == 0)
            {
                RaiseClosed(info);
            }
        }

        /// <summary>Closed on another thread: wait (bounded by the grace period) for the main thread to finish the close, else finish it here.</summary>
        private void WaitForMainThreadThenFinish(CloseInfo info)
        {
            while (State != LoopState.Closed)
            {
                if (!TryReadClock(out var now) || now >= info.Deadline)
                {
                    break;
                }

                WaitUntil(info.Finished, info.Deadline);
            }

            if (Interlocked.CompareExchange(ref tickGate, GateFinishing, GateIdle) == GateIdle)
            {
                // The main thread did not tick within the grace period: nothing will run there any more.
                info.FinishedOnMainThread = false;
                CompleteClose();
            }

            // Otherwise the main thread is inside a tick, or finishing the close: it finishes when its current entry returns.
        }

        /// <summary>Whether continuations of started work may still run: on the main thread, within the grace period.</summary>
        private bool GraceActive()
        {
            var info = Volatile.Read(ref closeInfo);
            return info != null && closeGraceTicks > 0 && IsMainThread && TryReadClock(out var now) && now < info.Deadline;
        }

        /// <summary>Blocks until <paramref name="signal"/> is set or (about) the clock reaches <paramref name="deadline"/>.</summary>
        private void WaitUntil(ManualResetEventSlim signal, long deadline)
        {
            if (!TryReadClock(out var now) || now >= deadline)
            {
                return;
            }

            // deadline > now, so this cannot overflow unless now is very negative; saturate then.
            var remaining = now < 0 && deadline > long.MaxValue + now ? long.MaxValue : deadline - now;
            var ms = remaining / TimeSpan.TicksPerMillisecond + 1;
            var cap = ReferenceEquals(clock, LoopClock.System) ? int.MaxValue - 1 : ClockPollMilliseconds;
            signal.Wait((int)Math.Min(ms, cap));
        }

        /// <summary>
        /// Steps 4 and 5 on the main thread; the caller holds the gate as <see cref="GateFinishing"/>. Runs the queue's
        /// continuations (a snapshot per pass, the deadline checked between entries) while started work runs and the
        /// grace period lasts, then completes the close.
        /// </summary>
        private void FinishCloseOnMainThread()
        {
            var info = closeInfo!;
            info.FinishedOnMainThread = true;

            // A close started on another thread may still be failing the queued work (step 3) there; wait
            // for it (within the grace period), so the continuations of the handles it fails run here, in the grace
            // period, instead of being dropped. Not when this thread is the closing one (a Tick or Close from inside
            // a Closing callback): it would wait for itself; CompleteClose then leaves Closed to step 3.
            if (info.ClosingThreadId != Environment.CurrentManagedThreadId)
            {
                while (info.QueueFailStarted && !info.QueueFailed.IsSet && GraceActive())
                {
                    WaitUntil(info.QueueFailed, info.Deadline);
                }
            }

            if (closeGraceTicks > 0)
            {
                var previousContext = SynchronizationContext.Current;
                SynchronizationContext.SetSynchronizationContext(syncContext);
                try
                {
                    while (GraceActive())
                    {
                        // Reset before the pass: a set during the pass (an enqueue, work ending) makes the wait below return at once.
                        info.Signal.Reset();
                        var count = queue.Count;
                        for (var i = 0; i < count && GraceActive() && queue.TryDequeue(out var entry); i++)
                        {
                            ProcessAtClose(entry, mayRunContinuations: true);
                        }

                        if (RunningCount == 0)
                        {
                            break;
                        }

                        WaitUntil(info.Signal, info.Deadline);
                    }
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(previousContext);
                }
            }

            CompleteClose();
        }

        /// <summary>
        /// Step 5, by the one thread holding the gate as <see cref="GateFinishing"/>: fails the started work still
        /// running, marks the loop Closed, drains what raced in, notifies.
        /// </summary>
        private void CompleteClose()
        {
            var info = closeInfo!;
            var running = TakeAllRunning();
            if (running != null)
            {
                ReportStillRunning(info, running);
                foreach (var item in running)
                {
                    try
                    {
                        item.FailRunning(CreateClosedException());
                    }
                    finally
                    {
                        item.UnpinAfterClose(); // taken by TakeAllRunning
                    }
                }
            }

            Interlocked.Exchange(ref stateWord, (int)LoopState.Closed | ((int)info.Reason << ReasonShift));

            // Entries that raced in while we were Closing (deliveries, posts, SwitchTo, submissions). After the state
            // write above, any later enqueue drains by itself (EnqueueEntry).
            DrainClosed();

            // Cancellation requests for running work that no tick delivered: the close cancelled that work through
            // Closing; give back their references. A later request does the same by itself (RequestCancelRunning).
            DeliverPendingCancels(mayCancel: false);

            // Closed waits for step 3 too: when the thread failing the queued work ends after us, FailQueuedWork raises it.
            if (Interlocked.Decrement(ref info.PartsLeft) == 0)
            {
                RaiseClosed(info);
            }
        }

        private void RaiseClosed(CloseInfo info)
        {
            var handlers = Closed;
            if (handlers != null)
            {
                foreach (var d in handlers.GetInvocationList())
                {
                    try
                    {
                        ((Action<MainLoop, CloseReason>)d)(this, info.Reason);
                    }
                    catch (Exception ex)
                    {
                        ReportUnhandled(ex);
                    }
                }
            }

            whenClosed.TrySetResult();
            info.Finished.Set();
        }

        /// <summary>Takes every entry out of the queue of a closed loop; nothing of started code runs any more except on the main thread's deliveries.</summary>
        private void DrainClosed()
        {
            while (queue.TryDequeue(out var entry))
            {
                ProcessAtClose(entry, mayRunContinuations: false);
            }
        }

        /// <summary>
        /// Handles an entry that a close took out of the queue. Work items fail (never start). Posted continuations of
        /// started code run only when <paramref name="mayRunContinuations"/> (main thread, grace period); otherwise they
        /// are reported and dropped. Deliveries: see <see cref="ContinuationEntry.RunAtClose"/>. A <c>SwitchTo</c>/
        /// <c>NextFrame</c> await resumes with <see cref="LoopClosedException"/> on the main thread, or here if it was
        /// awaited off the main thread; an await of main-thread code is reported and dropped anywhere else. Never throws.
        /// </summary>
        private void ProcessAtClose(QueueEntry entry, bool mayRunContinuations)
        {
            try
            {
                if (entry.IsMarker)
                {
                    Interlocked.Decrement(ref markersQueued);
                }
                else if (entry is ContinuationEntry continuation)
                {
                    continuation.RunAtClose(this, mayRunContinuations);
                }
                else if (entry is SwitchEntry resumption)
                {
                    // On the main thread it always resumes: the await throws LoopClosedException, so only catch/finally run.
                    resumption.ResumeAtClose(this, mayRunContinuations || IsMainThread || !resumption.FromMainThread);
                }
                else
                {
                    entry.Abort(this, IsMainThread);
                }
            }
            catch (Exception ex)
            {
                ReportUnhandled(ex);
            }
        }

        /// <summary>Counts and reports code that had to run on the main thread and now never will. Any thread.</summary>
        internal void OnContinuationDropped(string what)
        {
            counters.CountDroppedContinuation();
            var info = Volatile.Read(ref closeInfo);
            var why = info == null || info.FinishedOnMainThread
                ? $"it was due after the close's grace period ({DescribeGrace()}) had ended."
                : $"the loop was closed on thread {info.ClosingThreadId} while its main thread (thread {MainThreadId}) did not tick within the grace period ({DescribeGrace()}), so nothing could run it there.";
            ReportUnhandled(new InvalidOperationException(
                $"{name} was closed ({(info == null ? "?" : info.Reason.ToString())}), so {what} did not run: it must run on the main thread, and {why}"));
        }

        private void ReportStillRunning(CloseInfo info, List<LoopWorkItem> running)
        {
            var text = new StringBuilder();
            text.Append(name).Append(" was closed (").Append(info.Reason).Append(')');
            if (info.FinishedOnMainThread)
            {
                text.Append(" and its grace period (").Append(DescribeGrace()).Append(") ended with ");
            }
            else
            {
                text.Append(" on thread ").Append(info.ClosingThreadId).Append(" while its main thread (thread ").Append(MainThreadId)
                    .Append(") did not tick within the grace period (").Append(DescribeGrace()).Append("), so that thread finished the close with ");
            }

            text.Append(running.Count).Append(" async work item(s) still running. They fail with LoopClosedException; the rest of their code ")
                .Append("(catch and finally blocks included) will not run, and a continuation of theirs that arrives later is reported, not run. ")
                .Append(info.FinishedOnMainThread
                    ? "Let the work observe the CancellationToken it receives (the close cancels it), or raise MainLoopOptions.CloseGracePeriod."
                    : "Keep ticking the main thread while another thread closes the loop, or close it on the main thread.");
            foreach (var item in running)
            {
                text.AppendLine().Append("  - ").Append(item.Describe());
                if (item.CallSite != null)
                {
                    text.Append(" submitted at").AppendLine().Append(item.CallSite);
                }
            }

            ReportUnhandled(new InvalidOperationException(text.ToString()));
        }

        private string DescribeGrace() => closeGraceTicks == 0 ? "none: CloseGracePeriod is zero"
            : closeGraceTicks == TimeSpan.MaxValue.Ticks ? "unlimited"
            : $"{TimeSpan.FromTicks(closeGraceTicks).TotalMilliseconds:0.###} ms";

        /// <summary>What one close decided, published before the state leaves Open.</summary>
        private sealed class CloseInfo
        {
            internal CloseInfo(CloseReason reason, long deadline, int closingThreadId)
            {
                Reason = reason;
                Deadline = deadline;
                ClosingThreadId = closingThreadId;
            }

            /// <summary>The first Close call's reason.</summary>
            internal readonly CloseReason Reason;

            /// <summary>The end of the grace period in clock ticks (long.MinValue: none because the clock failed; long.MaxValue: never).</summary>
            internal readonly long Deadline;

            /// <summary>The thread that called the winning Close.</summary>
            internal readonly int ClosingThreadId;

            /// <summary>Set by activity the finish waits for: an entry enqueued while closing, started work ending.</summary>
            internal readonly ManualResetEventSlim Signal = new ManualResetEventSlim(false);

            /// <summary>Set once the close has finished (state Closed, events raised).</summary>
            internal readonly ManualResetEventSlim Finished = new ManualResetEventSlim(false);

            /// <summary>Whether the main thread finishes (or finished) the close; false once another thread claimed it. Written by the finisher before any report.</summary>
            internal volatile bool FinishedOnMainThread = true;

            /// <summary>Whether the closing thread has started step 3 (its Closing callbacks have returned).</summary>
            internal volatile bool QueueFailStarted;

            /// <summary>Set once the closing thread has failed the queued work (step 3, <see cref="FailQueuedWork"/>).</summary>
            internal readonly ManualResetEventSlim QueueFailed = new ManualResetEventSlim(false);

            /// <summary>Parts still to end before Closed fires: step 3 and <see cref="CompleteClose"/>; the last raises it.</summary>
            internal int PartsLeft = 2;
        }
    }
}
