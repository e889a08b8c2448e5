using System;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Runtime.InteropServices;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>What the numbers were measured on.</summary>
    internal static class Machine
    {
        public static string Cpu()
        {
            try
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line != null) return line.Substring(line.IndexOf(':') + 1).Trim();
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        /// <summary>The 1-minute load average (Linux), a hint of how busy the shared cores were.</summary>
        public static string LoadAverage()
        {
            try
            {
                return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
            }
            catch (IOException)
            {
                return "n/a";
            }
            catch (UnauthorizedAccessException)
            {
                return "n/a";
            }
        }

        public static string Describe() =>
            $"{Cpu()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";

        public static string Runtime() =>
            $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC" +
            $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? " (non-concurrent)" : "")}, tiered PGO";
    }
}
