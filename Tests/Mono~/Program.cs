using System;
using System.Collections.Generic;
using System.Threading;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace LoopBridge.Tests.Mono
{
    /// <summary>
    /// Entry point of the Mono test host. <c>mono LoopBridge.Tests.Runtime.exe [leg-name]</c> runs every test in
    /// this assembly except the category <see cref="CoreClrOnly"/> with NUnit's own runner API, prints each failure
    /// with its message and ends with "leg-name: N passed, N failed" (", N skipped" when some were skipped); exit code
    /// 0 only when nothing failed and something passed. <c>... perf</c> prints the figures of
    /// <see cref="MonoFigures"/> instead (by hand, not in CI).
    /// </summary>
    public static class Program
    {
        /// <summary>Tests that only make sense on CoreCLR carry this category; the Mono host never runs them.</summary>
        public const string CoreClrOnly = "CoreClrOnly";

        /// <summary>Hang guard for the whole run (it takes well under a minute); a hang is a failure, not a wait.</summary>
        static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

        public static int Main(string[] args)
        {
            var leg = args.Length > 0 ? args[0] : "mono";
            if (leg == "perf")
                return MonoFigures.Run();

            var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
            // No parallel workers: tests run one after another on the runner's thread, as in Unity's test runner.
            runner.Load(typeof(Program).Assembly, new Dictionary<string, object> { ["NumberOfTestWorkers"] = 0 });
            var listener = new FailurePrinter(leg);
            ITestResult result = null;
            var thread = new Thread(() => result = runner.Run(listener, TestFilter.FromXml($"<filter><not><cat>{CoreClrOnly}</cat></not></filter>")), 16 * 1024 * 1024)
            {
                IsBackground = true,
                Name = "NUnit runner",
            };
            thread.Start();
            if (!thread.Join(RunLimit))
            {
                Console.WriteLine($"{leg}: the run did not finish within {RunLimit.TotalMinutes} minutes (last test started: {listener.Current})");
                Console.WriteLine($"{leg}: {listener.Passed} passed, {listener.Failed + 1} failed");
                return 2;
            }

            if (result.FailCount != listener.Failed)
                PrintUnreported(leg, result, listener); // a failure the listener never saw as a test result still gets a name

            var skipped = result.SkipCount + result.InconclusiveCount;
            Console.WriteLine($"{leg}: {result.PassCount} passed, {result.FailCount} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
            return result.FailCount == 0 && result.PassCount > 0 ? 0 : 1;
        }

        /// <summary>Names every failed test in the result tree that <paramref name="listener"/> did not print.</summary>
        static void PrintUnreported(string leg, ITestResult result, FailurePrinter listener)
        {
            if (result.HasChildren)
            {
                foreach (var child in result.Children)
                    PrintUnreported(leg, child, listener);
            }
            else if (result.ResultState.Status == TestStatus.Failed && !listener.Printed.Contains(result.FullName))
            {
                Console.WriteLine($"{leg}: FAILED (not reported while running) {result.FullName} ({result.ResultState.Site}): {result.Message}");
            }
        }

        /// <summary>Prints every failed or skipped test with its message as it finishes.</summary>
        sealed class FailurePrinter : ITestListener
        {
            readonly string leg;
            // NUnit swaps Console.Out/Error for its own capture (sent to TestOutput) while a test runs: write to the
            // process's own streams, taken before the run, or every failure and trace line is swallowed.
            readonly System.IO.TextWriter stdout = Console.Out;
            readonly System.IO.TextWriter stderr = Console.Error;
            internal volatile string Current = "(none)";
            internal int Passed;
            internal int Failed;
            internal readonly HashSet<string> Printed = new HashSet<string>();

            internal FailurePrinter(string leg) => this.leg = leg;

            static readonly bool Trace = Environment.GetEnvironmentVariable("LOOPBRIDGE_MONO_TRACE") == "1";

            public void TestStarted(ITest test)
            {
                Current = test.FullName;
                if (Trace && !test.IsSuite)
                    stderr.WriteLine($"{leg}: start {test.FullName}"); // LOOPBRIDGE_MONO_TRACE=1: find a test that crashes the runtime
            }

            public void TestFinished(ITestResult result)
            {
                if (result.Test.IsSuite)
                {
                    // A fixture whose setup failed fails its tests without running them; say why once.
                    if (result.ResultState.Status == TestStatus.Failed && result.ResultState.Site != FailureSite.Child)
                        stdout.WriteLine($"{leg}: FAILED {result.FullName} ({result.ResultState.Site}): {result.Message}");
                    return;
                }
                switch (result.ResultState.Status)
                {
                    case TestStatus.Passed:
                        Passed++;
                        break;
                    case TestStatus.Failed:
                        Failed++;
                        Printed.Add(result.FullName);
                        stdout.WriteLine($"{leg}: FAILED {result.FullName}: {result.Message}");
                        if (!string.IsNullOrEmpty(result.StackTrace))
                            stdout.WriteLine(result.StackTrace);
                        break;
                    default:
                        stdout.WriteLine($"{leg}: skipped {result.FullName}: {result.Message}");
                        break;
                }
            }

            public void TestOutput(TestOutput output) { }

            public void SendMessage(TestMessage message) { }
        }
    }
}
