using System;
using System.Runtime.InteropServices;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>
    /// Pins benchmark threads to CPUs (Linux <c>sched_setaffinity</c> on the calling thread): the main
    /// thread on CPU 0, workers round-robin on the other CPUs. Without it, on 2 cores the scheduler
    /// sometimes places the main thread and a producer on the same core and a trial measures
    /// time-slice hand-offs instead of the dispatcher, which makes throughput bimodal. A game's main
    /// thread has a core of its own, which is what pinning reproduces. No-op elsewhere.
    /// </summary>
    internal static class Affinity
    {
        public static bool Enabled { get; set; } = true;

        public static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.ProcessorCount >= 2;

        [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
        private static extern int SchedSetAffinity(int pid, IntPtr cpusetsize, ref ulong mask);

        /// <summary>Pins the calling thread to the main thread's CPU (0).</summary>
        public static void PinMain() => Pin(0);

        /// <summary>Pins the calling worker thread to one of the CPUs other than the main thread's.</summary>
        public static void PinWorker(int index)
        {
            int others = Math.Min(Environment.ProcessorCount, 64) - 1;
            if (others >= 1) Pin(1 + (index % others));
        }

        public static string Describe() => Enabled && IsSupported
            ? "threads pinned: main thread on CPU 0, workers on the other CPUs"
            : "threads not pinned";

        private static void Pin(int cpu)
        {
            if (!Enabled || !IsSupported) return;
            ulong mask = 1UL << cpu;
            try
            {
                SchedSetAffinity(0, (IntPtr)sizeof(ulong), ref mask);
            }
            catch (DllNotFoundException)
            {
            }
            catch (EntryPointNotFoundException)
            {
            }
        }
    }
}
