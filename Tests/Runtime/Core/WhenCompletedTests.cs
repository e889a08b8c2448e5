using System;
using System.Collections.Generic;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// The engine-free JobHandle bridge (<see cref="MainLoop.WhenCompleted{TPollable}(TPollable, CancellationToken)"/>),
    /// driven through a fake pollable whose completion the test controls. Ticks are counted, never timed.
    /// </summary>
    public sealed class WhenCompletedTests : LoopTestBase
    {
        /// <summary>A job stand-in: finishes when the test says so; records every call and the thread it came on.</summary>
        private sealed class FakeJob : IMainThreadPollable
        {
            private readonly List<string> log;

            public FakeJob(string name = "job", List<string> log = null)
            {
                Name = name;
                this.log = log;
            }

            public string Name { get; }

            public bool Done { get; set; }

            public int IsCompletedCalls { get; private set; }

            public int CompleteCalls { get; private set; }

            public int CompleteThread { get; private set; } = -1;

            public Exception ThrowFromIsCompleted { get; set; }

            public Exception ThrowFromComplete { get; set; }

            public bool IsCompleted
            {
                get
                {
                    IsCompletedCalls++;
                    if (ThrowFromIsCompleted != null)
                    {
                        throw ThrowFromIsCompleted;
                    }

                    return Done;
                }
            }

            public void Complete()
            {
                CompleteCalls++;
                CompleteThread = Environment.CurrentManagedThreadId;
                log?.Add("complete " + Name);
                Done = true;
                if (ThrowFromComplete != null)
                {
                    throw ThrowFromComplete;
                }
            }
        }

        [Test]
        public void WhenCompleted_JobFinishes_HandleCompletesOnMainThreadAfterCompleteCalledOnce()
        {
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job);
            var seenCompleteCalls = -1;
            var callbackThread = -1;
            h.OnCompleted(o =>
            {
                seenCompleteCalls = job.CompleteCalls;
                callbackThread = Environment.CurrentManagedThreadId;
                Assert.That(o.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            });

            Loop.Tick();
            Loop.Tick();
            Assert.That(job.IsCompletedCalls, Is.EqualTo(2), "checked once per tick");
            Assert.That(job.CompleteCalls, Is.EqualTo(0), "not completed while the job runs");
            Assert.That(seenCompleteCalls, Is.EqualTo(-1));

            job.Done = true;
            Loop.Tick();
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
            Assert.That(job.CompleteThread, Is.EqualTo(Loop.MainThreadId));
            Assert.That(seenCompleteCalls, Is.EqualTo(1), "Complete() ran before the continuation");
            Assert.That(callbackThread, Is.EqualTo(Loop.MainThreadId));

            Loop.Tick();
            Loop.Tick();
            Assert.That(job.IsCompletedCalls, Is.EqualTo(3), "no more checks after completion");
            Assert.That(job.CompleteCalls, Is.EqualTo(1), "Complete() exactly once");
            Assert.That(Loop.QueueDepth, Is.EqualTo(0), "the poller stops re-posting itself when nothing is pending");
        }

        [Test]
        public void WhenCompleted_WithReader_ReadsOnMainThreadAfterComplete()
        {
            var job = new FakeJob { Done = true };
            var readThread = -1;
            var h = Loop.WhenCompleted(job, () =>
            {
                readThread = Environment.CurrentManagedThreadId;
                return job.CompleteCalls * 42;
            });
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(42), "the reader saw Complete() already called");
            Assert.That(readThread, Is.EqualTo(Loop.MainThreadId));
        }

        [Test]
        public void WhenCompleted_WithStateReader_PassesState()
        {
            var job = new FakeJob { Done = true };
            var results = new[] { 7, 8 };
            var h = Loop.WhenCompleted(job, results, r => r[1]);
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(8));
        }

        [Test]
        public void WhenCompleted_ThousandPending_OneQueueEntryAndOneCheckEachPerTick()
        {
            var jobs = new FakeJob[1000];
            var handles = new LoopHandle[jobs.Length];
            for (var i = 0; i < jobs.Length; i++)
            {
                jobs[i] = new FakeJob();
                handles[i] = Loop.WhenCompleted(jobs[i]).Preserve();
            }

            Assert.That(Loop.QueueDepth, Is.EqualTo(1), "all pending jobs share one queue entry");
            for (var tick = 1; tick <= 3; tick++)
            {
                var result = Loop.Tick();
                Assert.That(result.ItemsRun, Is.EqualTo(1), "one pass per tick");
                foreach (var job in jobs)
                {
                    Assert.That(job.IsCompletedCalls, Is.EqualTo(tick));
                }
            }

            for (var i = 0; i < jobs.Length; i += 2)
            {
                jobs[i].Done = true;
            }

            Loop.Tick();
            for (var i = 0; i < jobs.Length; i++)
            {
                Assert.That(handles[i].IsCompleted, Is.EqualTo(i % 2 == 0));
                Assert.That(jobs[i].CompleteCalls, Is.EqualTo(i % 2 == 0 ? 1 : 0));
            }

            Loop.Tick();
            Assert.That(jobs[0].IsCompletedCalls, Is.EqualTo(4), "completed jobs leave the pass");
            Assert.That(jobs[1].IsCompletedCalls, Is.EqualTo(5));
        }

        [Test]
        public void WhenCompleted_SubmittedDuringTheTick_FirstCheckedNextTick()
        {
            var job = new FakeJob { Done = true };
            LoopHandle inner = default;
            Loop.Run(() => { inner = Loop.WhenCompleted(job).Preserve(); });
            Loop.Tick();
            Assert.That(job.IsCompletedCalls, Is.EqualTo(0));
            Loop.Tick();
            Assert.That(inner.Status, Is.EqualTo(UniTaskStatus.Succeeded));
        }

        [Test]
        public void Cancel_Pending_NextTickCompletesJobThenCancels()
        {
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job).Preserve();
            var seenCompleteCalls = -1;
            h.OnCompleted(o => seenCompleteCalls = job.CompleteCalls);

            Assert.That(h.Cancel(), Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Pending), "applied by the next pass, on the main thread");
            Assert.That(job.CompleteCalls, Is.EqualTo(0));

            Loop.Tick();
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(job.CompleteCalls, Is.EqualTo(1), "a cancelled wait still completes the job (buffers can be disposed)");
            Assert.That(seenCompleteCalls, Is.EqualTo(1), "Complete() ran before the continuation");
            var ex = Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex, Is.Not.InstanceOf<LoopClosedException>());
            Assert.That(h.Cancel(), Is.False, "nothing left to cancel");
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
        }

        [Test]
        public void Token_CancelledWhilePending_NextTickCompletesJobThenCancels()
        {
            using var cts = new CancellationTokenSource();
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job, () => 1, cts.Token);
            Loop.Tick();
            cts.Cancel();
            Loop.Tick();
            var ex = Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
        }

        [Test]
        public void Token_AlreadyCancelled_CanceledOnFirstTickAfterComplete_ReaderNeverRuns()
        {
            var job = new FakeJob { Done = true };
            var reads = 0;
            var h = Loop.WhenCompleted(job, () => ++reads, new CancellationToken(true));
            Loop.Tick();
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
            Assert.That(reads, Is.EqualTo(0));
        }

        [Test]
        public void Close_OnMainThread_CompletesEveryJobBeforeFailingAnyHandle()
        {
            var log = new List<string>();
            var a = new FakeJob("a", log);
            var b = new FakeJob("b", log);
            var ha = Loop.WhenCompleted(a);
            var hb = Loop.WhenCompleted(b, () => 5);
            ha.OnCompleted(o => log.Add((o.IsClosed ? "closed " : "other ") + "a"));
            hb.OnCompleted(o => log.Add((o.IsClosed ? "closed " : "other ") + "b"));
            Loop.Tick();
            var queued = Loop.Run(() => log.Add("never"));
            queued.OnCompleted(o => log.Add("queued work failed"));

            Loop.Close(CloseReason.ExitingPlayMode);
            Assert.That(log, Is.EqualTo(new[] { "complete a", "complete b", "closed a", "closed b", "queued work failed" }));
            Assert.That(a.CompleteCalls + b.CompleteCalls, Is.EqualTo(2));
            Assert.That(Loop.Statistics.FailedByClose, Is.EqualTo(3));
        }

        [Test]
        public void Close_OnMainThread_HandleFailsWithReason()
        {
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job, () => 1);
            Loop.Close(CloseReason.DomainReload);
            var ex = Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
            Assert.That(job.CompleteThread, Is.EqualTo(Loop.MainThreadId));
            Loop.Tick();
            Assert.That(job.IsCompletedCalls, Is.EqualTo(0), "never polled: closed before the first tick");
        }

        [Test]
        public void Close_FromWorker_HandlesFailAtOnce_CompleteNeverCalledOffMainThread()
        {
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job).Preserve();
            Loop.Tick();
            var joinCloser = StartWorker(() => Loop.Close(CloseReason.Disposed));

            // The handle fails at once on the closing thread; the main thread's next tick finishes the close.
            Assert.That(SpinWait.SpinUntil(() => h.Status != UniTaskStatus.Pending, 30000), Is.True, "the handle failed (hang guard)");
            Assert.That(job.CompleteCalls, Is.EqualTo(0), "JobHandle.Complete is main-thread-only");
            Testing.LoopAssert.TickUntil(Loop, () => Loop.State == LoopState.Closed, TimeSpan.FromSeconds(30), "the close finished");
            joinCloser();
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero));
        }

        [Test]
        public void Close_WorkerBlockedOnHandle_WakesWithLoopClosed()
        {
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job, () => 1);
            Exception seen = null;
            var worker = new Thread(() =>
            {
                try
                {
                    h.GetResult(TimeSpan.FromSeconds(30));
                }
                catch (Exception ex)
                {
                    seen = ex;
                }
            }) { IsBackground = true };
            worker.Start();
            Loop.Tick();
            Loop.Close(CloseReason.EngineShutdown);
            Assert.That(worker.Join(30000), Is.True, "hang guard");
            Assert.That(seen, Is.InstanceOf<LoopClosedException>());
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
        }

        [Test]
        public void Continuation_ClosesLoopDuringThePass_RestCompletedThenFailed_EachOnce()
        {
            var log = new List<string>();
            var jobs = new[] { new FakeJob("a", log) { Done = true }, new FakeJob("b", log) { Done = true }, new FakeJob("c", log) };
            var outcomes = new List<string>();
            for (var i = 0; i < jobs.Length; i++)
            {
                var name = jobs[i].Name;
                Loop.WhenCompleted(jobs[i]).OnCompleted(o =>
                {
                    outcomes.Add(name + (o.IsClosed ? " closed" : " " + o.Status));
                    if (name == "a")
                    {
                        Loop.Close(CloseReason.Disposed);
                    }
                });
            }

            Loop.Tick();
            Assert.That(outcomes, Is.EqualTo(new[] { "a Succeeded", "b closed", "c closed" }));
            Assert.That(log, Is.EqualTo(new[] { "complete a", "complete b", "complete c" }));
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed));
        }

        [Test]
        public void WhenCompleted_OnClosedLoop_OnMainThread_CompletesJobAndFailsAtOnce()
        {
            Loop.Close(CloseReason.EngineShutdown);
            var job = new FakeJob();
            var h = Loop.WhenCompleted(job);
            Assert.That(Assert.Throws<LoopClosedException>(() => h.GetResult(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
            Assert.That(Loop.QueueDepth, Is.EqualTo(0));
        }

        [Test]
        public void WhenCompleted_FromWorker_CompletesOnMainThreadTick()
        {
            var job = new FakeJob { Done = true };
            LoopHandle<int> h = default;
            OnWorker(() => h = Loop.WhenCompleted(job, () => 3));
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(3));
            Assert.That(job.CompleteThread, Is.EqualTo(Loop.MainThreadId));
        }

        [Test]
        public void IsCompletedThrows_HandleFaulted_CompleteStillCalled()
        {
            var job = new FakeJob { ThrowFromIsCompleted = new InvalidOperationException("poll") };
            var h = Loop.WhenCompleted(job);
            Loop.Tick();
            Assert.That(Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero)).Message, Is.EqualTo("poll"));
            Assert.That(job.CompleteCalls, Is.EqualTo(1));
        }

        [Test]
        public void CompleteThrows_HandleFaulted_ReaderNotRun()
        {
            var job = new FakeJob { Done = true, ThrowFromComplete = new InvalidOperationException("complete") };
            var reads = 0;
            var h = Loop.WhenCompleted(job, () => ++reads);
            Loop.Tick();
            Assert.That(Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero)).Message, Is.EqualTo("complete"));
            Assert.That(reads, Is.EqualTo(0));
        }

        [Test]
        public void ReaderThrows_HandleFaulted_LoopGoesOn()
        {
            var job = new FakeJob { Done = true };
            var h = Loop.WhenCompleted<FakeJob, int>(job, () => throw new FormatException("read"));
            var other = Loop.WhenCompleted(new FakeJob { Done = true });
            Loop.Tick();
            Assert.Throws<FormatException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(other.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(Unhandled, Is.Empty);
        }

        [Test]
        public void NullArguments_Throw()
        {
            Assert.Throws<ArgumentNullException>(() => Loop.WhenCompleted<FakeJob>(null));
            Assert.Throws<ArgumentNullException>(() => Loop.WhenCompleted<FakeJob, int>(new FakeJob(), null));
            Assert.Throws<ArgumentNullException>(() => Loop.WhenCompleted<FakeJob, int, int>(new FakeJob(), 1, null));
        }

        [Test]
        public void Await_InsideAsyncWork_ResumesOnMainThreadWithResult()
        {
            var job = new FakeJob();
            var resumedOn = -1;
            var h = Loop.RunAsync(async ct =>
            {
                var v = await Loop.WhenCompleted(job, () => 9);
                resumedOn = Environment.CurrentManagedThreadId;
                return v + job.CompleteCalls;
            });
            Loop.Tick();
            Loop.Tick();
            job.Done = true;
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(10));
            Assert.That(resumedOn, Is.EqualTo(Loop.MainThreadId));
        }

        [Test]
        public void PooledSources_ReusedManyTimes_EachHandleGetsItsOwnResult()
        {
            for (var i = 0; i < 200; i++)
            {
                var job = new FakeJob { Done = true };
                var value = i;
                var h = Loop.WhenCompleted(job, value, v => v * 2);
                Loop.Tick();
                Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(i * 2));
                Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero), "consumed once");
            }
        }
    }
}
