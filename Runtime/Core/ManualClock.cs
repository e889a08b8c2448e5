#nullable enable
using System;
using System.Threading;

namespace LoopBridge
{
    /// <summary>
    /// A <see cref="LoopClock"/> that only moves when told to: tests advance it by hand (for example from inside a work
    /// item) so that frame-budget behaviour does not depend on how fast the machine is.
    /// </summary>
    /// <remarks>Thread-safe: <see cref="Advance"/> and <see cref="NowTicks"/> may be called from any thread.</remarks>
    public sealed class ManualClock : LoopClock
    {
        private long now;

        /// <inheritdoc />
        public override long NowTicks => Interlocked.Read(ref now);

        /// <summary>Moves the clock forward.</summary>
        /// <param name="by">How far; must not be negative.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
        public void Advance(TimeSpan by)
        {
            if (by < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(by), by, "A clock cannot move backwards.");
            }

            Interlocked.Add(ref now, by.Ticks);
        }
    }
}
