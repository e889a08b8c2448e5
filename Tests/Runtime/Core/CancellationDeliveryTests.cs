using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// Issue 11: cancellation of running async work is delivered through the loop (the next tick, on the main thread,
    /// before any queued entry), never by a thread-pool callback; SwitchTo/NextFrame token overloads; no threads (WebGL).
    /// </summary>
    public sealed class CancellationDeliveryTests : LoopTestBase
    {
        [Test]
        public void RunAsync_CallerTokenCancelledOnAWorker_WorkTokenCancelledOnMainThreadAtTheStartOfTheNextTick()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var callbackThread = -1;
            var seenAtResume = false;
            var workTokenCancelledEarly = true;
            CancellationToken workToken = default;
            var cts = new CancellationTokenSource();
            var h = Loop.RunAsync(async ct =>
            {
                workToken = ct;
                ct.Register(() => callbackThread = Thread.CurrentThread.ManagedThreadId);
                await Loop.NextFrame();
                seenAtResume = ct.IsCancellationRequested;
                ct.ThrowIfCancellationRequested();
            }, cts.Token);

            Loop.Tick(); // starts the work; it waits for the next tick
            OnWorker(() => cts.Cancel());
            workTokenCancelledEarly = workToken.IsCancellationRequested;
            Assert.That(h.IsCompleted, Is.False, "running work is not completed by the caller's token itself");

            Loop.Tick(); // one tick: the cancel is delivered first, then the NextFrame resumption sees it
            Assert.That(workTokenCancelledEarly, Is.False, "the work's token is cancelled by the loop's tick, not by the token's callback");
            Assert.That(callbackThread, Is.EqualTo(mainId), "the work's token callbacks run on the main thread");
            Assert.That(seenAtResume, Is.True, "a continuation due in the same tick already sees the cancellation");
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            cts.Dispose();
        }

        [Test]
        public void RunAsync_CallerTokenCancelledOnMainThreadBetweenTicks_NotInline_DeliveredByTheNextTick()
        {
            var cts = new CancellationTokenSource();
            CancellationToken workToken = default;
            var h = Loop.RunAsync(async ct =>
            {
                workToken = ct;
                await Loop.NextFrame(ct);
            }, cts.Token);
            Loop.Tick();

            cts.Cancel(); // the registration callback runs inline here: it must not run the work's callbacks
            Assert.That(workToken.IsCancellationRequested, Is.False, "not cancelled inline in the caller token's callback");
            Loop.Tick();
            Assert.That(workToken.IsCancellationRequested, Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            cts.Dispose();
        }

        [Test]
        public void RunAsync_CallerTokenCancelled_ThenLoopCloses_BeforeATick_HandleFailsOnce_NothingLeaks()
        {
            var cts = new CancellationTokenSource();
            var h = Loop.RunAsync(async ct => await Loop.NextFrame(), cts.Token);
            Loop.Tick();
            cts.Cancel(); // queued for the next tick, which never comes: the close releases the request
            Loop.Dispose();
            Assert.That(h.IsCompleted, Is.True);
            Assert.Throws(Is.InstanceOf<OperationCanceledException>(), () => h.GetResult(TimeSpan.Zero));
            cts.Dispose();
        }

        [Test]
        public void NextFrame_TokenCancelledBeforeTheTick_ResumesOnMainThreadInThatTickWithOperationCanceled()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var cts = new CancellationTokenSource();
            var caughtOn = -1;
            Exception caught = null;
            var ticks = 0;
            var h = Loop.RunAsync(async ct =>
            {
                try
                {
                    await Loop.NextFrame(cts.Token);
                }
                catch (OperationCanceledException ex)
                {
                    caught = ex;
                    caughtOn = Thread.CurrentThread.ManagedThreadId;
                    ticks = ticksSoFar;
                }
            });
            ticksSoFar = 1;
            Loop.Tick();
            cts.Cancel();
            Assert.That(caught, Is.Null, "resumed by the tick, not by the cancellation");
            ticksSoFar = 2;
            Loop.Tick();
            Assert.That(caught, Is.Not.Null.And.Not.InstanceOf<LoopClosedException>());
            Assert.That(caughtOn, Is.EqualTo(mainId));
            Assert.That(ticks, Is.EqualTo(2), "in the very next tick");
            h.GetResult(TimeSpan.Zero);
            cts.Dispose();
        }

        private int ticksSoFar;

        [Test]
        public void NextFrame_TokenNotCancelled_ResumesNormally_AndAlreadyCancelledThrowsAtOnce()
        {
            var cts = new CancellationTokenSource();
            var resumed = false;
            var h = Loop.RunAsync(async ct =>
            {
                await Loop.NextFrame(cts.Token);
                resumed = true;
            });
            Loop.Tick();
            Loop.Tick();
            Assert.That(resumed, Is.True);
            h.GetResult(TimeSpan.Zero);

            cts.Cancel();
            var awaiter = Loop.NextFrame(cts.Token).GetAwaiter();
            Assert.That(awaiter.IsCompleted, Is.True, "an already-cancelled token does not wait for a tick");
            Assert.Throws<OperationCanceledException>(() => awaiter.GetResult());
            var sw = Loop.SwitchTo(cts.Token).GetAwaiter();
            Assert.That(sw.IsCompleted, Is.True);
            Assert.Throws<OperationCanceledException>(() => sw.GetResult());
            Assert.DoesNotThrow(() => Loop.SwitchTo(CancellationToken.None).GetAwaiter().GetResult());
            cts.Dispose();
        }

        [Test]
        public void SwitchTo_FromAWorker_TokenCancelledBeforeTheTick_ResumesOnMainThreadWithOperationCanceled()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var cts = new CancellationTokenSource();
            var resumedOn = -1;
            Exception caught = null;
            OnWorker(() =>
            {
                var awaiter = Loop.SwitchTo(cts.Token).GetAwaiter();
                Assert.That(awaiter.IsCompleted, Is.False);
                awaiter.UnsafeOnCompleted(() =>
                {
                    resumedOn = Thread.CurrentThread.ManagedThreadId;
                    try
                    {
                        awaiter.GetResult();
                    }
                    catch (Exception ex)
                    {
                        caught = ex;
                    }
                });
            });
            cts.Cancel();
            Assert.That(resumedOn, Is.EqualTo(-1));
            Loop.Tick();
            Assert.That(resumedOn, Is.EqualTo(mainId));
            Assert.That(caught, Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LoopClosedException>());
            cts.Dispose();
        }

        [Test]
        public void SwitchTo_TokenCancelledAndLoopClosed_CloseWins_LoopClosedException()
        {
            var cts = new CancellationTokenSource();
            Exception caught = null;
            OnWorker(() =>
            {
                var awaiter = Loop.SwitchTo(cts.Token).GetAwaiter();
                awaiter.UnsafeOnCompleted(() =>
                {
                    try
                    {
                        awaiter.GetResult();
                    }
                    catch (Exception ex)
                    {
                        caught = ex;
                    }
                });
            });
            cts.Cancel();
            Loop.Dispose();
            Assert.That(caught, Is.InstanceOf<LoopClosedException>());
            cts.Dispose();
        }

        [Test]
        public void NoThreads_Offload_ThrowsPlatformNotSupported_SayingWhatToDoInstead()
        {
            UseLoop(new MainLoopOptions { Clock = Clock, SupportsThreads = false });
            Assert.That(Loop.SupportsThreads, Is.False);
            var ex = Assert.Throws<PlatformNotSupportedException>(() => Loop.Offload(ct => 1));
            Assert.That(ex.Message, Does.Contain("no threads").IgnoreCase.Or.Contain("has none"));
            Assert.That(ex.Message, Does.Contain("NextFrame"));
            Assert.That(Loop.Statistics.QueueDepth + Loop.Statistics.Completed, Is.EqualTo(0), "nothing was submitted");
        }

        [Test]
        public void NoThreads_CallerTokenCancelsRunningWork_EverythingRunsOnTheMainThread()
        {
            UseLoop(new MainLoopOptions { Clock = Clock, SupportsThreads = false });
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var threads = new System.Collections.Generic.List<int>();
            var cts = new CancellationTokenSource();
            var h = Loop.RunAsync(async ct =>
            {
                ct.Register(() => threads.Add(Thread.CurrentThread.ManagedThreadId));
                threads.Add(Thread.CurrentThread.ManagedThreadId);
                await Loop.NextFrame(ct);
                threads.Add(-2); // never: the await throws
            }, cts.Token);
            Loop.Tick();
            cts.Cancel(); // WebGL: the main thread is the only thread
            Loop.Tick();
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(threads, Is.EqualTo(new[] { mainId, mainId }), "start and the token callback, both on the main thread, in that order");
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            cts.Dispose();
        }

        [Test]
        public void Options_SupportsThreads_DefaultsToThePlatform()
        {
            Assert.That(new MainLoopOptions().SupportsThreads, Is.EqualTo(LoopPlatform.SupportsThreads));
            Assert.That(Loop.SupportsThreads, Is.EqualTo(LoopPlatform.SupportsThreads));
        }
    }
}
