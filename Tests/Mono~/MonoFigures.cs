using System;
using System.Diagnostics;
using System.Threading;

namespace LoopBridge.Tests.Mono
{
    /// <summary>
    /// By-hand figures on Mono (<c>mono [--gc=boehm] -O=-intrins LoopBridge.Tests.Runtime.exe perf</c>; never in CI,
    /// never asserted): allocation per submission and cross-thread round-trip percentiles, measured the way
    /// Benchmarks~ measures them on CoreCLR (round trip: one worker submits <c>x -&gt; x + 1</c> and blocks in
    /// <c>GetResult(timeout)</c>, the main thread ticks in a tight loop; 1,000 warm-up round trips, then 20,000 per
    /// trial, 5 trials).
    /// </summary>
    internal static class MonoFigures
    {
        const int AllocationItems = 10_000;
        const int WarmUp = 1_000;
        const int RoundTrips = 20_000;
        const int Trials = 5;
        static readonly Func<int, int> Increment = x => x + 1;

        internal static int Run()
        {
            var gc = Environment.GetEnvironmentVariable("MONO_ENV_OPTIONS") ?? "";
            Console.WriteLine($"runtime: Mono {MonoVersion()}  {Environment.ProcessorCount} cores  {(Headless.GC.ProbeCounter() ? "allocation counter: yes (SGen)" : "allocation counter: none (Boehm)")}  {gc}");
            MainThreadAllocation();
            CrossThreadAllocation();
            RoundTrip();
            return 0;
        }

        static string MonoVersion()
        {
            var display = Type.GetType("Mono.Runtime")?.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
            return display?.Invoke(null, null) as string ?? "(unknown)";
        }

        /// <summary>Run(state) + Tick + GetResult on the main thread: bytes per item on this thread.</summary>
        static void MainThreadAllocation()
        {
            using var loop = new MainLoop();
            long Measure()
            {
                var before = System.GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < AllocationItems; i++)
                {
                    var h = loop.Run(i, Increment);
                    loop.Tick();
                    h.GetResult(TimeSpan.Zero);
                }
                return System.GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Measure(); // warm-up: pools, queue, JIT
            var bytes = Measure();
            Console.WriteLine(Headless.GC.ProbeCounter()
                ? $"main thread  Run+Tick+GetResult: {bytes} B over {AllocationItems} items = {(double)bytes / AllocationItems:0.###} B/item"
                : "main thread  Run+Tick+GetResult: n/a (no allocation counter under Boehm)");
        }

        /// <summary>A worker submits and blocks, the main thread ticks: bytes per item on both threads.</summary>
        static void CrossThreadAllocation()
        {
            if (!Headless.GC.ProbeCounter())
            {
                Console.WriteLine("cross-thread Run+GetResult(timeout): n/a (no allocation counter under Boehm)");
                return;
            }
            using var loop = new MainLoop();
            long workerBytes = 0;
            var round = 0;
            var done = 0;
            var worker = new Thread(() =>
            {
                for (var r = 1; r <= 2; r++)
                {
                    while (Volatile.Read(ref round) < r)
                        Thread.Yield();
                    var before = System.GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < AllocationItems; i++)
                        loop.Run(i, Increment).GetResult(TimeSpan.FromSeconds(30));
                    workerBytes = System.GC.GetAllocatedBytesForCurrentThread() - before;
                    Volatile.Write(ref done, r);
                }
            }) { IsBackground = true };
            worker.Start();
            long mainBytes = 0;
            for (var r = 1; r <= 2; r++) // round 1 warms up
            {
                var before = System.GC.GetAllocatedBytesForCurrentThread();
                Volatile.Write(ref round, r);
                while (Volatile.Read(ref done) < r)
                    loop.Tick();
                mainBytes = System.GC.GetAllocatedBytesForCurrentThread() - before;
            }
            worker.Join();
            Console.WriteLine($"cross-thread Run+GetResult(timeout): worker {workerBytes} B + main {mainBytes} B over {AllocationItems} items = {(double)(workerBytes + mainBytes) / AllocationItems:0.###} B/item");
        }

        static void RoundTrip()
        {
            using var loop = new MainLoop();
            var samples = new long[RoundTrips];
            var p50s = new double[Trials];
            var p99s = new double[Trials];
            var started = 0;
            var finished = 0;
            var worker = new Thread(() =>
            {
                for (var i = 0; i < WarmUp; i++)
                    loop.Run(i, Increment).GetResult(TimeSpan.FromSeconds(30));
                for (var t = 0; t < Trials; t++)
                {
                    Volatile.Write(ref started, t + 1);
                    for (var i = 0; i < RoundTrips; i++)
                    {
                        var begin = Stopwatch.GetTimestamp();
                        loop.Run(i, Increment).GetResult(TimeSpan.FromSeconds(30));
                        samples[i] = Stopwatch.GetTimestamp() - begin;
                    }
                    Array.Sort(samples);
                    p50s[t] = Micros(samples[RoundTrips / 2]);
                    p99s[t] = Micros(samples[RoundTrips * 99 / 100]);
                }
                Volatile.Write(ref finished, 1);
            }) { IsBackground = true };
            worker.Start();
            while (Volatile.Read(ref finished) == 0)
                loop.Tick();
            worker.Join();
            Array.Sort(p50s);
            Array.Sort(p99s);
            Console.WriteLine($"round trip (worker Run + GetResult, main ticks in a tight loop), {Trials} trials x {RoundTrips}: " +
                              $"p50 median {p50s[Trials / 2]:0.0} us (min {p50s[0]:0.0}, max {p50s[Trials - 1]:0.0}); " +
                              $"p99 median {p99s[Trials / 2]:0.0} us (min {p99s[0]:0.0}, max {p99s[Trials - 1]:0.0})");
        }

        static double Micros(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;
    }
}
