using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>What one burst (one round of a <see cref="Burst"/> trial) measured.</summary>
    internal readonly struct BurstRound
    {
        public BurstRound(double itemsPerSecond, double bytesPerItem, int gen0, int gen1, int gen2)
        {
            ItemsPerSecond = itemsPerSecond;
            BytesPerItem = bytesPerItem;
            Gen0 = gen0;
            Gen1 = gen1;
            Gen2 = gen2;
        }

        public double ItemsPerSecond { get; }
        public double BytesPerItem { get; }
        public int Gen0 { get; }
        public int Gen1 { get; }
        public int Gen2 { get; }
    }

    /// <summary>
    /// Scenario F, one trial: the loading-screen case. <c>producers</c> threads share a burst of
    /// <c>total</c> submissions of <c>x -> x + 1</c>; each submits its whole share before it reads
    /// any result, then consumes its handles oldest first with the pattern's blocking wait
    /// (<see cref="Peer{THandle}.WaitResult"/>). The main thread ticks in a tight loop all along.
    /// So at the peak every handle of the burst is outstanding at once. The same dispatcher runs
    /// <c>rounds</c> bursts in a row: the first pays for filling pools and growing queues, the later
    /// ones show the steady cost of a game that bursts again. Per round: items per second (from the
    /// start signal to the last result checked), bytes allocated per item by all threads
    /// (<c>GC.GetTotalAllocatedBytes(true)</c>) and the collections of each generation.
    /// </summary>
    internal sealed class Burst : IPeerVisitor<BurstRound[]>
    {
        private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(120);

        private readonly int _producers;
        private readonly int _total;
        private readonly int _rounds;

        public Burst(int producers, int total, int rounds)
        {
            _producers = producers;
            _total = total;
            _rounds = rounds;
        }

        public BurstRound[] Visit<THandle>(Peer<THandle> peer)
        {
            int share = _total / _producers;
            int round = -1;    // written by the main thread: the round producers may start
            int done = 0;      // producers finished, over all rounds
            Exception? error = null;
            var threads = new Thread[_producers];
            for (int p = 0; p < _producers; p++)
            {
                int id = p;
                threads[p] = new Thread(() =>
                {
                    try
                    {
                        Harness.Affinity.PinWorker(id);
                        var handles = new THandle[share];
                        var fn = Harness.Work.AddOne;
                        for (int r = 0; r < _rounds; r++)
                        {
                            var spin = new SpinWait();
                            while (Volatile.Read(ref round) < r) spin.SpinOnce(sleep1Threshold: -1);
                            for (int i = 0; i < share; i++)
                            {
                                handles[i] = peer.Submit(i, fn);
                            }
                            for (int i = 0; i < share; i++)
                            {
                                int v = peer.WaitResult(handles[i], WaitLimit);
                                handles[i] = default!;
                                if (v != i + 1) throw new InvalidOperationException($"wrong result {v} for argument {i}");
                            }
                            Interlocked.Increment(ref done);
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref error, e, null);
                        Interlocked.Add(ref done, _rounds * _producers); // unblocks the main thread
                    }
                }) { IsBackground = true, Name = "burst producer " + (id + 1) };
                threads[p].Start();
            }

            var results = new BurstRound[_rounds];
            long deadline = Stopwatch.GetTimestamp() + (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);
            for (int r = 0; r < _rounds && error == null; r++)
            {
                int target = (r + 1) * _producers;
                int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
                long bytes0 = GC.GetTotalAllocatedBytes(true);
                long t0 = Stopwatch.GetTimestamp();
                Volatile.Write(ref round, r);
                while (Volatile.Read(ref done) < target)
                {
                    if (peer.FrameBased) Throughput.TickOrYield(peer); else Thread.Sleep(1);
                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        Interlocked.CompareExchange(ref error, new TimeoutException($"a burst did not finish within {HangLimit.TotalSeconds} s"), null);
                        break;
                    }
                }
                long t1 = Stopwatch.GetTimestamp();
                long bytes1 = GC.GetTotalAllocatedBytes(true);
                results[r] = new BurstRound(share * (double)_producers / ((t1 - t0) / (double)Stopwatch.Frequency),
                    (bytes1 - bytes0) / (share * (double)_producers),
                    GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
            }
            if (error != null)
            {
                Volatile.Write(ref round, int.MaxValue);
                throw new InvalidOperationException(peer.Name + ": burst trial failed: " + error.Message, error);
            }
            foreach (var t in threads) t.Join();
            return results;
        }
    }
}
