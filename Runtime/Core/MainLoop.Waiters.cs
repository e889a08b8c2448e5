#nullable enable
using System.Threading;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <remarks>
        /// Threads parked in a blocking wait on one of this loop's handles right now. Incremented by the waiting thread
        /// just before it parks (after its spin phase) and decremented once it has woken; read by tests only.
        /// </remarks>
        private int blockedWaiters;

        /// <summary>
        /// How many threads are parked in a blocking wait (<c>GetResult</c>/<c>Wait</c>) on this loop's handles now.
        /// Any thread; a moment's value. The one reliable way for a test to know that a worker is blocked, so that only
        /// a completion (or the close) can wake it: a thread counted here has finished spinning and waits on the
        /// handle's monitor. (A thread's <c>ThreadState</c> cannot tell: it also shows WaitSleepJoin while spinning.)
        /// </summary>
        internal int BlockedWaiterCount => Volatile.Read(ref blockedWaiters);

        /// <summary>Called by a waiting thread just before it parks on a handle. Any thread.</summary>
        internal void OnWaiterBlocking() => Interlocked.Increment(ref blockedWaiters);

        /// <summary>Called by a waiting thread once it has woken (completed, timed out or failed). Any thread.</summary>
        internal void OnWaiterWoke() => Interlocked.Decrement(ref blockedWaiters);
    }
}
