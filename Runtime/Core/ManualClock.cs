#nullable enable
using System;
using System.Threading;

namespace LoopBridge
{
    /// <summary>
    /// A <see cref="LoopClock"/> that only moves when told to: tests advance it by hand (for example from inside a work
    /// item, or from a <see cref="MainLoop.Closing"/> callback) so that frame budgets and close grace periods do not
    /// depend on how fast the machine is.
    /// </summary>
    /// <remarks>Thread-safe: <see cref="Advance"/> and <see cref="NowTicks"/> may be called from any thread.</remarks>
    public sealed class ManualClock : LoopClock
    {
        private long now;

        /// <inheritdoc />
        public override long NowTicks => Interlocked.Read(ref now);

        /// <summary>Moves the clock forward. Any thread.</summary>
        /// <param name="by">How far; must not be negative.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative, or would move the clock past <see cref="long.MaxValue"/> ticks.</exception>
        public void Advance(TimeSpan by)
        {
            if (by < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(by), by, "A clock cannot move backwards.");
            }

            while (true)
            {
                var current = Interlocked.Read(ref now);
                if (current > long.MaxValue - by.Ticks)
                {
                    throw new ArgumentOutOfRangeException(nameof(by), by, $"The clock would pass its end ({long.MaxValue} ticks); it stands at {current}.");
                }

                if (Interlocked.CompareExchange(ref now, current + by.Ticks, current) == current)
                {
                    return;
                }
            }
        }
    }
}
