using System;
using System.Globalization;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>The demo's command line: parsed once, immutable afterwards.</summary>
    public sealed class DemoOptions
    {
        /// <summary>The usage text printed by <c>--help</c> (on stdout) and after a bad flag (on stderr).</summary>
        public const string Usage =
@"LoopBridge headless demo: a simulated 60 Hz game loop fed by thread-pool jobs, a loopback UDP socket,
a file watcher, a blocked worker and async work; it closes the loop with work in flight and accounts
for every handle exactly once (exit code 0 when the account balances, 1 when it does not).

usage: dotnet run --project Samples~/HeadlessDemo [-- options]

  --seconds S      how long the loop runs before it is closed (default 10; 0.5 to 3600)
  --hz N           frame rate of the simulated game loop (default 60; 1 to 1000)
  --producers N    thread-pool job producers (default 4; 1 to 64)
  --budget-ms MS   the loop's tick budget in milliseconds, 0 = unlimited (default 4)
  --burst N        queue N items at once a third of the way in, to show the budget at work (default 0)
  --help           print this text and exit

exit codes: 0 account balanced, 1 a handle was missing or completed twice, 2 bad command line";

        /// <summary>Seconds before the loop is closed.</summary>
        public double Seconds { get; private set; } = 10;

        /// <summary>Frames per second of the runner.</summary>
        public double Hz { get; private set; } = 60;

        /// <summary>Number of thread-pool job producers.</summary>
        public int Producers { get; private set; } = 4;

        /// <summary>The loop's tick budget in milliseconds; 0 means unlimited.</summary>
        public double BudgetMs { get; private set; } = 4;

        /// <summary>Size of the one-off burst; 0 means none.</summary>
        public int Burst { get; private set; }

        /// <summary>Whether <c>--help</c> was given.</summary>
        public bool Help { get; private set; }

        /// <summary>
        /// Parses <paramref name="args"/>. Returns <see langword="null"/> and sets <paramref name="error"/> when a flag
        /// is unknown, lacks its value, or its value is malformed or out of range.
        /// </summary>
        public static DemoOptions? Parse(string[] args, out string? error)
        {
            var options = new DemoOptions();
            error = null;
            for (int i = 0; i < args.Length; i++)
            {
                string flag = args[i];
                if (flag == "--help" || flag == "-h")
                {
                    options.Help = true;
                    continue;
                }

                if (i + 1 >= args.Length && IsValued(flag))
                {
                    error = $"{flag} needs a value";
                    return null;
                }

                switch (flag)
                {
                    case "--seconds":
                        if (!TryDouble(args[++i], 0.5, 3600, out double seconds)) { error = $"--seconds: '{args[i]}' is not a number from 0.5 to 3600"; return null; }
                        options.Seconds = seconds;
                        break;
                    case "--hz":
                        if (!TryDouble(args[++i], 1, 1000, out double hz)) { error = $"--hz: '{args[i]}' is not a number from 1 to 1000"; return null; }
                        options.Hz = hz;
                        break;
                    case "--producers":
                        if (!TryInt(args[++i], 1, 64, out int producers)) { error = $"--producers: '{args[i]}' is not a whole number from 1 to 64"; return null; }
                        options.Producers = producers;
                        break;
                    case "--budget-ms":
                        if (!TryDouble(args[++i], 0, 1000, out double budget)) { error = $"--budget-ms: '{args[i]}' is not a number from 0 to 1000"; return null; }
                        options.BudgetMs = budget;
                        break;
                    case "--burst":
                        if (!TryInt(args[++i], 0, 1_000_000, out int burst)) { error = $"--burst: '{args[i]}' is not a whole number from 0 to 1000000"; return null; }
                        options.Burst = burst;
                        break;
                    default:
                        error = $"unknown argument '{flag}'";
                        return null;
                }
            }

            return options;
        }

        static bool IsValued(string flag)
            => flag == "--seconds" || flag == "--hz" || flag == "--producers" || flag == "--budget-ms" || flag == "--burst";

        static bool TryDouble(string text, double min, double max, out double value)
            => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
               && value >= min && value <= max;

        static bool TryInt(string text, int min, int max, out int value)
            => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)
               && value >= min && value <= max;
    }
}
