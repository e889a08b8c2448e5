using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LoopBridge.Benchmarks.Micro
{
    /// <summary>Runs the BenchmarkDotNet micro-benchmarks (the <c>--bdn</c> option).</summary>
    internal static class MicroRunner
    {
        public static int Run(string[] args, string resultsFolder)
        {
            // In-process: the benchmarks run on this process's thread, which is what a MainLoop
            // bound in [GlobalSetup] needs, and nothing is rebuilt from the "~" folder.
            string artifacts = Path.Combine(Path.GetDirectoryName(resultsFolder)!, "..", ".artifacts", "bdn");
            var config = ManualConfig.CreateMinimumViable()
                .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddExporter(MarkdownExporter.GitHub)
                .WithArtifactsPath(Path.GetFullPath(artifacts));
            var summaries = args.Length == 0
                ? new[] { BenchmarkRunner.Run<HotPathBenchmarks>(config) }
                : BenchmarkSwitcher.FromTypes(new[] { typeof(HotPathBenchmarks) }).Run(args, config).ToArray();
            foreach (var summary in summaries)
            {
                string? md = Directory.Exists(summary.ResultsDirectoryPath)
                    ? Directory.GetFiles(summary.ResultsDirectoryPath, "*-report-github.md").FirstOrDefault()
                    : null;
                if (md != null)
                {
                    Directory.CreateDirectory(resultsFolder);
                    string target = Path.Combine(resultsFolder, "bdn.md");
                    File.Copy(md, target, overwrite: true);
                    Console.WriteLine("wrote " + target);
                }
            }
            return summaries.All(s => !s.HasCriticalValidationErrors) ? 0 : 1;
        }
    }
}
