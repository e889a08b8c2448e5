using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// One run of the demo: starts the runner and the producers, prints live statistics from the console thread,
    /// closes the loop with work in flight, stops the producers and prints the exactly-once account.
    /// </summary>
    public sealed class DemoSession
    {
        static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

        readonly DemoOptions options;
        readonly TextWriter output;
        readonly bool interactive;
        int lastLineLength;

        /// <summary>Creates a session; <paramref name="interactive"/> refreshes the statistics line in place.</summary>
        public DemoSession(DemoOptions options, TextWriter output, bool interactive)
        {
            this.options = options;
            this.output = output;
            this.interactive = interactive;
        }

        /// <summary>Runs the session on the calling thread; returns whether the account balanced.</summary>
        public bool Run()
        {
            var budget = TimeSpan.FromMilliseconds(options.BudgetMs);
            using var runner = new HeadlessRunner(new HeadlessRunnerOptions
            {
                FrameRate = options.Hz,
                LoopOptions = new MainLoopOptions { Name = "headless demo", TickBudget = budget },
            });
            var world = new World(runner, budget, interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(1));
            var jobs = new JobProducer(runner, world, options.Producers);
            var udp = new UdpProducer(runner, world, options.Seconds);
            var files = new FileWatcherProducer(runner, world);
            var blocking = new BlockingWorker(runner, world);
            var async = new AsyncProducer(runner, world);
            var producers = new IProducer[] { jobs, udp, files, blocking, async };
            var burst = new HandleLedger("burst");

            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "LoopBridge headless demo: {0:0.##} Hz for {1:0.##} s, tick budget {2}, {3} job producers{4}; Ctrl+C closes early",
                options.Hz, options.Seconds, options.BudgetMs > 0 ? options.BudgetMs.ToString("0.##", CultureInfo.InvariantCulture) + " ms" : "unlimited",
                options.Producers, options.Burst > 0 ? $", a burst of {options.Burst} items" : string.Empty));

            runner.Start();
            foreach (var producer in producers)
            {
                producer.Start();
            }

            var clock = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(options.Seconds);
            var burstAt = TimeSpan.FromSeconds(options.Seconds / 3);
            bool burstSent = options.Burst == 0;
            while (!runner.IsFinished && clock.Elapsed < deadline)
            {
                if (!burstSent && clock.Elapsed >= burstAt)
                {
                    SubmitBurst(runner, world, burst);
                    burstSent = true;
                }

                var wait = Min(deadline - clock.Elapsed, burstSent ? TimeSpan.FromMilliseconds(100) : Min(burstAt - clock.Elapsed, TimeSpan.FromMilliseconds(100)));
                if (wait > TimeSpan.Zero && world.SampleReady.Wait(wait) && world.Latest is LiveStats sample)
                {
                    PrintLive(sample, runner, producers, burst, budget);
                }
            }

            if (interactive && lastLineLength > 0)
            {
                output.WriteLine();
            }

            // Close with work in flight: whatever is queued, the async walks mid-way and the worker's blocked read.
            bool closedEarly = runner.IsFinished;
            int queued = runner.Loop.QueueDepth;
            int walking = async.InFlight;
            bool workerBlocked = blocking.IsBlocked;
            runner.Stop();
            bool runnerJoined = runner.Join(JoinTimeout);
            output.WriteLine(closedEarly
                ? string.Format(CultureInfo.InvariantCulture,
                    "the loop was closed early ({0}: Ctrl+C) after {1} frames in {2:0.00} s",
                    runner.Loop.ClosedBecause, runner.FrameCount, clock.Elapsed.TotalSeconds)
                : string.Format(CultureInfo.InvariantCulture,
                    "closed the loop ({0}) after {1} frames in {2:0.00} s with work in flight: {3} queued, {4} async walks mid-way, worker {5}",
                    runner.Loop.ClosedBecause?.ToString() ?? "not closed", runner.FrameCount, clock.Elapsed.TotalSeconds, queued, walking,
                    workerBlocked ? "blocked in GetResult" : "between reads"));

            // The producers keep submitting until told to stop: those late submissions fail at once, never queued.
            var stuck = new List<string>();
            foreach (var producer in producers)
            {
                if (!producer.StopAndJoin(JoinTimeout))
                {
                    stuck.Add(producer.GetType().Name);
                }
            }

            var ledgers = producers.SelectMany(p => p.Ledgers).Concat(options.Burst > 0 ? new[] { burst } : Array.Empty<HandleLedger>()).ToArray();
            bool settled = WaitSettled(ledgers, JoinTimeout);
            bool balanced = PrintAccount(ledgers, out long[] totals);
            PrintSummary(runner, world, producers, budget);
            bool countersAgree = CheckLoopCounters(runner.Loop.Statistics, totals);

            bool ok = balanced && countersAgree;
            if (!runnerJoined)
            {
                output.WriteLine("FAILED: the runner did not finish closing the loop within " + JoinTimeout.TotalSeconds + " s");
                ok = false;
            }
            else if (runner.Completion.IsFaulted)
            {
                output.WriteLine("FAILED: the runner stopped on an exception: " + runner.Completion.Exception!.GetBaseException());
                ok = false;
            }

            if (stuck.Count > 0)
            {
                output.WriteLine("FAILED: producers still running after " + JoinTimeout.TotalSeconds + " s: " + string.Join(", ", stuck));
                ok = false;
            }

            if (!settled)
            {
                output.WriteLine("FAILED: some handles never completed (see 'missing')");
            }

            output.WriteLine(ok
                ? "account balanced: every handle completed exactly once (submitted = ran + faulted + cancelled + failed-by-close)"
                : "account NOT balanced");
            return ok;
        }

        void SubmitBurst(HeadlessRunner runner, World world, HandleLedger burst)
        {
            world.ExpectBurst(options.Burst);
            Action<Stamp> spawn = world.SpawnParticle;
            var loop = runner.Loop;
            for (int i = 0; i < options.Burst; i++)
            {
                int id = burst.Register();
                burst.Track(id, loop.Run(Stamp.Now(runner), spawn));
            }

            if (interactive && lastLineLength > 0)
            {
                output.WriteLine();
                lastLineLength = 0;
            }

            output.WriteLine($"burst: queued {options.Burst} items at once at frame {runner.FrameCount}");
        }

        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        static bool WaitSettled(HandleLedger[] ledgers, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            var spin = new SpinWait();
            while (ledgers.Any(l => l.Completions < l.Submitted))
            {
                if (clock.Elapsed > timeout)
                {
                    return false;
                }

                spin.SpinOnce();
            }

            return true;
        }

        void PrintLive(LiveStats sample, HeadlessRunner runner, IProducer[] producers, HandleLedger burst, TimeSpan budget)
        {
            long submitted = burst.Submitted, completed = burst.Completions;
            foreach (var ledger in producers.SelectMany(p => p.Ledgers))
            {
                submitted += ledger.Submitted;
                completed += ledger.Completions;
            }

            string line = string.Format(CultureInfo.InvariantCulture,
                "{0,5:0.0} s  frames {1,5}  fps {2,5:0.0}  submitted {3,6}  completed {4,6}  queue {5,5}  latency p50 {6} fr {7:0.0} ms  p99 {8} fr {9:0.0} ms  longest tick {10:0.0} ms / {11}",
                sample.Seconds, sample.Frames, sample.Fps, submitted, completed, runner.Loop.QueueDepth,
                sample.P50Frames, sample.P50Ms, sample.P99Frames, sample.P99Ms, sample.LongestTickMs,
                budget > TimeSpan.Zero ? budget.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms budget" : "no budget");
            if (!interactive)
            {
                output.WriteLine(line);
                return;
            }

            int width = ConsoleWidth();
            if (line.Length > width)
            {
                line = line.Substring(0, width);
            }

            output.Write("\r" + line.PadRight(lastLineLength));
            output.Flush();
            lastLineLength = line.Length;
        }

        static int ConsoleWidth()
        {
            try
            {
                // Some terminals (and pseudo-terminals without a size) report 0: then do not cut the line.
                int width = Console.WindowWidth;
                return width >= 40 ? width - 1 : int.MaxValue;
            }
            catch (IOException)
            {
                return 160;
            }
        }

        bool PrintAccount(HandleLedger[] ledgers, out long[] totals)
        {
            output.WriteLine();
            output.WriteLine(Row("producer", "submitted", "ran", "faulted", "cancelled", "failed-by-close", "missing", "double"));
            bool balanced = true;
            totals = new long[7];
            foreach (var ledger in ledgers)
            {
                var (missing, twice) = ledger.Audit();
                long[] row = { ledger.Submitted, ledger.Ran, ledger.Faulted, ledger.Cancelled, ledger.FailedByClose, missing, twice };
                for (int i = 0; i < row.Length; i++)
                {
                    totals[i] += row[i];
                }

                bool sums = ledger.Submitted == ledger.Ran + ledger.Faulted + ledger.Cancelled + ledger.FailedByClose;
                balanced &= missing == 0 && twice == 0 && sums;
                output.WriteLine(Row(ledger.Name, row.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()) + (sums ? string.Empty : "  <- does not add up"));
            }

            output.WriteLine(Row("total", totals.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()));
            output.WriteLine();
            return balanced;
        }

        /// <summary>
        /// Cross-checks the ledgers against the loop's own outcome counters: every handle of this loop was submitted by a
        /// producer, so the two accounts must agree.
        /// </summary>
        bool CheckLoopCounters(MainLoopStatistics stats, long[] totals)
        {
            bool agree = stats.Succeeded == totals[1] && stats.Faulted == totals[2] && stats.Canceled == totals[3] && stats.FailedByClose == totals[4];
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "the loop's own counters {0}: {1} ticks; succeeded {2}, faulted {3}, canceled {4}, failed by close {5}",
                agree ? "agree" : "DISAGREE with the ledgers", stats.Ticks, stats.Succeeded, stats.Faulted, stats.Canceled, stats.FailedByClose));
            return agree;
        }

        static string Row(string name, params string[] cells)
            => string.Format(CultureInfo.InvariantCulture, "{0,-11}", name) + string.Concat(cells.Select((c, i) => i == 4 ? $"{c,16}" : $"{c,10}"));

        void PrintSummary(HeadlessRunner runner, World world, IProducer[] producers, TimeSpan budget)
        {
            var total = world.Total;
            var stats = runner.Loop.Statistics;
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "latency submit->run over {0} items: p50 {1} frames ({2:0.0} ms), p99 {3} frames ({4:0.0} ms)",
                total.Count, total.FramesAt(0.5), total.MillisecondsAt(0.5), total.FramesAt(0.99), total.MillisecondsAt(0.99)));
            output.WriteLine(budget > TimeSpan.Zero
                ? string.Format(CultureInfo.InvariantCulture,
                    "ticks: longest {0:0.00} ms; {1} of {2} overran the {3:0.0} ms budget by more than 1 ms (a tick never splits an item; JIT warm-up, GC and a busy machine's preemption show here)",
                    stats.LongestTick.TotalMilliseconds, world.TicksOverBudget, world.TicksObserved, budget.TotalMilliseconds)
                : string.Format(CultureInfo.InvariantCulture, "ticks: longest {0:0.00} ms (no budget)", stats.LongestTick.TotalMilliseconds));
            if (options.Burst > 0)
            {
                output.WriteLine(world.BurstFrames >= 0
                    ? $"burst: {options.Burst} items ran over {world.BurstFrames} frames"
                    : $"burst: {options.Burst} items did not all run before the close");
            }

            output.WriteLine($"world: {world.NoiseTiles} noise tiles, {world.PathsApplied} paths, {world.DatagramsApplied} position updates, {world.FilesLoaded} files loaded; GC collections gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
            foreach (var producer in producers)
            {
                if (producer.Describe() is string line)
                {
                    output.WriteLine(line);
                }
            }
        }
    }
}
