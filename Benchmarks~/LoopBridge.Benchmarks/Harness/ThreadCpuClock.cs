using System;
using System.Runtime.InteropServices;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>
    /// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), which leaves out the time
    /// the thread was preempted. On shared cores a wall-clock tick also contains other processes'
    /// time slices; the CPU time shows what the tick itself did. NaN where unsupported.
    /// </summary>
    internal static class ThreadCpuClock
    {
        private const int ClockThreadCpuTimeId = 3;

        public static readonly bool IsSupported = Probe();

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clockId, out Timespec time);

        /// <summary>Nanoseconds of CPU time used by this thread so far, or -1 where unsupported.</summary>
        public static long NowNanoseconds()
        {
            if (!IsSupported) return -1;
            ClockGetTime(ClockThreadCpuTimeId, out var t);
            return t.Seconds * 1_000_000_000L + t.Nanoseconds;
        }

        private static bool Probe()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
            try
            {
                return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }
    }
}
