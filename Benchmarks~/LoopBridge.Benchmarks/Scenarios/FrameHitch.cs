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
        public FrameHitchResult(double longestTickMs, int ticks, double itemMicros, int outOfOrder)
        {
            LongestTickMs = longestTickMs;
            Ticks = ticks;
            ItemMicros = itemMicros;
            OutOfOrder = outOfOrder;
        }

        /// <summary>The longest single <c>Tick()</c>, timed around the call.</summary>
        public double LongestTickMs { get; }

        /// <summary>Ticks it took to drain the burst.</summary>
        public int Ticks { get; }

        /// <summary>Mean cost of one item (total tick time / items).</summary>
        public double ItemMicros { get; }

        /// <summary>Items that ran out of submission order.</summary>
        public int OutOfOrder { get; }
    }

    /// <summary>
    /// Scenario D, one trial: a worker queues a burst of items of about 1 µs each while nothing
    /// ticks; then the main thread ticks until every item has run, timing each tick. Every handle's
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

            long longest = 0, total = 0;
            int ticks = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);
            while (Work.BurstRun < _items)
            {
                long t0 = Stopwatch.GetTimestamp();
                peer.Tick();
                long dt = Stopwatch.GetTimestamp() - t0;
                longest = Math.Max(longest, dt);
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
            return new FrameHitchResult(longest * ms, ticks, total * ms * 1000.0 / _items, Work.BurstOutOfOrder);
        }
    }
}
