using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>What one throughput trial measured over its steady-state window.</summary>
    internal readonly struct ThroughputResult
    {
        public ThroughputResult(double itemsPerSecond, double bytesPerItem, long items)
        {
            ItemsPerSecond = itemsPerSecond;
            BytesPerItem = bytesPerItem;
            Items = items;
        }

        public double ItemsPerSecond { get; }
        public double BytesPerItem { get; }
        public long Items { get; }
    }

    /// <summary>
    /// Scenarios A and B, one trial: <c>producers</c> worker threads submit <c>x -> x + 1</c> as
    /// fast as they can, each keeping a window of <c>window</c> handles in flight and
    /// consuming the oldest (spin until completed, read and check its result) before submitting
    /// again; the main thread ticks the dispatcher in a tight loop. After a warm-up the trial
    /// measures a window of steady state: items checked per second (A) and bytes allocated per item
    /// by all threads, <c>GC.GetTotalAllocatedBytes(true)</c> delta (B). Threads are started before
    /// the window, so their own allocations are not counted. A tick that ran nothing yields the core
    /// (see <see cref="TickOrYield"/>).
    /// </summary>
    internal sealed class Throughput : IPeerVisitor<ThroughputResult>
    {
        /// <summary>The default handles in flight per producer.</summary>
        public const int Window = 256;

        private const int Stride = 16; // longs between two producers' counters: no false sharing
        private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

        private readonly int _producers;
        private readonly TimeSpan _warmup;
        private readonly TimeSpan _duration;
        private readonly int _window;

        /// <param name="window">Handles in flight per producer (a power of two).</param>
        public Throughput(int producers, TimeSpan warmup, TimeSpan duration, int window = Window)
        {
            if (window <= 0 || (window & (window - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(window), window, "a power of two");
            _window = window;
            _producers = producers;
            _warmup = warmup;
            _duration = duration;
        }

        private sealed class Shared
        {
            public readonly long[] Counters;
            public volatile bool Start;
            public volatile bool Stop;
            public volatile bool Abort;
            public int Done;
            public Exception? Error;
            public readonly long Deadline = Stopwatch.GetTimestamp() + (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);

            public Shared(int producers) => Counters = new long[(producers + 1) * Stride];

            public long Checked()
            {
                long sum = 0;
                for (int i = Stride; i < Counters.Length; i += Stride) sum += Volatile.Read(ref Counters[i]);
                return sum;
            }

            public void Fail(Exception e)
            {
                Interlocked.CompareExchange(ref Error, e, null);
                Abort = true;
            }
        }

        public ThroughputResult Visit<THandle>(Peer<THandle> peer)
        {
            var shared = new Shared(_producers);
            var threads = new Thread[_producers];
            for (int i = 0; i < _producers; i++)
            {
                int id = i + 1;
                threads[i] = new Thread(() => Produce(peer, shared, id, _window)) { IsBackground = true, Name = "producer " + id };
                threads[i].Start();
            }

            shared.Start = true;
            long freq = Stopwatch.Frequency;
            long t0 = Stopwatch.GetTimestamp();
            RunMainFor(peer, shared, t0 + (long)(_warmup.TotalSeconds * freq));
            // Warm-up also lasts until every producer has cycled its window a few times, so queues and pools have grown
            // to the steady depth before the measured window (with 16,384 in flight on a loaded machine, 50 ms is not enough).
            long steady = 4L * _window * _producers;
            while (shared.Checked() < steady && !shared.Abort)
            {
                RunMainFor(peer, shared, Stopwatch.GetTimestamp() + freq / 100);
            }

            long items0 = shared.Checked();
            long bytes0 = GC.GetTotalAllocatedBytes(true);
            long start = Stopwatch.GetTimestamp();
            RunMainFor(peer, shared, start + (long)(_duration.TotalSeconds * freq));
            long end = Stopwatch.GetTimestamp();
            long items1 = shared.Checked();
            long bytes1 = GC.GetTotalAllocatedBytes(true);

            shared.Stop = true;
            while (Volatile.Read(ref shared.Done) < _producers && !shared.Abort)
            {
                if (peer.FrameBased) TickOrYield(peer); else Thread.Sleep(1);
                CheckDeadline(shared);
            }
            foreach (var t in threads) t.Join();
            if (shared.Error != null)
            {
                throw new InvalidOperationException(peer.Name + ": throughput trial failed: " + shared.Error.Message, shared.Error);
            }

            long items = items1 - items0;
            double seconds = (end - start) / (double)freq;
            return new ThroughputResult(items / seconds, items == 0 ? double.NaN : (bytes1 - bytes0) / (double)items, items);
        }

        private static void RunMainFor<THandle>(Peer<THandle> peer, Shared shared, long until)
        {
            if (peer.FrameBased)
            {
                while (Stopwatch.GetTimestamp() < until && !shared.Abort)
                {
                    TickOrYield(peer);
                }
            }
            else
            {
                while (Stopwatch.GetTimestamp() < until && !shared.Abort)
                {
                    Thread.Sleep(1);
                }
            }
            CheckDeadline(shared);
        }

        /// <summary>
        /// One turn of the main thread's tight loop. A tick that found nothing yields the core: with
        /// more threads than cores (2 cores here, shared with other processes) a main thread that
        /// never yields would keep a producer on its core waiting for a whole time slice.
        /// </summary>
        internal static void TickOrYield(IPeer peer)
        {
            if (peer.Tick() == 0)
            {
                Thread.Yield();
            }
        }

        private static void CheckDeadline(Shared shared)
        {
            if (Stopwatch.GetTimestamp() > shared.Deadline)
            {
                shared.Fail(new TimeoutException("a throughput trial did not finish within " + HangLimit.TotalSeconds + " s"));
            }
        }

        private static void Produce<THandle>(Peer<THandle> peer, Shared shared, int id, int window)
        {
            try
            {
                var ring = new THandle[window];
                var fn = Harness.Work.AddOne;
                ref long counter = ref shared.Counters[id * Stride];
                Harness.Affinity.PinWorker(id - 1);
                long submitted = 0;
                long checkedCount = 0;
                while (!shared.Start) Thread.SpinWait(10);

                while (!shared.Stop && !shared.Abort)
                {
                    int slot = (int)(submitted & (window - 1));
                    if (submitted >= window)
                    {
                        if (!Consume(peer, shared, ref ring[slot], submitted - window)) return;
                        Volatile.Write(ref counter, ++checkedCount);
                    }
                    ring[slot] = peer.Submit(unchecked((int)submitted), fn);
                    submitted++;
                }
                for (long k = Math.Max(0, submitted - window); k < submitted && !shared.Abort; k++)
                {
                    if (!Consume(peer, shared, ref ring[(int)(k & (window - 1))], k)) return;
                    Volatile.Write(ref counter, ++checkedCount);
                }
            }
            catch (Exception e)
            {
                shared.Fail(e);
            }
            finally
            {
                Interlocked.Increment(ref shared.Done);
            }
        }

        private static bool Consume<THandle>(Peer<THandle> peer, Shared shared, ref THandle handle, long arg)
        {
            if (!peer.IsCompleted(handle))
            {
                var spin = new SpinWait();
                while (!peer.IsCompleted(handle))
                {
                    if (shared.Abort) return false;
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
            int result = peer.GetResult(handle);
            handle = default!;
            if (result != unchecked((int)arg + 1))
            {
                throw new InvalidOperationException($"wrong result {result} for argument {arg}");
            }
            return true;
        }
    }
}
