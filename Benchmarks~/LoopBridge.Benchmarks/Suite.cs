using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LoopBridge.Benchmarks.Harness;
using LoopBridge.Benchmarks.Peers;
using LoopBridge.Benchmarks.Scenarios;

namespace LoopBridge.Benchmarks
{
    /// <summary>
    /// Runs scenarios A–E for LoopBridge and every peer in this one process and collects the tables.
    /// Trials are interleaved (trial 1 of every pattern, then trial 2, ...) so a burst of noise from
    /// other processes on the shared cores spreads over all patterns instead of hitting one.
    /// Every dispatcher is created fresh for each trial, on this (the main) thread.
    /// </summary>
    internal sealed class Suite
    {
        public const string LoopBridgeName = "LoopBridge";
        public const string BudgetName = "LoopBridge, 2 ms TickBudget";
        public const string PooledUniTaskName = "ConcurrentQueue + pooled UniTask";
        public const string ChannelName = "Channel (unbounded, 1 reader) + TCS";

        private readonly RunOptions _options;
        private readonly Action<string> _log;

        public Suite(RunOptions options, Action<string> log)
        {
            _options = options;
            _log = log;
            Patterns = AllPatterns.Where(p => options.Pattern == null || p.Name.IndexOf(options.Pattern, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        }

        /// <summary>The patterns this run measures (all of them unless <c>--pattern</c> filters).</summary>
        public IReadOnlyList<(string Name, Func<IPeer> Create)> Patterns { get; }

        /// <summary>The patterns, in table order. LoopBridge first: it is every table's reference.</summary>
        public static IReadOnlyList<(string Name, Func<IPeer> Create)> AllPatterns { get; } = new (string, Func<IPeer>)[]
        {
            (LoopBridgeName, () => new LoopBridgePeer(LoopBridgeName)),
            (PooledUniTaskName, () => new PooledUniTaskPeer()),
            (ChannelName, () => new ChannelPeer()),
            ("ConcurrentQueue<Action> + TCS", () => new ConcurrentQueuePeer()),
            ("lock + two swapped lists + TCS", () => new SwapListsPeer()),
            ("lock + Queue<Action> + TCS", () => new LockQueuePeer()),
            ("Nito AsyncContextThread", () => new NitoContextPeer()),
        };

        public List<(string Title, string Description, TextTable Table)> Tables { get; } = new List<(string, string, TextTable)>();
        public SampleTable? Throughput { get; private set; }
        public SampleTable? Allocation { get; private set; }
        public SampleTable? Latency { get; private set; }
        public SampleTable? Hitch { get; private set; }
        public List<(string Pattern, List<CloseResult> Trials)> Close { get; } = new List<(string, List<CloseResult>)>();

        private static T With<T>(Func<IPeer> create, Func<IPeer, T> body)
        {
            var peer = create();
            try
            {
                return body(peer);
            }
            finally
            {
                peer.Dispose();
            }
        }

        /// <summary>Runs every pattern briefly through every scenario so the measured trials run tiered-up code.</summary>
        public void WarmUp()
        {
            _log("warm-up ...");
            foreach (var (name, create) in Patterns)
            {
                foreach (int p in new[] { 1, 2 })
                {
                    With(create, peer => peer.Accept(new Throughput(p, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(60))));
                }
                With(create, peer => peer.Accept(new Burst(2, 20_000, 2)));
                if (!FrameBased(create)) continue;
                With(create, peer => peer.Accept(new RoundTrip(2_000, 500)));
                With(create, peer => peer.Accept(new FrameHitch(20_000)));
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        private static bool FrameBased(Func<IPeer> create) => With(create, p => p.FrameBased);

        /// <summary>The case name of a throughput row: producers and handles in flight per producer.</summary>
        public static string ThroughputCase(int producers, int window) =>
            (producers == 1 ? "1 producer" : producers + " producers") + " × " + window.ToString("N0", CultureInfo.InvariantCulture) + " in flight";

        public void RunThroughput()
        {
            var a = new SampleTable("A. Throughput", "items/s (M)", "0.00", true,
                "Producer threads submit `x -> x + 1` as fast as they can, each keeping " + string.Join(" or ", RunOptions.InFlight.Select(w => w.ToString("N0", CultureInfo.InvariantCulture))) +
                " handles in flight and reading and checking the oldest result before the next submission; the main thread ticks in a tight loop. " +
                "Millions of checked items per second over the measured window. Higher is better; ratio = pattern / LoopBridge.");
            var b = new SampleTable("B. Allocation per submission", "bytes/item", "0.0", false,
                "`GC.GetTotalAllocatedBytes(true)` delta over the same steady-state windows as A (all threads: producers, main thread, dispatcher threads), " +
                "divided by the items completed. Lower is better. 4 producers × 16,384 in flight is 65,536 handles outstanding.");
            foreach (int window in RunOptions.InFlight)
            {
                foreach (int producers in RunOptions.ProducerCounts)
                {
                    string c = ThroughputCase(producers, window);
                    foreach (var (name, _) in Patterns)
                    {
                        a.Add(c, name, name == LoopBridgeName);
                        b.Add(c, name, name == LoopBridgeName);
                    }
                    for (int t = 0; t < _options.ThroughputTrials; t++)
                    {
                        foreach (var (name, create) in Patterns)
                        {
                            ThroughputResult r;
                            try
                            {
                                r = With(create, peer => peer.Accept(new Throughput(producers, _options.ThroughputWarmup, _options.ThroughputWindow, window)));
                            }
                            catch (InvalidOperationException e)
                            {
                                // One hung or failed trial (a peer's own problem) must not lose the whole run: it is shown in the table.
                                a.Find(c, name)!.Note = b.Find(c, name)!.Note = "a trial failed: " + e.InnerException?.Message;
                                _log($"  A/B {c,-26} trial {t + 1}: {name,-38} FAILED: {e.Message}");
                                continue;
                            }
                            a.Find(c, name)!.Samples.Add(r.ItemsPerSecond / 1e6);
                            b.Find(c, name)!.Samples.Add(r.BytesPerItem);
                            _log($"  A/B {c,-26} trial {t + 1}: {name,-38} {r.ItemsPerSecond / 1e6,7:0.00} M/s {r.BytesPerItem,7:0.0} B/item");
                        }
                    }
                }
            }
            Throughput = a;
            Allocation = b;
            Tables.Add((a.Title, a.Description, a.ToText()));
            Tables.Add((b.Title, b.Description, b.ToText()));
        }

        public SampleTable? BurstThroughput { get; private set; }
        public SampleTable? BurstFirstThroughput { get; private set; }
        public SampleTable? BurstAllocation { get; private set; }
        public SampleTable? BurstFirstAllocation { get; private set; }

        private static string BurstCase(int producers) => producers == 1 ? "1 producer" : producers + " producers";

        public void RunBurst()
        {
            int n = _options.BurstTotal;
            string protocol = $"A burst of {n:N0} submissions of `x -> x + 1`, shared by the producers: each submits its whole share before it reads any result, " +
                "then consumes its handles oldest first with the pattern's blocking wait; the main thread ticks in a tight loop all along, so at the peak the whole burst is outstanding. " +
                $"Each trial creates a fresh dispatcher and runs {_options.BurstRounds} bursts on it: the first fills pools and grows queues, the later ones are what a game that bursts again pays. ";
            var f = new SampleTable("F. Burst throughput (repeated bursts)", "items/s (M)", "0.00", true,
                protocol + "Millions of checked items per second from the start signal to the last result, bursts after the first (one sample per burst). Higher is better.");
            var f1 = new SampleTable("F. Burst throughput (first burst of a fresh dispatcher)", "items/s (M)", "0.00", true,
                "As above, the first burst of each trial (process-wide pools may already be warm from earlier trials).");
            var fb = new SampleTable("F. Burst allocation (repeated bursts)", "bytes/item", "0.0", false,
                "`GC.GetTotalAllocatedBytes(true)` delta over a whole burst after the first, all threads, divided by the burst's items, by burst number within the trial. Lower is better. " +
                "A dispatcher's own queue (every pattern's) grows again in a later burst whose peak depth exceeds the earlier ones': with warm pools the producers submit faster, so the second burst often peaks deeper.");
            var fb1 = new SampleTable("F. Burst allocation (first burst of a fresh dispatcher)", "bytes/item", "0.0", false,
                "As above, the first burst of each trial: includes the dispatcher's queue growing to hold the burst.");
            var gcs = new Dictionary<(string, string), (int g0, int g1, int g2, int bursts)>();
            foreach (int producers in RunOptions.ProducerCounts)
            {
                string c = BurstCase(producers);
                foreach (var (name, _) in Patterns)
                {
                    foreach (var table in new[] { f, f1, fb1 }) table.Add(c, name, name == LoopBridgeName);
                    for (int r = 1; r < _options.BurstRounds; r++) fb.Add(c + ", burst " + (r + 1), name, name == LoopBridgeName);
                    gcs[(c, name)] = (0, 0, 0, 0);
                }
                for (int t = 0; t < _options.BurstTrials; t++)
                {
                    foreach (var (name, create) in Patterns)
                    {
                        BurstRound[] rounds;
                        try
                        {
                            rounds = With(create, peer => peer.Accept(new Burst(producers, n, _options.BurstRounds)));
                        }
                        catch (InvalidOperationException e)
                        {
                            f.Find(c, name)!.Note = f1.Find(c, name)!.Note = "a trial failed: " + e.InnerException?.Message;
                            _log($"  F {c,-11} trial {t + 1}: {name,-38} FAILED: {e.Message}");
                            continue;
                        }
                        f1.Find(c, name)!.Samples.Add(rounds[0].ItemsPerSecond / 1e6);
                        fb1.Find(c, name)!.Samples.Add(rounds[0].BytesPerItem);
                        var g = gcs[(c, name)];
                        for (int r = 1; r < rounds.Length; r++)
                        {
                            f.Find(c, name)!.Samples.Add(rounds[r].ItemsPerSecond / 1e6);
                            fb.Find(c + ", burst " + (r + 1), name)!.Samples.Add(rounds[r].BytesPerItem);
                            g = (g.g0 + rounds[r].Gen0, g.g1 + rounds[r].Gen1, g.g2 + rounds[r].Gen2, g.bursts + 1);
                        }
                        gcs[(c, name)] = g;
                        _log($"  F {c,-11} trial {t + 1}: {name,-38} " + string.Join("; ", rounds.Select(r =>
                            $"{r.ItemsPerSecond / 1e6:0.00} M/s {r.BytesPerItem:0.0} B/item GC {r.Gen0}/{r.Gen1}/{r.Gen2}")));
                    }
                }
            }
            BurstThroughput = f;
            BurstFirstThroughput = f1;
            BurstAllocation = fb;
            BurstFirstAllocation = fb1;
            Tables.Add((f.Title, f.Description, f.ToText()));
            Tables.Add((f1.Title, f1.Description, f1.ToText()));
            Tables.Add((fb.Title, fb.Description, fb.ToText()));
            Tables.Add((fb1.Title, fb1.Description, fb1.ToText()));
            var gc = new TextTable("case", "pattern", "gen0 per burst", "gen1 per burst", "gen2 per burst");
            foreach (var ((c, name), g) in gcs)
            {
                double k = Math.Max(1, g.bursts);
                gc.AddRow(c, name, (g.g0 / k).ToString("0.0", CultureInfo.InvariantCulture), (g.g1 / k).ToString("0.0", CultureInfo.InvariantCulture),
                    (g.g2 / k).ToString("0.0", CultureInfo.InvariantCulture));
            }
            Tables.Add(("F. Collections during repeated bursts", "Garbage collections of each generation during a burst after the first, averaged over the bursts (workstation GC, non-concurrent).", gc));
        }

        public List<(string Pattern, RetainedResult Result)> RetainedResults { get; } = new List<(string, RetainedResult)>();

        public void RunRetained()
        {
            int n = _options.BurstTotal;
            foreach (var (name, create) in Patterns)
            {
                if (!FrameBased(create)) continue;
                // --quick samples the quiet period of LoopBridge only (UniTask's pool has no trimming to wait for).
                bool pooled = name == LoopBridgeName || (name == PooledUniTaskName && !_options.Quick);
                Func<long> count = name == LoopBridgeName ? () => PoolPolicy.RetainedCount
                    : name == PooledUniTaskName ? Retained.UniTaskPooled
                    : () => 0L;
                if (name == LoopBridgeName)
                {
                    // Start from the steady size, whatever earlier scenarios left in the pool.
                    PoolPolicy.Trim();
                }
                var r = Retained.Run(create, n, pooled ? _options.QuietSeconds : 0, count);
                RetainedResults.Add((name, r));
                _log($"  G {name,-38} " + string.Join("; ", r.Samples.Select(x => $"{x.Seconds:0} s: {x.Megabytes:0.0} MB ({x.PooledObjects:N0} pooled)")));
            }
            var headers = new List<string> { "pattern", "right after (MB)" };
            for (int s = 1; s <= _options.QuietSeconds; s++) headers.Add($"after {s} s quiet");
            headers.Add("objects pooled: right after → end");
            headers.Add("bytes per pooled object");
            var table = new TextTable(headers.ToArray());
            foreach (var (name, r) in RetainedResults)
            {
                var cells = new List<string> { name };
                for (int s = 0; s <= _options.QuietSeconds; s++)
                {
                    cells.Add(s < r.Samples.Count ? r.Samples[s].Megabytes.ToString("0.0", CultureInfo.InvariantCulture) : "–");
                }
                cells.Add(name == LoopBridgeName || name == PooledUniTaskName
                    ? $"{r.Samples[0].PooledObjects:N0} → {r.Samples[^1].PooledObjects:N0}"
                    : "no pool");
                long gained = r.Samples[0].PooledObjects - r.PooledBefore;
                cells.Add(gained > 0 ? (r.Samples[0].Megabytes * 1e6 / gained).ToString("0", CultureInfo.InvariantCulture) : "–");
                table.AddRow(cells.ToArray());
            }
            Tables.Add(("G. Memory retained after a burst",
                $"Live managed memory above the baseline measured just before one burst of {n:N0} (one producer, F's protocol, dispatcher disposed after it), " +
                "after a full blocking collection: right after the burst, then each second while a fresh dispatcher of the same pattern ticks idle at 60 Hz " +
                "(only for the two pooled patterns: the others keep nothing to give back). " +
                $"LoopBridge starts from its steady pool (`PoolPolicy.Trim()` first) and uses the default policy (trim window {PoolPolicy.TrimDelay.TotalSeconds:0} s, floor {PoolPolicy.MinRetained:N0} per kind); " +
                "its pool gives objects back when a garbage collection ends a trim window that saw no use, and each sample's full collection is such a collection. " +
                "UniTask's pool may hold objects from the earlier scenarios before the burst (counted in its baseline). Objects pooled: the pool's own count (LoopBridge: `PoolPolicy.RetainedCount`, UniTask: `TaskPool.GetCacheSizeInfo()`); " +
                "bytes per pooled object: right-after memory divided by the objects the pool gained in the burst, an estimate of one pooled handle source's size.", table));
        }

        public void RunRoundTrip()
        {
            var c = new SampleTable("C. Round trip", "µs", "0.0", false,
                $"One worker submits `x -> x + 1` and blocks for the result ({_options.RoundTrips:N0} times per trial, after 1,000 warm-up round trips); " +
                "the main thread ticks in a tight loop. Blocking is each pattern's own: `Task.Wait` for the TCS patterns, `LoopHandle.GetResult(timeout)` for LoopBridge, " +
                "a yielding spin on the status for the hand-rolled UniTask (UniTask has no blocking wait). " +
                "Per trial: the 50th and 99th percentiles and the maximum; the table shows their median/min/max over trials. Lower is better. " +
                "Nito's AsyncContextThread is not frame-based and takes part in A/B only.");
            var cases = new[] { "p50", "p99", "max" };
            foreach (var k in cases)
                foreach (var (name, create) in Patterns)
                    if (FrameBased(create)) c.Add(k, name, name == LoopBridgeName);
            for (int t = 0; t < _options.RoundTripTrials; t++)
            {
                foreach (var (name, create) in Patterns)
                {
                    if (!FrameBased(create)) continue;
                    var r = With(create, peer => peer.Accept(new RoundTrip(_options.RoundTrips, 1_000)));
                    c.Find("p50", name)!.Samples.Add(r.P50);
                    c.Find("p99", name)!.Samples.Add(r.P99);
                    c.Find("max", name)!.Samples.Add(r.Max);
                    _log($"  C trial {t + 1}: {name,-38} p50 {r.P50,7:0.0} µs  p99 {r.P99,7:0.0} µs  max {r.Max,9:0.0} µs");
                }
            }
            Latency = c;
            Tables.Add((c.Title, c.Description, c.ToText()));
        }

        public void RunFrameHitch()
        {
            var patterns = new List<(string Name, Func<IPeer> Create)>();
            if (_options.Pattern == null || BudgetName.IndexOf(_options.Pattern, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                patterns.Add((BudgetName, () => new LoopBridgePeer(BudgetName, TimeSpan.FromMilliseconds(2))));
            }
            patterns.AddRange(Patterns.Where(p => FrameBased(p.Create)));
            var d = new SampleTable("D. Frame hitch", "longest tick (ms)", "0.000", false,
                $"A worker queues {_options.BurstItems:N0} items of about 1 µs each (spinning) while nothing ticks; then the main thread ticks until all have run. " +
                "The longest single `Tick()` is the frame hitch a game would see: \"wall clock\" is timed around the call; \"main-thread CPU\" is the CPU time " +
                "the main thread used in that tick (Linux thread CPU clock), which leaves out the time slices other processes took from it on shared cores. " +
                $"Ratio = pattern / \"{BudgetName}\". The second table says how many ticks the burst took, the median and 95th percentile of their wall-clock durations, and whether the burst ran in submission order.");
            foreach (var (name, _) in patterns) d.Add(WallCase, name, name == BudgetName);
            if (ThreadCpuClock.IsSupported)
                foreach (var (name, _) in patterns) d.Add(CpuCase, name, name == BudgetName);
            var ticks = new Dictionary<string, List<double>>();
            var itemMicros = new Dictionary<string, List<double>>();
            var p50 = new Dictionary<string, List<double>>();
            var p95 = new Dictionary<string, List<double>>();
            var outOfOrder = new Dictionary<string, int>();
            foreach (var (name, _) in patterns)
            {
                ticks[name] = new List<double>();
                itemMicros[name] = new List<double>();
                p50[name] = new List<double>();
                p95[name] = new List<double>();
                outOfOrder[name] = 0;
            }
            for (int t = 0; t < _options.Trials; t++)
            {
                foreach (var (name, create) in patterns)
                {
                    var r = With(create, peer => peer.Accept(new FrameHitch(_options.BurstItems)));
                    d.Find(WallCase, name)!.Samples.Add(r.LongestTickMs);
                    d.Find(CpuCase, name)?.Samples.Add(r.LongestTickCpuMs);
                    ticks[name].Add(r.Ticks);
                    itemMicros[name].Add(r.ItemMicros);
                    p50[name].Add(r.TickP50Ms);
                    p95[name].Add(r.TickP95Ms);
                    outOfOrder[name] += r.OutOfOrder;
                    _log($"  D trial {t + 1}: {name,-38} longest tick {r.LongestTickMs,8:0.000} ms (CPU {r.LongestTickCpuMs,8:0.000} ms) over {r.Ticks,5} ticks, item {r.ItemMicros:0.00} µs, out of order {r.OutOfOrder}");
                }
            }
            Hitch = d;
            HitchTicks = ticks;
            HitchItemMicros = itemMicros;
            HitchOutOfOrder = outOfOrder;
            HitchP95 = p95;
            Tables.Add((d.Title, d.Description, d.ToText()));
            var detail = new TextTable("pattern", "ticks to drain (median)", "tick p50 ms (median)", "tick p95 ms (median)", "item cost µs (median)", "ran in submission order");
            foreach (var (name, _) in patterns)
            {
                detail.AddRow(name, Stats.Median(ticks[name]).ToString("0", CultureInfo.InvariantCulture),
                    Stats.Median(p50[name]).ToString("0.000", CultureInfo.InvariantCulture),
                    Stats.Median(p95[name]).ToString("0.000", CultureInfo.InvariantCulture),
                    Stats.Median(itemMicros[name]).ToString("0.00", CultureInfo.InvariantCulture),
                    outOfOrder[name] == 0 ? "yes" : $"no ({outOfOrder[name]} items out of order)");
            }
            Tables.Add(("D. Frame hitch: how the burst drained", "", detail));
        }

        private const string WallCase = "wall clock";
        private const string CpuCase = "main-thread CPU";

        public Dictionary<string, List<double>> HitchTicks { get; private set; } = new Dictionary<string, List<double>>();
        public Dictionary<string, List<double>> HitchItemMicros { get; private set; } = new Dictionary<string, List<double>>();
        public Dictionary<string, List<double>> HitchP95 { get; private set; } = new Dictionary<string, List<double>>();
        public Dictionary<string, int> HitchOutOfOrder { get; private set; } = new Dictionary<string, int>();

        public void RunClose()
        {
            foreach (var (name, create) in Patterns)
            {
                if (!FrameBased(create)) continue;
                var trials = new List<CloseResult>();
                bool canClose = With(create, p => p.CanClose);
                // A pattern that cannot close gives the same account every time; one trial is enough.
                int n = canClose ? _options.Trials : 1;
                for (int t = 0; t < n; t++)
                {
                    var r = With(create, peer => peer.Accept(new CloseWithPending(_options.ClosePending, _options.CloseBound)));
                    trials.Add(r);
                    _log($"  E trial {t + 1}: {name,-38} succeeded {r.Succeeded}, failed closed {r.FailedClosedWithReason}, failed other {r.FailedOther}, pending {r.Pending}; worker {r.Worker}" +
                         (r.WorkerWoke ? $" after {r.WakeMs:0.000} ms" : ""));
                }
                Close.Add((name, trials));
            }
            var table = new TextTable("pattern", "completed", "failed: LoopClosedException(EngineShutdown)", "failed: other", "still pending",
                "blocked worker", "woke after close (ms): median [min–max]");
            foreach (var (name, trials) in Close)
            {
                var last = trials[^1];
                string Range(Func<CloseResult, int> f) => trials.Min(f) == trials.Max(f) ? f(last).ToString("N0", CultureInfo.InvariantCulture) : $"{trials.Min(f):N0}–{trials.Max(f):N0}";
                var wakes = trials.Where(x => x.WorkerWoke).Select(x => x.WakeMs).ToList();
                table.AddRow(name, Range(x => x.Succeeded), Range(x => x.FailedClosedWithReason),
                    Range(x => x.FailedOther) + (last.FailedOther > 0 ? " (" + last.OtherFailure + ")" : ""), Range(x => x.Pending),
                    trials.All(x => x.WorkerWoke) ? last.Worker : trials.First(x => !x.WorkerWoke).Worker,
                    wakes.Count == 0 ? "never" : $"{Stats.Median(wakes):0.000} [{Stats.Min(wakes):0.000}–{Stats.Max(wakes):0.000}]");
            }
            Tables.Add(("E. Close with work pending",
                $"{_options.ClosePending:N0} items are queued and never ticked; one more worker submits an item and blocks on its result. Then the engine shuts down: " +
                "LoopBridge runs `Close(CloseReason.EngineShutdown)` on the main thread; the other patterns have no close, ticking just stops. " +
                $"Every queued handle is then counted; the blocked worker waits at most {_options.CloseBound.TotalMilliseconds:0} ms so the benchmark cannot hang. " +
                $"Trials: {_options.Trials} for LoopBridge, 1 for the patterns that cannot close (their account never changes).", table));
        }

        private static Row? BestPeer(SampleTable table, string @case, bool higher)
        {
            var peers = table.Rows.Where(r => r.Case == @case && !r.IsReference && r.Samples.Count > 0);
            return higher ? peers.OrderByDescending(r => r.Median).FirstOrDefault() : peers.OrderBy(r => r.Median).FirstOrDefault();
        }

        /// <summary>The targets, each with what was measured and whether it is met.</summary>
        public TextTable Targets()
        {
            var t = new TextTable("target", "measured (medians)", "met");
            static string Yes(bool ok) => ok ? "yes" : "**no**";
            if (Allocation != null)
            {
                foreach (var c in Allocation.Rows.Where(r => r.IsReference))
                {
                    t.AddRow($"B: 0 bytes/submission for LoopBridge, {c.Case}", $"{c.Median:0.00} B/item (max of {c.Samples.Count} windows {Stats.Max(c.Samples):0.00})", Yes(c.Median < 0.005));
                }
            }
            if (Throughput != null)
            {
                foreach (var lb in Throughput.Rows.Where(r => r.IsReference))
                {
                    var best = BestPeer(Throughput, lb.Case, higher: true);
                    if (best != null)
                    {
                        t.AddRow($"A: ≥ best peer, {lb.Case}", $"{lb.Median:0.00} vs {best.Median:0.00} M/s ({best.Pattern}; {lb.Median / best.Median:0.00}×)", Yes(lb.Median >= best.Median));
                    }
                    var channel = Throughput.Find(lb.Case, ChannelName);
                    if (channel != null && lb.Case.EndsWith(" 256 in flight", StringComparison.Ordinal))
                    {
                        t.AddRow($"A: ≥ 5× Channels+TCS, {lb.Case}", $"{lb.Median:0.00} vs {channel.Median:0.00} M/s ({lb.Median / channel.Median:0.00}×)", Yes(lb.Median >= 5 * channel.Median));
                    }
                }
            }
            if (BurstThroughput != null && BurstAllocation != null && BurstFirstThroughput != null)
            {
                foreach (var lb in BurstThroughput.Rows.Where(r => r.IsReference))
                {
                    var best = BestPeer(BurstThroughput, lb.Case, higher: true);
                    if (best != null)
                    {
                        t.AddRow($"F: burst of {_options.BurstTotal:N0}, repeated, ≥ best peer, {lb.Case}",
                            $"{lb.Median:0.00} vs {best.Median:0.00} M/s ({best.Pattern}; {lb.Median / best.Median:0.00}×)", Yes(lb.Median >= best.Median));
                    }
                    var first = BurstFirstThroughput.Reference(lb.Case);
                    var bestFirst = BestPeer(BurstFirstThroughput, lb.Case, higher: true);
                    if (first != null && bestFirst != null)
                    {
                        t.AddRow($"(context) F: first burst of a fresh dispatcher ≥ best peer, {lb.Case}",
                            $"{first.Median:0.00} vs {bestFirst.Median:0.00} M/s ({bestFirst.Pattern}; {first.Median / bestFirst.Median:0.00}×)", Yes(first.Median >= bestFirst.Median));
                    }
                    for (int r = 2; r <= _options.BurstRounds; r++)
                    {
                        var bytes = BurstAllocation.Reference(lb.Case + ", burst " + r);
                        if (bytes != null)
                        {
                            t.AddRow($"F: 0 bytes/submission in repeated bursts of {_options.BurstTotal:N0}, {lb.Case}, burst {r}",
                                $"{bytes.Median:0.00} B/item (max of {bytes.Samples.Count} trials {Stats.Max(bytes.Samples):0.00})", Yes(bytes.Median < 0.005));
                        }
                    }
                }
            }
            var lbRetained = RetainedResults.FirstOrDefault(x => x.Pattern == LoopBridgeName).Result;
            if (lbRetained != null && lbRetained.Samples.Count > 1)
            {
                var after = lbRetained.Samples[0].Megabytes;
                var end = lbRetained.Samples[^1];
                var fell = lbRetained.Samples.FirstOrDefault(x => x.Seconds > 0 && x.Megabytes <= 0.1 * after);
                t.AddRow($"G: after a burst of {_options.BurstTotal:N0}, retained memory falls back within a few seconds of quiet (≤ 10% of right after)",
                    $"{after:0.0} MB right after; {end.Megabytes:0.0} MB after {end.Seconds:0} s" + (fell.Seconds > 0 ? $"; ≤ 10% from {fell.Seconds:0} s" : "; never ≤ 10%"),
                    Yes(fell.Seconds > 0 && fell.Seconds <= 2 * PoolPolicy.TrimDelay.TotalSeconds + 1));
            }
            if (Latency != null)
            {
                var lb = Latency.Reference("p99");
                var best = Latency.Rows.Where(r => r.Case == "p99" && !r.IsReference).OrderBy(r => r.Median).FirstOrDefault();
                var pooled = Latency.Find("p99", PooledUniTaskName);
                if (lb != null && pooled != null) t.AddRow("C: p99 no worse than pooled UniTask", $"{lb.Median:0.0} µs vs {pooled.Median:0.0} µs", Yes(lb.Median <= pooled.Median));
                if (lb != null && best != null) t.AddRow("C: p99 no worse than the best peer", $"{lb.Median:0.0} µs vs {best.Median:0.0} µs ({best.Pattern})", Yes(lb.Median <= best.Median));
            }
            if (Hitch?.Reference(WallCase) is Row hitchRow)
            {
                var lb = hitchRow;
                var cpu = Hitch.Reference(CpuCase);
                double item = Stats.Median(HitchItemMicros[BudgetName]) / 1000.0;
                double limit = 2.0 + item;
                t.AddRow("D: 2 ms budget: longest tick ≤ 2 ms + one item (wall clock)",
                    $"{lb.Median:0.000} ms (limit {limit:0.000} ms; min {Stats.Min(lb.Samples):0.000}, max {Stats.Max(lb.Samples):0.000})", Yes(lb.Median <= limit));
                if (cpu != null)
                {
                    t.AddRow("D: 2 ms budget: longest tick ≤ 2 ms + one item (main-thread CPU time, preemption left out)",
                        $"{cpu.Median:0.000} ms (limit {limit:0.000} ms; min {Stats.Min(cpu.Samples):0.000}, max {Stats.Max(cpu.Samples):0.000})", Yes(cpu.Median <= limit));
                }
                t.AddRow("(context) D: 2 ms budget: 95th percentile tick ≤ 2 ms + one item (wall clock)",
                    $"{Stats.Median(HitchP95[BudgetName]):0.000} ms", Yes(Stats.Median(HitchP95[BudgetName]) <= limit));
                t.AddRow("D: burst drains over following ticks, in order",
                    $"{Stats.Median(HitchTicks[BudgetName]):0} ticks, {HitchOutOfOrder[BudgetName]} out of order",
                    Yes(Stats.Median(HitchTicks[BudgetName]) > 1 && HitchOutOfOrder[BudgetName] == 0));
            }
            var lbClose = Close.FirstOrDefault(c => c.Pattern == LoopBridgeName).Trials;
            if (lbClose != null)
            {
                int n = _options.ClosePending;
                bool allFailed = lbClose.All(x => x.FailedClosedWithReason == n && x.Pending == 0);
                t.AddRow($"E: {n:N0}/{n:N0} fail with LoopClosedException(reason), 0 pending",
                    $"{lbClose.Min(x => x.FailedClosedWithReason):N0}–{lbClose.Max(x => x.FailedClosedWithReason):N0} failed, {lbClose.Max(x => x.Pending)} pending (worst trial)", Yes(allFailed));
                var wakes = lbClose.Where(x => x.WorkerWoke).Select(x => x.WakeMs).ToList();
                bool woke = wakes.Count == lbClose.Count;
                t.AddRow("E: blocked worker wakes within 10 ms",
                    woke ? $"{Stats.Median(wakes):0.000} ms (max {Stats.Max(wakes):0.000} ms)" : "did not wake in every trial", Yes(woke && Stats.Max(wakes) <= 10));
            }
            return t;
        }
    }
}
