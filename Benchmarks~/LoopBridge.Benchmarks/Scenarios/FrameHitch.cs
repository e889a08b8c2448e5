using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Benchmarks.Harness;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>What one burst trial measured.</summary>
    internal readonly struct FrameHitchResult
    {
        public FrameHitchResult(double longestTickMs, double longestTickCpuMs, double tickP50Ms, double tickP95Ms, int ticks, double itemMicros, int outOfOrder)
        {
            TickP50Ms = tickP50Ms;
            TickP95Ms = tickP95Ms;
            LongestTickMs = longestTickMs;
            LongestTickCpuMs = longestTickCpuMs;
            Ticks = ticks;
            ItemMicros = itemMicros;
            OutOfOrder = outOfOrder;
        }

        /// <summary>The longest single <c>Tick()</c>, timed around the call.</summary>
        public double LongestTickMs { get; }

        /// <summary>The most main-thread CPU time one <c>Tick()</c> used (preemption left out); NaN where unsupported.</summary>
        public double LongestTickCpuMs { get; }

        /// <summary>Median and 95th percentile of the wall-clock tick durations of the trial.</summary>
        public double TickP50Ms { get; }
        public double TickP95Ms { get; }

        /// <summary>Ticks it took to drain the burst.</summary>
        public int Ticks { get; }

        /// <summary>Mean cost of one item (total tick time / items).</summary>
        public double ItemMicros { get; }

        /// <summary>Items that ran out of submission order.</summary>
        public int OutOfOrder { get; }
    }

    /// <summary>
    /// Scenario D, one trial: a worker queues a burst of items of about 1 µs each while nothing
    /// ticks; then the main thread ticks until every item has run, timing each tick by the wall
    /// clock and by the main thread's CPU time (which leaves out preemption). Every handle's
    /// result is checked afterwards and the items record the order they ran in.
    /// </summary>
    internal sealed class FrameHitch : IPeerVisitor<FrameHitchResult>
    {
        private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);
        private readonly int _items;

        public FrameHitch(int items) => _items = items;

        public FrameHitchResult Visit<THandle>(Peer<THandle> peer)
        {
            var handles = new THandle[_items];
            Work.ResetBurst();
            Exception? error = null;
            var producer = new Thread(() =>
            {
                try
                {
                    var fn = Work.BurstItem;
                    for (int i = 0; i < handles.Length; i++) handles[i] = peer.Submit(i, fn);
                }
                catch (Exception e)
                {
                    error = e;
                }
            }) { IsBackground = true, Name = "burst producer" };
            producer.Start();
            producer.Join();
            if (error != null) throw new InvalidOperationException(peer.Name + ": burst submission failed: " + error.Message, error);

            long longest = 0, total = 0, longestCpu = 0;
            var durations = new double[_items + 1];
            int ticks = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);
            while (Work.BurstRun < _items)
            {
                long c0 = ThreadCpuClock.NowNanoseconds();
                long t0 = Stopwatch.GetTimestamp();
                peer.Tick();
                long dt = Stopwatch.GetTimestamp() - t0;
                longestCpu = Math.Max(longestCpu, ThreadCpuClock.NowNanoseconds() - c0);
                longest = Math.Max(longest, dt);
                if (ticks < durations.Length) durations[ticks] = dt;
                total += dt;
                ticks++;
                if (t0 > deadline) throw new TimeoutException(peer.Name + ": the burst did not drain within " + HangLimit.TotalSeconds + " s");
            }

            for (int i = 0; i < handles.Length; i++)
            {
                if (!peer.IsCompleted(handles[i])) throw new InvalidOperationException($"{peer.Name}: handle {i} still pending after the burst ran");
                int r = peer.GetResult(handles[i]);
                if (r != i + 1) throw new InvalidOperationException($"{peer.Name}: wrong result {r} for item {i}");
                handles[i] = default!;
            }

            double ms = 1000.0 / Stopwatch.Frequency;
            var sorted = durations.AsSpan(0, Math.Min(ticks, durations.Length)).ToArray();
            Array.Sort(sorted);
            return new FrameHitchResult(longest * ms, ThreadCpuClock.IsSupported ? longestCpu / 1e6 : double.NaN,
                Stats.Percentile(sorted, 50) * ms, Stats.Percentile(sorted, 95) * ms, ticks, total * ms * 1000.0 / _items, Work.BurstOutOfOrder);
        }
    }
}
