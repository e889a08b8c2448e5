using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using LoopBridge.Benchmarks.Harness;

namespace LoopBridge.Benchmarks
{
    /// <summary>
    /// Entry point. Default: scenarios A–E for LoopBridge and every peer, tables on the console and
    /// in Benchmarks~/results/latest.md. <c>--quick</c>: same scenarios, fewer and shorter trials.
    /// <c>--bdn</c>: the BenchmarkDotNet micro-benchmarks of the single-thread hot path instead.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            RunOptions options;
            try
            {
                options = RunOptions.Parse(args);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Thread.CurrentThread.Name = "main";

            if (options.PoolHotPath)
            {
                return Micro.PoolHotPath.Run(ResultsFolder());
            }
            if (options.Bdn)
            {
                return Micro.MicroRunner.Run(options.BdnArgs, ResultsFolder());
            }
            return RunSuite(options);
        }

        private static int RunSuite(RunOptions options)
        {
            var total = Stopwatch.StartNew();
            string loadBefore = Machine.LoadAverage();
            Console.WriteLine("LoopBridge benchmarks: " + options.Describe());
            Console.WriteLine("machine: " + Machine.Describe());
            Console.WriteLine("runtime: " + Machine.Runtime());
            Console.WriteLine("load average before: " + loadBefore);
            Console.WriteLine();

            Affinity.Enabled = !options.NoPin;
            Affinity.PinMain();
            Console.WriteLine(Affinity.Describe());
            var suite = new Suite(options, Console.WriteLine);
            suite.WarmUp();
            if (options.Runs('A') || options.Runs('B')) Timed("A/B throughput and allocation", suite.RunThroughput);
            if (options.Runs('C')) Timed("C round trip", suite.RunRoundTrip);
            if (options.Runs('D')) Timed("D frame hitch", suite.RunFrameHitch);
            if (options.Runs('E')) Timed("E close with work pending", suite.RunClose);
            // G before F: G measures what a pool keeps after one burst, and UniTask's pool never shrinks.
            if (options.Runs('G')) Timed("G memory retained after a burst", suite.RunRetained);
            if (options.Runs('F')) Timed("F bursts", suite.RunBurst);
            string loadAfter = Machine.LoadAverage();

            var targets = suite.Targets();
            Console.WriteLine();
            foreach (var (title, _, table) in suite.Tables)
            {
                Console.WriteLine("== " + title);
                Console.WriteLine(table.ToConsole());
            }
            Console.WriteLine("== Targets");
            Console.WriteLine(targets.ToConsole());
            Console.WriteLine($"load average after: {loadAfter}; total {total.Elapsed.TotalSeconds:0.0} s");

            string path = options.OutPath ?? Path.Combine(ResultsFolder(), options.Quick ? "latest-quick.md" : "latest.md");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, Markdown(options, suite, targets, loadBefore, loadAfter, total.Elapsed), new UTF8Encoding(false));
            Console.WriteLine("wrote " + Path.GetFullPath(path));
            if (options.OutPath == null && !options.Quick)
            {
                // The committed full run is also the generated section of Documentation~/performance.md.
                var page = DocumentationPage.Update(ResultsFolder(), path);
                if (page != null) Console.WriteLine("wrote the generated section of " + page);
            }
            return 0;
        }

        private static void Timed(string what, Action run)
        {
            var sw = Stopwatch.StartNew();
            Console.WriteLine(what + " ...");
            run();
            Console.WriteLine($"{what}: {sw.Elapsed.TotalSeconds:0.0} s");
        }

        private static string Markdown(RunOptions options, Suite suite, TextTable targets, string loadBefore, string loadAfter, TimeSpan elapsed)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"# LoopBridge benchmarks ({(options.Quick ? "quick" : "full")} run)");
            sb.AppendLine();
            sb.AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            sb.AppendLine($"- machine: {Machine.Describe()}");
            sb.AppendLine($"- runtime: {Machine.Runtime()}; {Affinity.Describe()}");
            sb.AppendLine($"- load average (1/5/15 min) before: {loadBefore}, after: {loadAfter} (the cores are shared: a load above the core count means noisy numbers)");
            sb.AppendLine($"- {options.Describe()}; took {elapsed.TotalSeconds:0} s");
            sb.AppendLine("- command: `dotnet run -c Release --project Benchmarks~/LoopBridge.Benchmarks" + (options.Args.Length > 0 ? " -- " + string.Join(" ", options.Args) : "") + "`");
            sb.AppendLine("- LoopBridge pool policy: " + $"TrimDelay {PoolPolicy.TrimDelay.TotalSeconds:0.###} s, MinRetained {PoolPolicy.MinRetained:N0}, MaxRetained {PoolPolicy.MaxRetained:N0}, TrimOnGarbageCollection {PoolPolicy.TrimOnGarbageCollection}");
            sb.AppendLine("- the machine is shared with other builds and benchmarks while this runs: compare ratios within this file, and look at the min–max spread");
            sb.AppendLine();
            sb.AppendLine("Absolute numbers depend on the machine and on what else runs on it; the ratios to LoopBridge are the claim.");
            sb.AppendLine();
            sb.AppendLine("## Targets");
            sb.AppendLine();
            sb.Append(targets.ToMarkdown());
            foreach (var (title, description, table) in suite.Tables)
            {
                sb.AppendLine();
                sb.AppendLine("## " + title);
                sb.AppendLine();
                if (description.Length > 0)
                {
                    sb.AppendLine(description);
                    sb.AppendLine();
                }
                sb.Append(table.ToMarkdown());
            }
            return sb.ToString();
        }

        /// <summary>Benchmarks~/results of this repository, found from the working directory or the executable.</summary>
        internal static string ResultsFolder()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (Directory.Exists(Path.Combine(dir.FullName, "Benchmarks~", "LoopBridge.Benchmarks")))
                        return Path.Combine(dir.FullName, "Benchmarks~", "results");
                    if (dir.Name == "Benchmarks~")
                        return Path.Combine(dir.FullName, "results");
                }
            }
            return Path.Combine(Directory.GetCurrentDirectory(), "results");
        }
    }
}
