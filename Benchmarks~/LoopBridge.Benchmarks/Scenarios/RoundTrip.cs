using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>Latency percentiles of one round-trip trial, in microseconds.</summary>
    internal readonly struct RoundTripResult
    {
        public RoundTripResult(double p50, double p99, double max)
        {
            P50 = p50;
            P99 = p99;
            Max = max;
        }

        public double P50 { get; }
        public double P99 { get; }
        public double Max { get; }
    }

    /// <summary>
    /// Scenario C, one trial: one worker submits <c>x -> x + 1</c> and blocks for the result the
    /// way the pattern's users block (<see cref="Peer{THandle}.WaitResult"/>), <c>count</c> times
    /// in a row after a warm-up; the main thread ticks in a tight loop. Each round trip is timed
    /// from before the submission to after the result was read.
    /// </summary>
    internal sealed class RoundTrip : IPeerVisitor<RoundTripResult>
    {
        private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
        private readonly int _count;
        private readonly int _warmup;

        public RoundTrip(int count, int warmup)
        {
            _count = count;
            _warmup = warmup;
        }

        public RoundTripResult Visit<THandle>(Peer<THandle> peer)
        {
            var samples = new double[_count];
            Exception? error = null;
            int done = 0;
            var worker = new Thread(() =>
            {
                try
                {
                    Harness.Affinity.PinWorker(0);
                    var fn = Harness.Work.AddOne;
                    double toMicros = 1_000_000.0 / Stopwatch.Frequency;
                    for (int i = -_warmup; i < _count; i++)
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        var handle = peer.Submit(i, fn);
                        int r = peer.WaitResult(handle, WaitLimit);
                        long t1 = Stopwatch.GetTimestamp();
                        if (r != i + 1) throw new InvalidOperationException($"wrong result {r} for argument {i}");
                        if (i >= 0) samples[i] = (t1 - t0) * toMicros;
                    }
                }
                catch (Exception e)
                {
                    error = e;
                }
                finally
                {
                    Volatile.Write(ref done, 1);
                }
            }) { IsBackground = true, Name = "round-trip worker" };
            worker.Start();

            while (Volatile.Read(ref done) == 0)
            {
                Throughput.TickOrYield(peer);
            }
            worker.Join();
            if (error != null)
            {
                throw new InvalidOperationException(peer.Name + ": round-trip trial failed: " + error.Message, error);
            }
            Array.Sort(samples);
            return new RoundTripResult(Harness.Stats.Percentile(samples, 50), Harness.Stats.Percentile(samples, 99), samples[^1]);
        }
    }
}
