using System;
using System.Collections.Generic;
using System.Linq;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>Command-line options and the trial sizes of a full and a quick run.</summary>
    internal sealed class RunOptions
    {
        public bool Quick { get; private set; }
        public bool Bdn { get; private set; }
        public bool PoolHotPath { get; private set; }
        public string? OutPath { get; private set; }
        public string Only { get; private set; } = "ABCDEFG";
        public string[] BdnArgs { get; private set; } = Array.Empty<string>();

        /// <summary>The command-line arguments as given (written into the results header).</summary>
        public string[] Args { get; private set; } = Array.Empty<string>();

        /// <summary>Leave thread placement to the OS scheduler (see <see cref="Affinity"/>).</summary>
        public bool NoPin { get; private set; }

        /// <summary>Only the patterns whose name contains this text (case-insensitive); null for all.</summary>
        public string? Pattern { get; private set; }

        /// <summary>Trials per pattern of D and E (each is one sample of the table's median/min/max).</summary>
        public int Trials => Quick ? 3 : 5;

        /// <summary>
        /// A and B: trials per pattern and producer count, and the warm-up and measured window of
        /// one trial. Many short interleaved trials: on shared cores the median of many short
        /// windows is steadier than a few long ones.
        /// </summary>
        public int ThroughputTrials => Quick ? 2 : 9;

        /// <summary>A and B: handles in flight per producer, one set of cases each.</summary>
        public static readonly int[] InFlight = { 256, 16_384 };
        public TimeSpan ThroughputWarmup => TimeSpan.FromMilliseconds(50);
        public TimeSpan ThroughputWindow => TimeSpan.FromMilliseconds(Quick ? 100 : 200);

        /// <summary>C: round trips per trial (after a warm-up of 1,000).</summary>
        public int RoundTrips => 20_000;
        public int RoundTripTrials => Quick ? 2 : 5;

        /// <summary>F and G: submissions in one burst, shared by the producers (<c>--burst N</c> overrides).</summary>
        public int BurstTotal => _burstTotal ?? (Quick ? 250_000 : 1_000_000);
        private int? _burstTotal;

        /// <summary>F: bursts per trial on one dispatcher (the first fills pools and queues; the rest are "repeated").</summary>
        public int BurstRounds => Quick ? 2 : 3;

        /// <summary>F: trials per pattern and producer count.</summary>
        public int BurstTrials => Quick ? 1 : 3;

        /// <summary>G: seconds of quiet sampled after the burst (LoopBridge's trim window is 3 s by default, so 2 windows and a bit).</summary>
        public int QuietSeconds => 7;

        /// <summary>D: burst size.</summary>
        public int BurstItems => 100_000;

        /// <summary>E: queued handles, and how long the blocked worker of a pattern that cannot close waits.</summary>
        public int ClosePending => 1_000;
        public TimeSpan CloseBound => TimeSpan.FromMilliseconds(Quick ? 250 : 1000);

        public static readonly int[] ProducerCounts = { 1, 2, 4 };

        public static RunOptions Parse(string[] args)
        {
            var o = new RunOptions { Args = args };
            var rest = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                if (o.Bdn)
                {
                    rest.Add(a);
                    continue;
                }
                switch (a.TrimStart('-').ToLowerInvariant())
                {
                    case "quick":
                        o.Quick = true;
                        break;
                    case "pool-hot-path":
                        o.PoolHotPath = true;
                        break;
                    case "bdn":
                        o.Bdn = true;
                        break;
                    case "out" when i + 1 < args.Length:
                        o.OutPath = args[++i];
                        break;
                    case "no-pin":
                        o.NoPin = true;
                        break;
                    case "pattern" when i + 1 < args.Length:
                        o.Pattern = args[++i];
                        break;
                    case "burst" when i + 1 < args.Length:
                        o._burstTotal = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "only" when i + 1 < args.Length:
                        o.Only = args[++i].ToUpperInvariant();
                        break;
                    case "help":
                    case "h":
                        throw new ArgumentException(Usage);
                    default:
                        throw new ArgumentException("unknown option '" + a + "'\n" + Usage);
                }
            }
            o.BdnArgs = rest.ToArray();
            return o;
        }

        public bool Runs(char scenario) => Only.Contains(scenario);

        public const string Usage =
            "usage: dotnet run -c Release --project Benchmarks~/LoopBridge.Benchmarks [-- options]\n" +
            "  --quick        fewer and shorter trials, same scenarios (under a minute)\n" +
            "  --only ABCDEFG run only these scenarios\n" +
            "  --burst N      submissions per burst in F and G (default 1,000,000; 250,000 with --quick)\n" +
            "  --no-pin       do not pin the main thread to CPU 0 and workers to the other CPUs (Linux)\n" +
            "  --pattern TEXT run only the patterns whose name contains TEXT (for profiling one of them)\n" +
            "  --out FILE     where to write the Markdown tables (default Benchmarks~/results/latest.md,\n" +
            "                 latest-quick.md for --quick)\n" +
            "  --pool-hot-path  the pool's single-thread Rent+Return against the fixed-cap pool it replaced\n" +
            "  --bdn [args]   run the BenchmarkDotNet micro-benchmarks instead (args go to BenchmarkDotNet,\n" +
            "                 e.g. --filter '*Run*')";

        public string Describe() =>
            $"{(Quick ? "quick" : "full")} run: trials per pattern and case: A/B {ThroughputTrials}, C {RoundTripTrials}, D {Trials}, E {Trials}; " +
            $"throughput trials {ThroughputWarmup.TotalMilliseconds:0} ms warm-up + {ThroughputWindow.TotalMilliseconds:0} ms measured, " +
            $"{string.Join(" and ", InFlight.Select(w => w.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} handles in flight per producer; round trip {RoundTrips:N0} per trial; frame-hitch burst {BurstItems:N0} items; " +
            $"F: {BurstTrials} trial(s) of {BurstRounds} bursts of {BurstTotal:N0} submissions; G: one burst of {BurstTotal:N0}, {QuietSeconds} s of quiet; " +
            $"close with {ClosePending:N0} pending, bounded wait {CloseBound.TotalMilliseconds:0} ms";
    }
}
