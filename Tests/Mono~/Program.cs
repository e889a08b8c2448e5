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

            var skipped = result.SkipCount + result.InconclusiveCount;
            Console.WriteLine($"{leg}: {result.PassCount} passed, {result.FailCount} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
            return result.FailCount == 0 && result.PassCount > 0 ? 0 : 1;
        }

        /// <summary>Prints every failed or skipped test with its message as it finishes.</summary>
        sealed class FailurePrinter : ITestListener
        {
            readonly string leg;
            internal volatile string Current = "(none)";
            internal int Passed;
            internal int Failed;

            internal FailurePrinter(string leg) => this.leg = leg;

            static readonly bool Trace = Environment.GetEnvironmentVariable("LOOPBRIDGE_MONO_TRACE") == "1";

            public void TestStarted(ITest test)
            {
                Current = test.FullName;
                if (Trace && !test.IsSuite)
                    Console.Error.WriteLine($"{leg}: start {test.FullName}"); // LOOPBRIDGE_MONO_TRACE=1: find a test that crashes the runtime
            }

            public void TestFinished(ITestResult result)
            {
                if (result.Test.IsSuite)
                {
                    // A fixture whose setup failed fails its tests without running them; say why once.
                    if (result.ResultState.Status == TestStatus.Failed && result.ResultState.Site != FailureSite.Child)
                        Console.WriteLine($"{leg}: FAILED {result.FullName} ({result.ResultState.Site}): {result.Message}");
                    return;
                }
                switch (result.ResultState.Status)
                {
                    case TestStatus.Passed:
                        Passed++;
                        break;
                    case TestStatus.Failed:
                        Failed++;
                        Console.WriteLine($"{leg}: FAILED {result.FullName}: {result.Message}");
                        if (!string.IsNullOrEmpty(result.StackTrace))
                            Console.WriteLine(result.StackTrace);
                        break;
                    default:
                        Console.WriteLine($"{leg}: skipped {result.FullName}: {result.Message}");
                        break;
                }
            }

            public void TestOutput(TestOutput output) { }

            public void SendMessage(TestMessage message) { }
        }
    }
}
