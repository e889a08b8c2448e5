#nullable enable
using System;
using System.Collections.Generic;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class LoopDiagnostics
    {
        private const int RecentCloseCapacity = 16;

        /// <summary>The last closes of every loop (see <see cref="GetRecentCloses"/>); also its own lock.</summary>
        private static readonly Queue<LoopCloseRecord> RecentCloses = new Queue<LoopCloseRecord>();

        private static readonly WaitCallback RaiseCallback = state => ((PendingReport)state!).Raise();

        // Stall detection state, guarded by stallGate (checkers are off the hot paths: waiters, timer, CheckStalls).
        private readonly object stallGate = new object();

        /// <summary>The last time a checker saw the queue empty (or the host paused): a stall is measured from here or the last tick.</summary>
        private long lastSeenCalm;

        /// <summary>The tick count the last LoopNotTicking report was made at (-1: none): one report per stall.</summary>
        private long reportedAtTick = -1;

        private LoopStallReport? lastReport;
        private int reportCount;
        private LoopCloseRecord? lastClose;
        private Timer? watchdog;

        // Written by the Closing callback, read by the Closed handler (the close publishes between them).
        private long closeStart;
        private long failedBeforeClose;
        private int queuedAtClose;
        private int runningAtClose;

        /// <summary>
        /// Checks now whether the loop has had queued work and no tick for <see cref="StallThreshold"/>, and reports it
        /// once (<see cref="StallDetected"/>). Cheap; safe from any thread, including the loop's main thread (the Unity
        /// editor calls it from <c>EditorApplication.update</c>, which keeps running when the PlayerLoop does not).
        /// </summary>
        /// <returns>True when this call made a report.</returns>
        public bool CheckStalls()
        {
            var threshold = Interlocked.Read(ref stallThresholdTicks);
            if (threshold == 0)
            {
                return false;
            }

            LoopStallReport? report = null;
            var now = clock.NowTicks;
            lock (stallGate)
            {
                var depth = loop.QueueDepth;
                if (depth == 0 || !loop.IsOpen || IsHostPaused)
                {
                    lastSeenCalm = now;
                    return false;
                }

                var ticks = Volatile.Read(ref tickCount);
                if (ticks == reportedAtTick)
                {
                    return false; // this stall was reported; a tick re-arms it
                }

                var lastActivity = Math.Max(Volatile.Read(ref lastTickStart), Volatile.Read(ref lastTickEnd));
                var since = Math.Max(lastActivity, lastSeenCalm);
                if (now - since < threshold)
                {
                    return false;
                }

                reportedAtTick = ticks;
                report = new LoopStallReport(LoopStallKind.LoopNotTicking, name, loop.State, ActivityAt(now), depth,
                    TimeSpan.FromTicks(now - since), TimeSpan.FromTicks(Math.Max(0, now - lastActivity)), -1, null, null);
            }

            Raise(report);
            return true;
        }

        private LoopActivity ActivityAt(long now)
        {
            if (!loop.IsOpen)
            {
                return LoopActivity.Closed;
            }

            if (IsHostPaused)
            {
                return LoopActivity.Paused;
            }

            var threshold = Interlocked.Read(ref stallThresholdTicks);
            if (threshold == 0)
            {
                threshold = DefaultStallThreshold.Ticks;
            }

            var lastActivity = Math.Max(Volatile.Read(ref lastTickStart), Volatile.Read(ref lastTickEnd));
            return now - lastActivity >= threshold ? LoopActivity.Stalled : LoopActivity.Ticking;
        }

        /// <summary>Hook (LoopWorkItem.WaitForCompletion, before a thread blocks): starts watching one blocking wait.</summary>
        internal BlockedWait BeginBlockedWait(LoopWorkItem item)
        {
            var hang = Interlocked.Read(ref hangThresholdTicks);
            var stall = Interlocked.Read(ref stallThresholdTicks);
            if (hang == 0 && stall == 0)
            {
                return default;
            }

            var interval = (int)Math.Max(1, Interlocked.Read(ref checkIntervalTicks) / TimeSpan.TicksPerMillisecond);
            return new BlockedWait(this, item, clock.NowTicks, hang, interval);
        }

        /// <summary>One slice of a blocked wait: reports the waiter once past its threshold, and checks the loop for a stall.</summary>
        internal void OnWaiterSlice(LoopWorkItem item, long waitStart, long hangThreshold, ref bool reported)
        {
            var now = clock.NowTicks;
            if (!reported && hangThreshold > 0 && now - waitStart >= hangThreshold)
            {
                reported = true;
                var lastActivity = Math.Max(Volatile.Read(ref lastTickStart), Volatile.Read(ref lastTickEnd));
                Raise(new LoopStallReport(LoopStallKind.BlockedWaiter, name, loop.State, ActivityAt(now), loop.QueueDepth,
                    TimeSpan.FromTicks(now - waitStart), TimeSpan.FromTicks(Math.Max(0, now - lastActivity)),
                    Math.Max(0, Volatile.Read(ref tickCount) - item.SubmitTick), item.Describe(), item.CallSite));
            }

            CheckStalls();
        }

        /// <summary>Publishes a report and raises <see cref="StallDetected"/> on the thread pool (the caller may hold a lock).</summary>
        private void Raise(LoopStallReport report)
        {
            Volatile.Write(ref lastReport, report);
            Interlocked.Increment(ref reportCount);
            ThreadPool.UnsafeQueueUserWorkItem(RaiseCallback, new PendingReport(this, report));
        }

        private void Deliver(LoopStallReport report)
        {
            var handlers = StallDetected;
            if (handlers == null)
            {
                try
                {
                    Console.Error.WriteLine(report.Message);
                }
                catch (Exception)
                {
                    // Standard error is gone (a closed console): there is nowhere left to report to.
                }

                return;
            }

            foreach (var d in handlers.GetInvocationList())
            {
                try
                {
                    ((Action<LoopStallReport>)d)(report);
                }
                catch (Exception ex)
                {
                    loop.ReportUnhandled(ex);
                }
            }
        }

        private void UpdateWatchdog(long intervalTicks)
        {
            lock (stallGate)
            {
                watchdog?.Dispose();
                watchdog = null;
                if (intervalTicks > 0 && loop.IsOpen)
                {
                    var period = TimeSpan.FromTicks(intervalTicks);
                    watchdog = new Timer(OnWatchdog, this, period, period);
                }
            }
        }

        private static void OnWatchdog(object? state) => ((LoopDiagnostics)state!).CheckStalls();

        private void OnClosing()
        {
            var stats = loop.Statistics;
            Volatile.Write(ref closeStart, clock.NowTicks);
            Volatile.Write(ref failedBeforeClose, stats.FailedByClose);
            Volatile.Write(ref queuedAtClose, stats.QueueDepth);
            Volatile.Write(ref runningAtClose, stats.RunningAsync);
            lock (stallGate)
            {
                watchdog?.Dispose();
                watchdog = null;
            }
        }

        private void OnClosed(MainLoop closed, CloseReason reason)
        {
            var stats = loop.Statistics;
            var record = new LoopCloseRecord(name, reason, DateTime.UtcNow, TimeSpan.FromTicks(Math.Max(0, clock.NowTicks - Volatile.Read(ref closeStart))),
                Volatile.Read(ref queuedAtClose), Volatile.Read(ref runningAtClose), stats.FailedByClose - Volatile.Read(ref failedBeforeClose),
                stats.DroppedContinuations);
            Volatile.Write(ref lastClose, record);
            lock (RecentCloses)
            {
                if (RecentCloses.Count == RecentCloseCapacity)
                {
                    RecentCloses.Dequeue();
                }

                RecentCloses.Enqueue(record);
            }
        }

        private sealed class PendingReport
        {
            private readonly LoopDiagnostics owner;
            private readonly LoopStallReport report;

            internal PendingReport(LoopDiagnostics owner, LoopStallReport report)
            {
                this.owner = owner;
                this.report = report;
            }

            internal void Raise() => owner.Deliver(report);
        }
    }
}
