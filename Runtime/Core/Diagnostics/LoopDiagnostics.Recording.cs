#nullable enable
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class LoopDiagnostics
    {
        /// <summary>The time stamp of an entry queued without <see cref="DetailedTiming"/>.</summary>
        internal const long NotTimed = long.MinValue;

        // ---- written by the main thread only (the tick), read by any thread ---------------------------------------
        // Each is published with Volatile.Write (single writer: a plain read-modify-write is enough) and read with
        // Volatile.Read. The per-tick group below is also covered by `version` (a sequence lock): odd while OnTickEnd
        // writes it, so a reader can take a consistent cut without a lock.

        /// <summary>Ticks started. Read by producers for their stamp (a stale value only makes an age one tick longer).</summary>
        private long tickCount;

        /// <summary>The sequence lock of the per-tick group: even when stable, odd while OnTickEnd writes.</summary>
        private int version;

        // The per-tick group.
        private long lastTickStart;
        private long lastTickEnd;
        private long lastTickDuration;
        private long longestTick;
        private long ticksOverBudget;
        private long lastBudget;
        private int itemsLastTick;
        private int mostItemsInATick;
        private long oldestTick;
        private long oldestTime;
        private long ticksRecorded;
        private readonly int[] depthHistory = new int[HistoryLength];
        private readonly int[] itemsHistory = new int[HistoryLength];
        private readonly long[] durationHistory = new long[HistoryLength];
        private readonly long[] waitTicksHistory = new long[HistoryLength];
        private readonly long[] waitMicrosHistory = new long[HistoryLength];
        private readonly long[] tickStartHistory = new long[HistoryLength];

        // Per entry run (outside the sequence lock: may run ahead of the per-tick group by the tick in progress).
        private readonly long[] tickBuckets = new long[LoopLatencyBuckets.Count];
        private readonly long[] microBuckets = new long[LoopLatencyBuckets.Count];
        private long longestWaitTicks;
        private long longestWaitMicros;

        // Main-thread scratch of the tick in progress (never read elsewhere).
        private bool detailedThisTick;
        private long lastTakenTick;
        private long lastTakenTime;
        private long tickWaitMaxTicks;
        private long tickWaitMaxMicros;

        /// <summary>
        /// Hook (MainLoop.EnqueueEntry, before the enqueue): stamps an entry with the tick number, and with the time when
        /// <see cref="DetailedTiming"/> is on. Any thread; the whole per-submission cost of the diagnostics.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void OnEnqueue(QueueEntry entry)
        {
            entry.SubmitTick = Volatile.Read(ref tickCount);
            entry.SubmitTime = Volatile.Read(ref detailedTiming) == 0 ? NotTimed : clock.NowTicks;
        }

        /// <summary>Hook (MainLoop.Tick, once the tick really starts): counts the tick. Main thread.</summary>
        /// <param name="start">The clock reading the tick took as its start.</param>
        internal void OnTickStart(long start)
        {
            var n = tickCount + 1;
            tickStartHistory[(int)(n % HistoryLength)] = start;
            Volatile.Write(ref lastTickStart, start);
            Volatile.Write(ref tickCount, n);
            detailedThisTick = Volatile.Read(ref detailedTiming) != 0;
            lastTakenTick = -1;
            tickWaitMaxTicks = 0;
            tickWaitMaxMicros = 0;
        }

        /// <summary>Hook (MainLoop.Tick, just before an entry is executed): records how long it waited. Main thread.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void OnRun(QueueEntry entry)
        {
            var waited = tickCount - entry.SubmitTick;
            var b = LoopLatencyBuckets.OfTicks(waited);
            Volatile.Write(ref tickBuckets[b], tickBuckets[b] + 1);
            if (waited > tickWaitMaxTicks)
            {
                tickWaitMaxTicks = waited;
                if (waited > longestWaitTicks)
                {
                    Volatile.Write(ref longestWaitTicks, waited);
                }
            }

            lastTakenTick = entry.SubmitTick;
            lastTakenTime = entry.SubmitTime;
            if (detailedThisTick && entry.SubmitTime != NotTimed)
            {
                RecordMicros(entry.SubmitTime);
            }
        }

        private void RecordMicros(long submitTime)
        {
            var micros = Math.Max(0, (clock.NowTicks - submitTime) / 10);
            var m = LoopLatencyBuckets.OfMicroseconds(micros);
            Volatile.Write(ref microBuckets[m], microBuckets[m] + 1);
            if (micros > longestWaitMicros)
            {
                Volatile.Write(ref longestWaitMicros, micros);
            }

            if (micros > tickWaitMaxMicros)
            {
                tickWaitMaxMicros = micros;
            }
        }

        /// <summary>Hook (MainLoop.Tick, after the tick's statistics, before a deferred close is finished). Main thread.</summary>
        /// <param name="taken">Entries the tick ran.</param>
        /// <param name="elapsed">The tick's duration, in clock ticks.</param>
        /// <param name="exhausted">Whether the tick stopped on its budget or item cap with its snapshot not drained.</param>
        /// <param name="depth">The queue depth after the tick (read once by the tick, also for its TickResult).</param>
        internal void OnTickEnd(int taken, long elapsed, bool exhausted, int depth)
        {
            var n = tickCount;
            var end = lastTickStart + elapsed;
            var budget = loop.TickBudget.Ticks;
            var slot = (int)(n % HistoryLength);

            // Where the oldest queued entry can be: drained to the snapshot's end, everything left was queued during this
            // tick; stopped early, the next entry was queued no earlier than the last one taken (the queue is FIFO).
            long boundTick, boundTime;
            if (exhausted && lastTakenTick >= 0)
            {
                boundTick = lastTakenTick;
                boundTime = lastTakenTime != NotTimed ? lastTakenTime : TickStartTime(lastTakenTick, n);
            }
            else
            {
                boundTick = n;
                boundTime = lastTickStart;
            }

            Volatile.Write(ref version, version + 1);
            Volatile.Write(ref lastTickEnd, end);
            Volatile.Write(ref lastTickDuration, elapsed);
            if (elapsed > longestTick)
            {
                Volatile.Write(ref longestTick, elapsed);
            }

            if (budget > 0 && elapsed > budget)
            {
                Volatile.Write(ref ticksOverBudget, ticksOverBudget + 1);
            }

            Volatile.Write(ref lastBudget, budget);
            Volatile.Write(ref itemsLastTick, taken);
            if (taken > mostItemsInATick)
            {
                Volatile.Write(ref mostItemsInATick, taken);
            }

            Volatile.Write(ref oldestTick, boundTick);
            Volatile.Write(ref oldestTime, boundTime);
            Volatile.Write(ref depthHistory[slot], depth);
            Volatile.Write(ref itemsHistory[slot], taken);
            Volatile.Write(ref durationHistory[slot], elapsed);
            Volatile.Write(ref waitTicksHistory[slot], tickWaitMaxTicks);
            Volatile.Write(ref waitMicrosHistory[slot], tickWaitMaxMicros);
            Volatile.Write(ref ticksRecorded, ticksRecorded + 1);
            Volatile.Write(ref version, version + 1);

            var observers = TickCompleted;
            if (observers != null)
            {
                try
                {
                    observers(this);
                }
                catch (Exception ex)
                {
                    loop.ReportUnhandled(ex);
                }
            }
        }

        private long TickStartTime(long tick, long now)
        {
            // The ring holds the last HistoryLength starts; older ones are approximated by the oldest kept (a lower bound of the age).
            var t = Math.Max(tick, now - HistoryLength + 1);
            return Volatile.Read(ref tickStartHistory[(int)(t % HistoryLength)]);
        }

        private void Fill(LoopDiagnosticsSnapshot s)
        {
            var now = clock.NowTicks;
            s.LoopName = name;
            s.State = loop.State;
            s.ClosedBecause = loop.ClosedBecause;
            s.Activity = ActivityAt(now);
            s.Statistics = loop.Statistics;
            s.QueueDepth = s.Statistics.QueueDepth;
            s.DetailedTiming = DetailedTiming;
            s.LastClose = LastClose;
            s.LastReport = LastReport;
            s.ReportCount = ReportCount;

            var consistent = false;
            for (var attempt = 0; attempt < 8 && !consistent; attempt++)
            {
                var before = Volatile.Read(ref version);
                if ((before & 1) != 0)
                {
                    Thread.Yield();
                    continue;
                }

                s.CurrentTick = Volatile.Read(ref tickCount);
                var end = Volatile.Read(ref lastTickEnd);
                var start = Volatile.Read(ref lastTickStart);
                s.TimeSinceLastTick = TimeSpan.FromTicks(Math.Max(0, now - Math.Max(end, start)));
                s.LastTickDuration = TimeSpan.FromTicks(Volatile.Read(ref lastTickDuration));
                s.LongestTick = TimeSpan.FromTicks(Volatile.Read(ref longestTick));
                s.TicksOverBudget = Volatile.Read(ref ticksOverBudget);
                s.TickBudget = TimeSpan.FromTicks(Volatile.Read(ref lastBudget));
                s.ItemsLastTick = Volatile.Read(ref itemsLastTick);
                s.MostItemsInATick = Volatile.Read(ref mostItemsInATick);
                var bTick = Volatile.Read(ref oldestTick);
                var bTime = Volatile.Read(ref oldestTime);
                var recorded = Volatile.Read(ref ticksRecorded);
                var count = (int)Math.Min(recorded, HistoryLength);
                s.HistoryCount = count;
                for (var i = 0; i < count; i++)
                {
                    // Oldest first. Ticks are numbered from 1 and finish in order, so the last finished one is number
                    // `recorded` (a tick in progress has not written its slot yet).
                    var slot = (int)((recorded - count + 1 + i) % HistoryLength);
                    s.DepthHistory[i] = Volatile.Read(ref depthHistory[slot]);
                    s.ItemsHistory[i] = Volatile.Read(ref itemsHistory[slot]);
                    s.TickDurationHistory[i] = Volatile.Read(ref durationHistory[slot]);
                    s.LongestWaitTicksHistory[i] = Volatile.Read(ref waitTicksHistory[slot]);
                    s.LongestWaitMicrosecondsHistory[i] = Volatile.Read(ref waitMicrosHistory[slot]);
                }

                consistent = Volatile.Read(ref version) == before;
                s.OldestQueuedAgeTicks = s.QueueDepth == 0 ? 0 : Math.Max(0, s.CurrentTick - bTick);
                s.OldestQueuedAge = s.QueueDepth == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, now - bTime));
            }

            s.IsConsistent = consistent;
            for (var i = 0; i < LoopLatencyBuckets.Count; i++)
            {
                s.LatencyTickCounts[i] = Volatile.Read(ref tickBuckets[i]);
                s.LatencyMicrosecondCounts[i] = Volatile.Read(ref microBuckets[i]);
            }

            s.LongestWaitTicks = Volatile.Read(ref longestWaitTicks);
            s.LongestWait = TimeSpan.FromTicks(Volatile.Read(ref longestWaitMicros) * 10);
        }
    }
}
