using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using LoopBridge.Benchmarks.Harness;
using LoopBridge.Internal;

namespace LoopBridge.Benchmarks.Micro
{
    /// <summary>
    /// <c>--pool-hot-path</c>: the pool's thread-cache path alone, the current <see cref="ItemPool{T}"/> against a copy of
    /// the fixed-cap pool it replaced (a 16-object thread cache over a capped ConcurrentQueue), in one process,
    /// interleaved round by round. Per round, one thread does 10,000,000 Rent+Return pairs (what a submission and its
    /// consumption cost the pool on one thread); ns per pair. Writes results/experiment-pool-hot-path.md.
    /// </summary>
    internal static class PoolHotPath
    {
        private const int Pairs = 10_000_000;

        public static int Run(string folder)
        {
            var sb = new StringBuilder();
            sb.AppendLine("# Pool hot path: adaptive (magazines) vs the fixed-cap pool it replaced");
            sb.AppendLine();
            sb.AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Machine.Describe()}; runtime: {Machine.Runtime()}; load average before: {Machine.LoadAverage()}");
            sb.AppendLine("- command: `dotnet run -c Release --project Benchmarks~/LoopBridge.Benchmarks -- --pool-hot-path`");
            sb.AppendLine($"- one thread, {Pairs:N0} Rent+Return pairs per round, rounds interleaved; ns per pair. Lower is better.");
            sb.AppendLine();
            sb.AppendLine("| round | adaptive ItemPool (ns/pair) | fixed-cap pool (ns/pair) |");
            sb.AppendLine("|---:|---:|---:|");
            for (int round = 0; round <= 7; round++)
            {
                double a = Time(() => { var x = ItemPool<Thing>.Rent(); ItemPool<Thing>.Return(x); });
                double b = Time(() => { var x = FixedCapPool<Thing>.Rent(); FixedCapPool<Thing>.Return(x); });
                if (round == 0) continue; // warm-up
                string line = $"| {round} | {a.ToString("0.00", CultureInfo.InvariantCulture)} | {b.ToString("0.00", CultureInfo.InvariantCulture)} |";
                Console.WriteLine(line);
                sb.AppendLine(line);
            }
            File.WriteAllText(Path.Combine(folder, "experiment-pool-hot-path.md"), sb.ToString(), new UTF8Encoding(false));
            return 0;
        }

        private static double Time(Action pair)
        {
            // The delegate call is the same for both pools; what differs is what it calls.
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < Pairs; i++) pair();
            return sw.Elapsed.TotalMilliseconds * 1e6 / Pairs;
        }

        private sealed class Thing
        {
        }

        /// <summary>A copy of the pool before issue 16 (commit 3083eae), for comparison only.</summary>
        private static class FixedCapPool<T> where T : class, new()
        {
            private const int MaxRetained = 16384;
            private const int ThreadCacheSize = 16;
            [ThreadStatic] private static Cache? threadCache;
            private static readonly ConcurrentQueue<T> Shared = new ConcurrentQueue<T>();
            private static int sharedCount;

            public static T Rent()
            {
                var cache = threadCache ??= new Cache();
                if (cache.Count > 0)
                {
                    var index = --cache.Count;
                    var local = cache.Items[index]!;
                    cache.Items[index] = null;
                    return local;
                }
                if (Shared.TryDequeue(out var item))
                {
                    Interlocked.Decrement(ref sharedCount);
                    return item;
                }
                return new T();
            }

            public static void Return(T item)
            {
                var cache = threadCache;
                if (cache != null && cache.Count < ThreadCacheSize)
                {
                    cache.Items[cache.Count++] = item;
                    return;
                }
                if (Interlocked.Increment(ref sharedCount) <= MaxRetained) Shared.Enqueue(item);
                else Interlocked.Decrement(ref sharedCount);
            }

            private sealed class Cache
            {
                internal readonly T?[] Items = new T?[ThreadCacheSize];
                internal int Count;
            }
        }
    }
}
