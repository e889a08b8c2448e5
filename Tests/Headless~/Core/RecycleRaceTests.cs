using System;
using System.Diagnostics;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Races between completing a handle on one thread and consuming and reusing its pooled source on another:
    /// a late completer or a late <c>Cancel()</c> must never touch the next, unrelated submission, and no
    /// completion path may wait on user code. Bounded by iteration counts; they count, they do not time.
    /// </summary>
    [NonParallelizable]
    [Category("Stress")]
    public sealed class RecycleRaceTests
    {
        private static readonly Func<int, int> Identity = v => v;
        /// <summary>Iterations per race: a count, not a duration, so a slow machine runs the same races, only slower.</summary>
        private const int Iterations = 1000;

        [Test]
        public void TokenCancelledOnWorker_WhileSourceIsConsumedAndReused_NeverDisturbsTheNextSubmission()
        {
            using var loop = new MainLoop();
            CancellationTokenSource current = null;
            using var relay = new Relay(() => current.Cancel());

            long iterations = 0, premature = 0, wrong = 0;
            for (var i = 1; i <= Iterations; i++)
            {
                current = new CancellationTokenSource();
                var h = loop.Run(i, Identity, current.Token);
                relay.Trigger(i);
                while (!h.IsCompleted)
                {
                }

                loop.Tick();
                try
                {
                    h.GetResult(TimeSpan.Zero);
                }
                catch (OperationCanceledException)
                {
                }

                // The next submission reuses the pooled source at once (same thread).
                var h2 = loop.Run(i, Identity);
                var awaiter = h2.GetAwaiter();
                var ticked = false;
                var resumed = false;
                if (awaiter.IsCompleted)
                {
                    premature++;
                }
                else
                {
                    awaiter.OnCompleted(() =>
                    {
                        resumed = true;
                        if (!ticked)
                        {
                            premature++;
                        }

                        if (awaiter.GetResult() != i)
                        {
                            wrong++;
                        }
                    });
                    ticked = true;
                    loop.Tick();
                    if (!resumed)
                    {
                        wrong++;
                    }
                }

                relay.WaitDone(i);

                iterations++;
            }

            Assert.That(relay.Stop(), Is.Null, "cancelling the caller's token threw");
            Assert.That(premature, Is.EqualTo(0), "the next submission's await resumed before its work ran");
            Assert.That(wrong, Is.EqualTo(0), "the next submission's await did not resume with its own result");
            Assert.That(iterations, Is.EqualTo(Iterations));
        }

        [Test]
        public void LateHandleCancel_WhileSourceIsConsumedAndReused_NeverCancelsAnotherSubmission()
        {
            using var loop = new MainLoop();
            var current = default(LoopHandle<int>);
            using var relay = new Relay(() =>
            {
                try
                {
                    current.Cancel();
                }
                catch (InvalidOperationException)
                {
                    // A stale handle detected: the documented answer.
                }
            });

            long iterations = 0, stolen = 0;
            for (var i = 1; i <= Iterations; i++)
            {
                var h = loop.Run(i, Identity);
                current = h;
                relay.Trigger(i);
                loop.Tick();
                while (!h.IsCompleted)
                {
                }

                try
                {
                    h.GetResult(TimeSpan.Zero);
                }
                catch (OperationCanceledException)
                {
                }

                var h2 = loop.Run(i, Identity); // reuses the pooled source; nobody cancels it
                loop.Tick();
                relay.WaitDone(i);

                loop.Tick();
                try
                {
                    Assert.That(h2.GetResult(TimeSpan.Zero), Is.EqualTo(i));
                }
                catch (OperationCanceledException)
                {
                    stolen++;
                }

                iterations++;
            }

            Assert.That(relay.Stop(), Is.Null, "Cancel() threw something other than the stale-handle InvalidOperationException");
            Assert.That(stolen, Is.EqualTo(0), "a late Cancel() of a consumed handle cancelled the next submission");
            Assert.That(iterations, Is.EqualTo(Iterations));
        }

        [Test]
        public void CallerTokenCancelled_WhileItsCallbackWaitsForTheMainThread_CompletionDoesNotDeadlock()
        {
            // The work's token has a callback that runs through the loop's SynchronizationContext. It used to be
            // cancelled from a worker (which then blocked until a tick), and completing the work on the main thread
            // meanwhile must not wait for that callback (a registration Dispose would). Since issue 11 the caller's
            // token only records the request: the cancelling thread never waits for the main thread, and the next
            // tick cancels the work's token on the main thread, where the callback runs inline.
            Exception failure = null;
            var status = UniTaskStatus.Pending;
            var mainThread = new Thread(() =>
            {
                try
                {
                    using var loop = new MainLoop();
                    using var userCts = new CancellationTokenSource();
                    var gate = new UniTaskCompletionSource();
                    var callbackThread = -1;
                    var h = loop.RunAsync(async ct =>
                    {
                        ct.Register(() => callbackThread = Thread.CurrentThread.ManagedThreadId, useSynchronizationContext: true);
                        await gate.Task;
                    }, userCts.Token);
                    loop.Tick();
                    var canceller = new Thread(() => userCts.Cancel()) { IsBackground = true };
                    canceller.Start();
                    Assert.That(canceller.Join(10_000), Is.True, "the cancelling worker waited for the main thread");
                    Assert.That(callbackThread, Is.EqualTo(-1), "the work's token is cancelled by the next tick, not by the canceller");
                    loop.Tick();
                    Assert.That(callbackThread, Is.EqualTo(Thread.CurrentThread.ManagedThreadId), "the work token's callback ran on the main thread");
                    gate.TrySetResult(); // completes the work inline on this (main) thread
                    status = h.Status;
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            }) { IsBackground = true };
            mainThread.Start();
            Assert.That(mainThread.Join(20_000), Is.True, "the main thread deadlocked completing the work");
            Assert.That(failure, Is.Null, failure?.ToString());
            Assert.That(status, Is.Not.EqualTo(UniTaskStatus.Pending));
        }

        /// <summary>A worker that runs one action each time the test triggers it, spinning (not sleeping) in between, so the action lands as close as possible to what the test does next.</summary>
        private sealed class Relay : IDisposable
        {
            private readonly Thread worker;
            private int go;
            private int done;
            private Exception failure;

            internal Relay(Action action)
            {
                worker = new Thread(() =>
                {
                    while (true)
                    {
                        int g;
                        while ((g = Volatile.Read(ref go)) == Volatile.Read(ref done))
                        {
                        }

                        if (g < 0)
                        {
                            return;
                        }

                        try
                        {
                            action();
                        }
                        catch (Exception ex)
                        {
                            failure ??= ex;
                        }

                        Volatile.Write(ref done, g);
                    }
                }) { IsBackground = true };
                worker.Start();
            }

            internal void Trigger(int round) => Volatile.Write(ref go, round);

            internal void WaitDone(int round)
            {
                while (Volatile.Read(ref done) != round)
                {
                }
            }

            /// <summary>Stops the worker; returns the first exception the action threw, if any.</summary>
            internal Exception Stop()
            {
                Volatile.Write(ref go, -1);
                Assert.That(worker.Join(10000), Is.True, "relay worker did not stop");
                return failure;
            }

            public void Dispose()
            {
                Volatile.Write(ref go, -1);
            }
        }
    }
}
