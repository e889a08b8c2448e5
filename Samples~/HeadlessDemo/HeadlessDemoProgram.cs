using System;
using System.IO;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// The entry point of the headless demo; <see cref="Run(string[], TextWriter, TextWriter)"/> is callable in-process
    /// (the tests run the whole demo that way).
    /// </summary>
    public static class HeadlessDemoProgram
    {
        /// <summary>Exit code: the account balanced.</summary>
        public const int Success = 0;

        /// <summary>Exit code: a handle was missing or completed twice (or the runner failed).</summary>
        public const int AccountFailed = 1;

        /// <summary>Exit code: a bad command line.</summary>
        public const int BadArguments = 2;

        /// <summary>Runs the demo with the process's console.</summary>
        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        /// <summary>Runs the demo, writing to <paramref name="output"/> (and usage errors to the process's stderr).</summary>
        public static int Run(string[] args, TextWriter output) => Run(args, output, Console.Error);

        /// <summary>
        /// Runs the demo: parses <paramref name="args"/>, runs the session and returns the exit code. The live
        /// statistics refresh one line in place (with \r) only when <paramref name="output"/> is the console and
        /// stdout is a terminal; otherwise they print one line per second.
        /// </summary>
        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            var options = DemoOptions.Parse(args ?? Array.Empty<string>(), out string? problem);
            if (options == null)
            {
                error.WriteLine($"error: {problem}");
                error.WriteLine();
                error.WriteLine(DemoOptions.Usage);
                return BadArguments;
            }

            if (options.Help)
            {
                output.WriteLine(DemoOptions.Usage);
                return Success;
            }

            bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            return new DemoSession(options, output, interactive).Run() ? Success : AccountFailed;
        }
    }
}
