using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    public sealed class HandleTests : LoopTestBase
    {
        [Test]
        public void Await_OnMainThread_ResumesOnMainThreadWithResult()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var handle = Loop.Run(() => "hi");
            string got = null;
            var resumedOn = -1;
            async UniTaskVoid Consume()
            {
                got = await handle;
                resumedOn = Thread.CurrentThread.ManagedThreadId;
            }

            Consume().Forget();
            Assert.That(got, Is.Null);
            Loop.Tick();
            Assert.That(got, Is.EqualTo("hi"));
            Assert.That(resumedOn, Is.EqualTo(mainId));
        }

        [Test]
        public void Await_FromWorker_ResumesOffTheMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var resumedOn = -1;
            var task = Task.Run(async () =>
            {
                var v = await Loop.Run(() => 5);
                resumedOn = Thread.CurrentThread.ManagedThreadId;
                return v;
            });
            LoopAssert.TickUntil(Loop, () => task.IsCompleted, TimeSpan.FromSeconds(10), "the worker's await finished");
            Assert.That(task.Result, Is.EqualTo(5));
            Assert.That(resumedOn, Is.Not.EqualTo(mainId), "a worker's continuation must not run inline on the main thread");
        }

        [Test]
        public void AsUniTask_AndAsTask_CarryTheOutcome()
        {
            var a = Loop.Run(() => 1).AsUniTask();
            var b = Loop.Run<int>(() => throw new InvalidCastException()).AsTask();
            Loop.Tick();
            Assert.That(a.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(a.GetAwaiter().GetResult(), Is.EqualTo(1));
            Assert.That(b.IsFaulted, Is.True);
            Assert.That(b.Exception.InnerException, Is.TypeOf<InvalidCastException>());
        }

        [Test]
        public void GetResult_FromWorker_BlocksUntilTicked()
        {
            var handle = Loop.Run(() => 99);
            var result = 0;
            var started = new ManualResetEventSlim();
            var worker = new Thread(() => { started.Set(); result = handle.GetResult(TimeSpan.FromMinutes(10)); }) { IsBackground = true };
            worker.Start();
            started.Wait();
            Blocked.WaitUntil(Loop, 1);
            Assert.That(worker.IsAlive && result == 0, Is.True, "the worker stays blocked until the main thread ticks");
            Loop.Tick();
            Assert.That(worker.Join(30000), Is.True, "woken by the tick that ran the work (hang guard)");
            Assert.That(result, Is.EqualTo(99));
            Assert.That(Loop.BlockedWaiterCount, Is.EqualTo(0));
        }

        [Test]
        public void GetResult_Timeout_ThrowsTimeoutAndHandleStaysUsable()
        {
            var handle = Loop.Run(() => 7);
            OnWorker(() => Assert.Throws<TimeoutException>(() => handle.GetResult(TimeSpan.FromMilliseconds(20))));
            Loop.Tick();
            var got = 0;
            OnWorker(() => got = handle.GetResult(TimeSpan.FromSeconds(5)));
            Assert.That(got, Is.EqualTo(7));
        }

        [Test]
        public void GetResult_OnMainThreadBeforeRun_ThrowsAtOnceInsteadOfDeadlocking()
        {
            var handle = Loop.Run(() => 1);
            var ex = Assert.Throws<InvalidOperationException>(() => handle.GetResult(TimeSpan.FromSeconds(30)));
            Assert.That(ex.Message, Does.Contain("deadlock"));
            Loop.Tick();
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(1), "after it ran, the main thread may read it");
        }

        [Test]
        public void GetResult_NegativeTimeout_Throws()
        {
            var handle = Loop.Run(() => 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => handle.GetResult(TimeSpan.FromMilliseconds(-5)));
            Loop.Tick();
            Assert.Throws<ArgumentOutOfRangeException>(() => handle.GetResult(TimeSpan.FromMilliseconds(-5)), "also when already complete");
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(1), "a rejected timeout does not consume the handle");
        }

        [Test]
        public void OnCompleted_RegisteredFromWorker_RunsOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var calledOn = -1;
            var value = 0;
            OnWorker(() =>
            {
                var h = Loop.Run(() => 8);
                h.OnCompleted(o => { calledOn = Thread.CurrentThread.ManagedThreadId; value = o.Result; });
            });
            Loop.Tick();
            Assert.That(value, Is.EqualTo(8));
            Assert.That(calledOn, Is.EqualTo(mainId));
        }

        [Test]
        public void OnCompleted_AlreadyComplete_OnMainThread_RunsAtOnce()
        {
            var h = Loop.Run(() => 4);
            Loop.Tick();
            LoopOutcome<int> seen = default;
            h.OnCompleted(o => seen = o);
            Assert.That(seen.IsSucceeded, Is.True);
            Assert.That(seen.Result, Is.EqualTo(4));
        }

        [Test]
        public void OnCompleted_AlreadyComplete_FromWorker_RunsOnNextTickOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var h = Loop.Run(() => 4);
            Loop.Tick();
            var calledOn = -1;
            OnWorker(() => h.OnCompleted(_ => calledOn = Thread.CurrentThread.ManagedThreadId));
            Assert.That(calledOn, Is.EqualTo(-1));
            Loop.Tick();
            Assert.That(calledOn, Is.EqualTo(mainId));
        }

        [Test]
        public void OnCompleted_CompletedByCancelOnWorker_StillRunsOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var h = Loop.Run(() => 1);
            LoopOutcome<int> seen = default;
            var calledOn = -1;
            h.OnCompleted(o => { seen = o; calledOn = Thread.CurrentThread.ManagedThreadId; });
            OnWorker(() => Assert.That(h.Cancel(), Is.True));
            Assert.That(calledOn, Is.EqualTo(-1), "not inline on the cancelling worker");
            Loop.Tick();
            Assert.That(calledOn, Is.EqualTo(mainId));
            Assert.That(seen.IsCanceled, Is.True);
            Assert.Throws<InvalidOperationException>(() => _ = seen.Result);
        }

        [Test]
        public void OnCompleted_NonGeneric_AndThrowingCallbackIsReported()
        {
            var h = Loop.Run(() => { });
            h.OnCompleted(o => throw new NotImplementedException("callback broke " + o.Status));
            Loop.Tick();
            var reported = TakeUnhandled();
            Assert.That(reported, Has.Length.EqualTo(1));
            Assert.That(reported[0].Message, Does.Contain("callback broke Succeeded"));
        }

        [Test]
        public void Cancel_BeforeStart_WorkNeverRuns()
        {
            var ran = false;
            var h = Loop.Run(() => ran = true);
            Assert.That(h.Cancel(), Is.True);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Loop.Tick();
            Assert.That(ran, Is.False);
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
        }

        [Test]
        public void Cancel_AfterCompletion_ReturnsFalse()
        {
            var h = Loop.Run(() => 1);
            Loop.Tick();
            Assert.That(h.Cancel(), Is.False);
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(1));
        }

        [Test]
        public void Token_CancelledBeforeSubmit_NeverQueued()
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var ran = false;
            var h = Loop.Run(() => ran = true, cts.Token);
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(Loop.QueueDepth, Is.EqualTo(0));
            Loop.Tick();
            Assert.That(ran, Is.False);
            var ex = Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.CancellationToken, Is.EqualTo(cts.Token));
        }

        [Test]
        public void Token_CancelledWhileQueued_WakesBlockedWorkerAndWorkNeverRuns()
        {
            using var cts = new CancellationTokenSource();
            var ran = false;
            var h = Loop.Run(() => ran = true, cts.Token);
            Exception seen = null;
            var worker = new Thread(() =>
            {
                try
                {
                    h.GetResult(TimeSpan.FromMinutes(10));
                }
                catch (Exception ex)
                {
                    seen = ex;
                }
            }) { IsBackground = true };
            worker.Start();
            Blocked.WaitUntil(Loop, 1);
            cts.Cancel();
            Assert.That(worker.Join(30000), Is.True, "woken by the token (hang guard)");
            Assert.That(seen, Is.InstanceOf<OperationCanceledException>());
            Loop.Tick();
            Assert.That(ran, Is.False);
        }

        [Test]
        public void Token_RegistrationReleasedOnCompletion_OldTokenCannotTouchReusedSource()
        {
            // If a completed handle's registration stayed on the caller's token, cancelling that token later would
            // reach the pooled source after it was reused by an unrelated submission and cancel that one.
            using var cts = new CancellationTokenSource();
            var first = Loop.Run(1, v => v, cts.Token);
            Loop.Tick();
            Assert.That(first.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            var reused = Loop.Run(2, v => v);
            cts.Cancel();
            Assert.That(reused.Status, Is.EqualTo(UniTaskStatus.Pending));
            Loop.Tick();
            Assert.That(reused.GetResult(TimeSpan.Zero), Is.EqualTo(2));
            Assert.That(Loop.Statistics.Canceled, Is.EqualTo(0));
        }

        [Test]
        public void Misuse_AwaitedTwice_Throws()
        {
            var h = Loop.Run(() => 1);
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            var ex = Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Message, Does.Contain("consumed").Or.Contain("no longer valid"));
        }

        [Test]
        public void Misuse_TwoPendingAwaits_SecondThrows()
        {
            var h = Loop.Run(() => 1);
            var first = h.GetAwaiter();
            var firstResumed = 0;
            first.OnCompleted(() => firstResumed++);
            // The first GetAwaiter claimed the handle: a second one is rejected at once, before it can register.
            Assert.Throws<InvalidOperationException>(() => h.GetAwaiter());
            Loop.Tick();
            Assert.That(firstResumed, Is.EqualTo(1), "the misused second await must not disturb the first");
            Assert.That(first.GetResult(), Is.EqualTo(1));
        }

        [Test]
        public void Misuse_UsedAfterRecycle_DetectedByItsVersion_NeverTouchesTheNewSubmission()
        {
            var first = Loop.Run(0, v => 111);
            Loop.Tick();
            Assert.That(first.GetResult(TimeSpan.Zero), Is.EqualTo(111));
            // The source is back in the pool; the next submission of the same kind reuses it. That reuse is what this
            // test is about, so it is a precondition: with pooling switched off there is no recycled handle to misuse.
            var second = Loop.Run(0, v => 222);
            Assert.That(SourceOf(second), Is.SameAs(SourceOf(first)), "precondition: the second submission reuses the first one's pooled source");

            // Before the new submission runs: the stale handle must not reach it.
            var staleGetResult = Assert.Throws<InvalidOperationException>(() => first.GetResult(TimeSpan.Zero));
            Assert.That(staleGetResult.Message, Does.Contain("reused"), "the message says what happened: the source was reused");
            try
            {
                Assert.That(first.Cancel(), Is.False, "a stale Cancel() does nothing");
            }
            catch (InvalidOperationException)
            {
                // Detected as stale: also acceptable; what matters is below.
            }

            Assert.That(second.IsCompleted, Is.False, "the stale Cancel() did not cancel the new submission");
            Loop.Tick();
            Assert.Throws<InvalidOperationException>(() => first.GetResult(TimeSpan.Zero));
            // Reads after the end never throw and never touch the new submission (issue 10, finding 13).
            Assert.That(first.IsCompleted, Is.True);
            Assert.That(first.Cancel(), Is.False);
            Assert.That(second.GetResult(TimeSpan.Zero), Is.EqualTo(222));
            Assert.Throws<InvalidOperationException>(() => first.GetResult(TimeSpan.Zero), "still stale after the new submission completed");
        }

        /// <summary>The pooled source behind a handle (the struct's one reference field), to check that reuse happened.</summary>
        private static object SourceOf<T>(LoopHandle<T> handle)
        {
            foreach (var field in typeof(LoopHandle<T>).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
            {
                if (!field.FieldType.IsValueType)
                {
                    return field.GetValue(handle);
                }
            }

            throw new InvalidOperationException("LoopHandle<T> has no reference field: update SourceOf");
        }

        [Test]
        public void Await_OnAWorkerUnderAnotherSynchronizationContext_ResumesThroughThatContext()
        {
            var h = Loop.Run(() => 7);
            var context = new RecordingContext();
            var got = 0;
            var resumedUnderContext = false;
            async UniTaskVoid Consume()
            {
                got = await h;
                resumedUnderContext = SynchronizationContext.Current == context;
            }

            OnWorker(() =>
            {
                SynchronizationContext.SetSynchronizationContext(context);
                try
                {
                    Consume().Forget(); // suspends at the await, registering under the context
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(null);
                }
            });

            Loop.Tick();
            Assert.That(got, Is.EqualTo(0), "the continuation did not run inline on the main thread");
            Assert.That(context.Posted.Count, Is.EqualTo(1), "it was posted to the awaiting code's context");
            context.RunPosted();
            Assert.That(got, Is.EqualTo(7));
            Assert.That(resumedUnderContext, Is.True);
        }

        /// <summary>A context that records what is posted to it and runs it only when told, under itself.</summary>
        private sealed class RecordingContext : SynchronizationContext
        {
            public readonly System.Collections.Concurrent.ConcurrentQueue<(SendOrPostCallback, object)> Posted = new System.Collections.Concurrent.ConcurrentQueue<(SendOrPostCallback, object)>();

            public override void Post(SendOrPostCallback d, object state) => Posted.Enqueue((d, state));

            public override SynchronizationContext CreateCopy() => this;

            public void RunPosted()
            {
                var previous = Current;
                SetSynchronizationContext(this);
                try
                {
                    while (Posted.TryDequeue(out var item))
                    {
                        item.Item1(item.Item2);
                    }
                }
                finally
                {
                    SetSynchronizationContext(previous);
                }
            }
        }

        [Test]
        public void Misuse_CallbackAfterAwait_Throws()
        {
            var h = Loop.Run(() => 1);
            Loop.Tick();
            h.GetResult(TimeSpan.Zero);
            Assert.Throws<InvalidOperationException>(() => h.OnCompleted(_ => { }));
        }

        [Test]
        public void Misuse_DefaultHandle_ThrowsClearly()
        {
            var h = default(LoopHandle<int>);
            var ex = Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Message, Does.Contain("default"));
            Assert.Throws<InvalidOperationException>(() => _ = h.IsCompleted);
            Assert.Throws<InvalidOperationException>(() => default(LoopHandle).GetResult(TimeSpan.Zero));
        }

        [Test]
        public void Preserve_AllowsManyConsumers()
        {
            var h = Loop.Run(() => 6).Preserve();
            var a = 0;
            var b = 0;
            var calls = 0;
            async UniTaskVoid AwaitIt()
            {
                a = await h;
            }

            AwaitIt().Forget();
            h.OnCompleted(o => { calls++; b = o.Result; });
            h.OnCompleted(_ => calls++);
            Loop.Tick();
            Assert.That(a, Is.EqualTo(6));
            Assert.That(b, Is.EqualTo(6));
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(6));
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(6));
        }

        [Test]
        public void Preserve_AfterConsumption_Throws()
        {
            var h = Loop.Run(() => 6);
            Loop.Tick();
            h.GetResult(TimeSpan.Zero);
            Assert.Throws<InvalidOperationException>(() => h.Preserve());
        }

        [Test]
        public void NonGenericView_OfGenericHandle_Works()
        {
            LoopHandle h = Loop.Run(() => 6);
            Loop.Tick();
            Assert.DoesNotThrow(() => h.GetResult(TimeSpan.Zero));
        }
    }
}
