using System;
using System.Reflection;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge.Internal;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Thread-heavy regression tests for findings of the adversarial review of the merged core. Every wait is an
    /// explicit signal, a count of state transitions or a generous hang guard; nothing depends on the machine's speed.
    /// </summary>
    [NonParallelizable]
    public sealed class ReviewFindingsStressTests
    {
        private const int Guard = 30000;

        [TearDown]
        public void RemoveHook() => LoopWorkItem.InterleavingPoint = null;

        /// <summary>A clock that stands still and counts the reads of one thread (to see that thread waiting).</summary>
        private sealed class CountingClock : LoopClock
        {
            internal volatile int CountingThread = -1;
            internal int Reads;

            public override long NowTicks
            {
                get
                {
                    if (Environment.CurrentManagedThreadId == CountingThread)
                    {
                        Interlocked.Increment(ref Reads);
                    }

                    return 1000;
                }
            }
        }

        // A close started on a worker fails the queued work (step 3) on that worker, while the main thread's next tick
        // finishes the close. The main thread did not wait for step 3: it ran the grace period and raised Closed while
        // the worker still held queued items it had dequeued but not failed yet. Closed fired with a handle pending, and
        // that handle's main-thread callback (failed by the close a moment later) was dropped and reported instead of
        // running on the main thread during the grace period.
        [Test]
        public void CloseFromWorker_WhileTheMainThreadTicks_ClosedWaitsForTheQueuedWorkTheWorkerFails()
        {
            var clock = new CountingClock();
            var loop = new MainLoop(new MainLoopOptions { Clock = clock, CloseGracePeriod = TimeSpan.FromSeconds(10), Name = "review" });
            var unhandled = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            loop.UnhandledException += unhandled.Enqueue;
            var h = loop.Run(() => 1);
            var callbackRanOnMain = false;
            var mainThread = Environment.CurrentManagedThreadId;
            h.OnCompleted(o => callbackRanOnMain = Environment.CurrentManagedThreadId == mainThread && o.Status == UniTaskStatus.Canceled);
            var pendingAtClosed = false;
            loop.Closed += (l, r) => pendingAtClosed = h.Status == UniTaskStatus.Pending;

            var paused = new ManualResetEventSlim();
            var resume = new ManualResetEventSlim();
            LoopWorkItem.InterleavingPoint = step =>
            {
                if (step == "complete.claim" && Environment.CurrentManagedThreadId != mainThread && !paused.IsSet)
                {
                    paused.Set();
                    resume.Wait(Guard);
                }
            };

            Exception workerError = null;
            var worker = new Thread(() =>
            {
                try
                {
                    loop.Close(CloseReason.Disposed);
                }
                catch (Exception ex)
                {
                    workerError = ex;
                }
            }) { IsBackground = true };
            worker.Start();
            Assert.That(paused.Wait(Guard), Is.True, "the worker's close reached the queued item");

            // Let the worker go once the main thread has either finished the close (old code) or is seen waiting
            // for the worker (many clock reads while the clock stands still).
            var releaser = new Thread(() =>
            {
                var guard = System.Diagnostics.Stopwatch.StartNew();
                while (loop.State != LoopState.Closed && Volatile.Read(ref clock.Reads) < 20 && guard.ElapsedMilliseconds < Guard)
                {
                    Thread.Yield();
                }

                resume.Set();
            }) { IsBackground = true };
            clock.CountingThread = mainThread;
            releaser.Start();

            loop.Tick(); // the main thread's next tick finishes the close
            Assert.That(worker.Join(Guard), Is.True, "the worker's close returned");
            Assert.That(releaser.Join(Guard), Is.True);
            LoopWorkItem.InterleavingPoint = null;

            Assert.That(workerError, Is.Null);
            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(pendingAtClosed, Is.False, "Closed fired while a handle was still pending");
            Assert.That(callbackRanOnMain, Is.True, "the callback of the handle failed by the close ran on the main thread during the grace period");
            Assert.That(unhandled, Is.Empty);
        }
    }
}
