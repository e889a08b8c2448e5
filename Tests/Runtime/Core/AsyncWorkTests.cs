using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    public sealed class AsyncWorkTests : LoopTestBase
    {
        [Test]
        public void RunAsync_AwaitsAcrossFrames_CompletesWithResult()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var threads = new System.Collections.Generic.List<int>();
            var h = Loop.RunAsync(async ct =>
            {
                threads.Add(Thread.CurrentThread.ManagedThreadId);
                await Loop.NextFrame();
                threads.Add(Thread.CurrentThread.ManagedThreadId);
                await Loop.NextFrame();
                threads.Add(Thread.CurrentThread.ManagedThreadId);
                return 12;
            });
            Loop.Tick();
            Assert.That(h.IsCompleted, Is.False);
            Loop.Tick();
            Assert.That(h.IsCompleted, Is.False);
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(12));
            Assert.That(threads, Is.EqualTo(new[] { mainId, mainId, mainId }));
        }

        [Test]
        public void RunAsync_TaskAwaitInside_ResumesOnMainThreadThroughTheLoop()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var resumedOn = -1;
            var h = Loop.RunAsync(async ct =>
            {
                await Task.Run(() => Thread.Sleep(1));
                resumedOn = Thread.CurrentThread.ManagedThreadId;
            });
            LoopAssert.TickUntil(Loop, () => h.IsCompleted, TimeSpan.FromSeconds(10), "async work completed");
            h.GetResult(TimeSpan.Zero);
            Assert.That(resumedOn, Is.EqualTo(mainId));
        }

        [Test]
        public void RunAsync_AlreadyCompletedUniTask_CompletesInTheSameTick()
        {
            var h = Loop.RunAsync(ct => UniTask.FromResult(3));
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(3));
            var n = Loop.RunAsync(ct => UniTask.CompletedTask);
            Loop.Tick();
            Assert.That(n.Status, Is.EqualTo(UniTaskStatus.Succeeded));
        }

        [Test]
        public void RunAsync_Throwing_FaultsHandle()
        {
            var sync = Loop.RunAsync<int>(ct => throw new ArgumentException("sync part"));
            var later = Loop.RunAsync<int>(async ct =>
            {
                await Loop.NextFrame();
                throw new ArgumentException("async part");
            });
            LoopAssert.TickFrames(Loop, 2);
            Assert.That(Assert.Throws<ArgumentException>(() => sync.GetResult(TimeSpan.Zero)).Message, Is.EqualTo("sync part"));
            Assert.That(Assert.Throws<ArgumentException>(() => later.GetResult(TimeSpan.Zero)).Message, Is.EqualTo("async part"));
        }

        [Test]
        public void Cancel_RunningAsyncWork_CancelsItsToken()
        {
            var observed = false;
            var h = Loop.RunAsync(async ct =>
            {
                while (!ct.IsCancellationRequested)
                {
                    await Loop.NextFrame();
                }

                observed = true;
                ct.ThrowIfCancellationRequested();
            });
            Loop.Tick();
            Loop.Tick();
            Assert.That(h.Cancel(), Is.True);
            Assert.That(h.IsCompleted, Is.False, "async work completes when it observes the cancellation");
            Loop.Tick();
            Assert.That(observed, Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
        }

        [Test]
        public void CallerToken_CancelledWhileAsyncWorkRuns_IsPassedOn()
        {
            using var cts = new CancellationTokenSource();
            var h = Loop.RunAsync(async ct =>
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    await Loop.NextFrame();
                }
            }, cts.Token);
            Loop.Tick();
            cts.Cancel();
            // The caller's token reaches running work through the loop: the next tick cancels the work's token (never inline in the token's callback).
            LoopAssert.TickUntil(Loop, () => h.IsCompleted, TimeSpan.FromSeconds(10), "the work saw the caller's token");
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
        }

        [Test]
        public void CallerToken_CancelledBeforeAsyncStart_WorkNeverRuns()
        {
            using var cts = new CancellationTokenSource();
            var started = false;
            var h = Loop.RunAsync(ct => { started = true; return UniTask.CompletedTask; }, cts.Token);
            cts.Cancel();
            Loop.Tick();
            Assert.That(started, Is.False);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
        }

        [Test]
        public void AsyncToken_IsLinkedToClosing()
        {
            CancellationToken seen = default;
            var h = Loop.RunAsync(async ct =>
            {
                seen = ct;
                await Loop.NextFrame();
            });
            Loop.Tick();
            Assert.That(seen.IsCancellationRequested, Is.False);
            Loop.Close(CloseReason.Disposed);
            Assert.That(seen.IsCancellationRequested, Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
        }

        [Test]
        public void SwitchTo_FromWorker_ContinuesOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var onMain = -1;
            var task = Task.Run(async () =>
            {
                await Loop.SwitchTo();
                onMain = Thread.CurrentThread.ManagedThreadId;
            });
            LoopAssert.TickUntil(Loop, () => task.IsCompleted, TimeSpan.FromSeconds(10), "SwitchTo resumed");
            Assert.That(task.IsFaulted, Is.False);
            Assert.That(onMain, Is.EqualTo(mainId));
        }

        [Test]
        public void SwitchTo_OnMainThread_DoesNotHop_NextFrameDoes()
        {
            Assert.That(Loop.SwitchTo().GetAwaiter().IsCompleted, Is.True);
            Assert.That(Loop.NextFrame().GetAwaiter().IsCompleted, Is.False);
        }

        [Test]
        public void SwitchTo_ClosedLoop_ThrowsLoopClosed()
        {
            Loop.Close(CloseReason.EngineShutdown);
            var ex = Assert.Throws<LoopClosedException>(() => Loop.SwitchTo().GetAwaiter().GetResult());
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(Loop.SwitchTo().GetAwaiter().IsCompleted, Is.True, "no hop: it throws at once");
        }

        [Test]
        public void SwitchTo_PendingWhenLoopCloses_ResumesWithLoopClosedAndFinallyRuns()
        {
            var finallyRan = new ManualResetEventSlim();
            Exception seen = null;
            var task = Task.Run(async () =>
            {
                try
                {
                    await Loop.SwitchTo();
                }
                catch (Exception ex)
                {
                    seen = ex;
                }
                finally
                {
                    finallyRan.Set();
                }
            });
            SpinWait.SpinUntil(() => Loop.QueueDepth > 0, 10000);
            Loop.Close(CloseReason.DomainReload);
            Assert.That(finallyRan.Wait(10000), Is.True);
            Assert.That(seen, Is.TypeOf<LoopClosedException>());
            Assert.That(((LoopClosedException)seen).Reason, Is.EqualTo(CloseReason.DomainReload));
        }

        [Test]
        public void Offload_RunsOnThreadPool_CompletesOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var workThread = -1;
            var completedOn = -1;
            var h = Loop.Offload(ct => { workThread = Thread.CurrentThread.ManagedThreadId; return 21 * 2; });
            h.OnCompleted(o => completedOn = Thread.CurrentThread.ManagedThreadId);
            LoopAssert.TickUntil(Loop, () => completedOn != -1, TimeSpan.FromSeconds(10), "the offloaded result came back");
            Assert.That(workThread, Is.Not.EqualTo(mainId));
            Assert.That(completedOn, Is.EqualTo(mainId));
            Assert.That(Loop.Statistics.Succeeded, Is.EqualTo(1));
        }

        [Test]
        public void Offload_LoopClosesWhileWorkRuns_ResultDiscarded_HandleFailsWithLoopClosed()
        {
            var inWork = new ManualResetEventSlim();
            var release = new ManualResetEventSlim();
            var h = Loop.Offload(ct => { inWork.Set(); release.Wait(10000); return 1; });
            LoopAssert.TickUntil(Loop, () => inWork.IsSet, TimeSpan.FromSeconds(10), "the work started on the pool");
            Loop.Close(CloseReason.ExitingPlayMode);
            release.Set();
            var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
        }

        [Test]
        public void Offload_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => Loop.Offload<int>(null));
        }
    }
}
