#nullable enable
using System.Threading;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>Threads parked in a blocking wait on one of this loop's handles right now (see <see cref="BlockedWaiterCount"/>).</summary>
        private int blockedWaiters;

        /// <summary>
        /// How many threads are parked in a blocking <c>GetResult</c> on this loop's handles right now: incremented just
        /// before a thread parks (Monitor.Wait), decremented when it wakes. Lets tests know a worker is really blocked,
        /// not spinning. Any thread.
        /// </summary>
        internal int BlockedWaiterCount => Volatile.Read(ref blockedWaiters);

        /// <summary>A thread is about to park in a blocking wait on one of this loop's handles.</summary>
        internal void OnWaiterParking() => Interlocked.Increment(ref blockedWaiters);

        /// <summary>A thread parked by <see cref="OnWaiterParking"/> woke up.</summary>
        internal void OnWaiterWoke() => Interlocked.Decrement(ref blockedWaiters);
    }
}
