#nullable enable
using System;
using System.Diagnostics;

namespace LoopBridge
{
    /// <summary>
    /// The time source a <see cref="MainLoop"/> uses for its frame budget and tick statistics.
    /// The default reads <see cref="Stopwatch"/>; tests pass a <see cref="ManualClock"/> so budget behaviour is deterministic.
    /// </summary>
    /// <remarks>Implementations must be safe to read from any thread.</remarks>
    public abstract class LoopClock
    {
        /// <summary>The clock that reads <see cref="Stopwatch.GetTimestamp"/>.</summary>
        public static LoopClock System { get; } = new StopwatchClock();

        /// <summary>The current time, in <see cref="TimeSpan"/> ticks (100 ns units) from an arbitrary origin.</summary>
        public abstract long NowTicks { get; }

        private sealed class StopwatchClock : LoopClock
        {
            private static readonly double TicksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

            public override long NowTicks => (long)(Stopwatch.GetTimestamp() * TicksPerTimestamp);
        }
    }
}
