using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LoopBridge.Samples.HeadlessDemo;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>The headless demo (the README's first command), run in-process with real producers for two seconds.</summary>
    [TestFixture]
    [Timeout(120_000)]
    public sealed class HeadlessDemoTests
    {
        [Test]
        public void Demo_TwoSeconds_ReturnsZero_AndEveryProducersAccountBalances()
        {
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = HeadlessDemoProgram.Run(new[] { "--seconds", "2" }, output, error);

            string text = output.ToString();
            Assert.That(exitCode, Is.EqualTo(0), text + error);
            StringAssert.Contains("account balanced", text);
            StringAssert.Contains("closed the loop (EngineShutdown)", text);
            StringAssert.Contains("the loop's own counters agree", text);
            Assert.That(Regex.Matches(text, @"^\s*\d+\.\d s  frames", RegexOptions.Multiline).Count, Is.GreaterThanOrEqualTo(1),
                "not a terminal: one statistics line per second");
            Assert.That(text, Does.Not.Contain("\r"), "no in-place refresh when stdout is not a terminal");

            foreach (string producer in new[] { "jobs.noise", "jobs.path", "udp", "files", "blocking", "async", "total" })
            {
                long[] row = AccountRow(text, producer);
                Assert.That(row[0], Is.GreaterThan(0), producer + " submitted nothing");
                Assert.That(row[1] + row[2] + row[3] + row[4], Is.EqualTo(row[0]), producer + ": submitted = ran + faulted + cancelled + failed-by-close");
                Assert.That(row[5], Is.Zero, producer + ": missing");
                Assert.That(row[6], Is.Zero, producer + ": double");
            }

            Assert.That(AccountRow(text, "blocking")[4], Is.GreaterThanOrEqualTo(1), "the blocked worker's last wait is failed by the close");
            Assert.That(AccountRow(text, "udp")[2], Is.GreaterThan(0), "malformed datagrams fault their handles");
        }

        [Test]
        public void Demo_WithABurst_AccountsForEveryBurstItem()
        {
            // How many of the burst's items run before the close depends on the machine's speed; what must hold on any
            // machine is the account: each item ran or was failed by the close, exactly once. (That a budget spreads a
            // burst over frames is BudgetTests' claim, on a manual clock.)
            var output = new StringWriter();

            int exitCode = HeadlessDemoProgram.Run(new[] { "--seconds", "2", "--burst", "20000", "--budget-ms", "2", "--producers", "2" }, output, new StringWriter());

            string text = output.ToString();
            Assert.That(exitCode, Is.EqualTo(0), text);
            StringAssert.Contains("burst: queued 20000 items at once", text);
            Assert.That(Regex.IsMatch(text, @"burst: 20000 items (ran over \d+ frames|did not all run before the close)"), Is.True, text);
            long[] row = AccountRow(text, "burst");
            Assert.That(row[0], Is.EqualTo(20000), "submitted");
            Assert.That(row[1] + row[4], Is.EqualTo(20000), "ran + failed-by-close");
            Assert.That(row[2] + row[3], Is.Zero, "nothing faulted or cancelled");
            Assert.That(row[5], Is.Zero, "missing");
            Assert.That(row[6], Is.Zero, "double");
        }

        [Test]
        public void Demo_Help_ReturnsZero_AndPrintsUsage()
        {
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = HeadlessDemoProgram.Run(new[] { "--help" }, output, error);

            Assert.That(exitCode, Is.EqualTo(0));
            StringAssert.Contains("usage:", output.ToString());
            StringAssert.Contains("--burst", output.ToString());
            Assert.That(error.ToString(), Is.Empty);
        }

        [TestCase("--frobnicate")]
        [TestCase("--seconds", "soon")]
        [TestCase("--seconds")]
        [TestCase("--hz", "0")]
        [TestCase("--producers", "-3")]
        public void Demo_BadArguments_ReturnTwo_WithUsageOnStderr(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = HeadlessDemoProgram.Run(args, output, error);

            Assert.That(exitCode, Is.EqualTo(2));
            StringAssert.Contains("error:", error.ToString());
            StringAssert.Contains("usage:", error.ToString());
            Assert.That(output.ToString(), Is.Empty, "nothing on stdout for a bad command line");
        }

        /// <summary>The numbers of a row of the account table: submitted, ran, faulted, cancelled, failed-by-close, missing, double.</summary>
        static long[] AccountRow(string text, string producer)
        {
            var line = text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => Regex.IsMatch(l, "^" + Regex.Escape(producer) + @"\s+\d"));
            Assert.That(line, Is.Not.Null, "no account row for " + producer + " in:\n" + text);
            long[] numbers = Regex.Matches(line.Substring(producer.Length), @"\d+").Select(m => long.Parse(m.Value)).ToArray();
            Assert.That(numbers.Length, Is.EqualTo(7), line);
            return numbers;
        }
    }
}
