using System;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// A worker thread that blocks in a handle's GetResult(30 s) until the loop completes or fails
    /// the handle. Tests wait on signals, never on sleeps: <see cref="WaitUntilBlocked"/> returns
    /// once the thread is inside the blocking call.
    /// </summary>
    public sealed class BlockedWorker
    {
        /// <summary>The timeout the worker passes to GetResult: far longer than any test waits.</summary>
        public static readonly TimeSpan BlockFor = TimeSpan.FromSeconds(30);

        /// <summary>How long a test waits for the worker to wake: loose, and still well under <see cref="BlockFor"/>.</summary>
        public static readonly TimeSpan WakeWithin = TimeSpan.FromSeconds(10);

        readonly Thread _thread;
        readonly ManualResetEventSlim _aboutToBlock = new ManualResetEventSlim();

        public BlockedWorker(LoopHandle<int> handle)
        {
            _thread = new Thread(() =>
            {
                _aboutToBlock.Set();
                try
                {
                    Result = handle.GetResult(BlockFor);
                }
                catch (Exception e)
                {
                    Exception = e;
                }
            }) { IsBackground = true, Name = "glue-test blocked worker" };
            _thread.Start();
        }

        public int? Result { get; private set; }

        public Exception Exception { get; private set; }

        public bool IsAlive => _thread.IsAlive;

        /// <summary>
        /// Returns once the worker is parked inside GetResult on <paramref name="loop"/> (the loop's own count of blocked
        /// waiters, see <see cref="Blocked"/>); fails the test after the hang guard.
        /// </summary>
        public void WaitUntilBlocked(MainLoop loop)
        {
            Assert.That(_aboutToBlock.Wait(WakeWithin), "worker never started");
            Blocked.WaitUntil(loop, 1);
            Assert.That(_thread.IsAlive, "worker returned instead of blocking: " + Exception);
        }

        /// <summary>Waits for the worker to return; true when it did within <see cref="WakeWithin"/>.</summary>
        public bool Join() => _thread.Join(WakeWithin);
    }
}
