using System;
using System.Collections.Generic;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    public sealed class SubmissionTests : LoopTestBase
    {
        [Test]
        public void Run_Func_ReturnsValueAfterTick()
        {
            var handle = Loop.Run(() => 42);
            Assert.That(handle.IsCompleted, Is.False);
            var tick = Loop.Tick();
            Assert.That(tick.ItemsRun, Is.EqualTo(1));
            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(42));
        }

        [Test]
        public void Run_Action_RunsOnMainThread()
        {
            var mainId = Thread.CurrentThread.ManagedThreadId;
            var ranOn = -1;
            LoopHandle handle = default;
            OnWorker(() => handle = Loop.Run(() => ranOn = Thread.CurrentThread.ManagedThreadId));
            Loop.Tick();
            handle.GetResult(TimeSpan.Zero);
            Assert.That(ranOn, Is.EqualTo(mainId));
        }

        [Test]
        public void Run_StateOverloads_PassState()
        {
            var seen = new List<int>();
            var h1 = Loop.Run(7, s => seen.Add(s));
            var h2 = Loop.Run(5, s => s * 3);
            Loop.Tick();
            h1.GetResult(TimeSpan.Zero);
            Assert.That(h2.GetResult(TimeSpan.Zero), Is.EqualTo(15));
            Assert.That(seen, Is.EqualTo(new[] { 7 }));
        }

        [Test]
        public void Run_Throwing_FaultsHandleAndTickGoesOn()
        {
            var bad = Loop.Run<int>(() => throw new FormatException("boom"));
            var good = Loop.Run(() => 1);
            var tick = Loop.Tick();
            Assert.That(tick.ItemsRun, Is.EqualTo(2));
            Assert.That(bad.Status, Is.EqualTo(UniTaskStatus.Faulted));
            var ex = Assert.Throws<FormatException>(() => bad.GetResult(TimeSpan.Zero));
            Assert.That(ex.Message, Is.EqualTo("boom"));
            Assert.That(good.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            Assert.That(Unhandled, Is.Empty, "a fault with a handle is not 'unhandled'");
        }

        [Test]
        public void Run_ThrowingOperationCanceled_CancelsHandle()
        {
            var h = Loop.Run<int>(() => throw new OperationCanceledException());
            Loop.Tick();
            Assert.That(h.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.Throws<OperationCanceledException>(() => h.GetResult(TimeSpan.Zero));
        }

        [Test]
        public void NullDelegates_ThrowArgumentNullAtSubmit()
        {
            Assert.Throws<ArgumentNullException>(() => Loop.Run((Action)null));
            Assert.Throws<ArgumentNullException>(() => Loop.Run((Func<int>)null));
            Assert.Throws<ArgumentNullException>(() => Loop.Run(1, (Action<int>)null));
            Assert.Throws<ArgumentNullException>(() => Loop.Run(1, (Func<int, int>)null));
            Assert.Throws<ArgumentNullException>(() => Loop.RunAsync((Func<CancellationToken, UniTask>)null));
            Assert.Throws<ArgumentNullException>(() => Loop.RunAsync((Func<CancellationToken, UniTask<int>>)null));
            Assert.Throws<ArgumentNullException>(() => Loop.Post(null));
            Assert.Throws<ArgumentNullException>(() => Loop.TryPost(null));
            Assert.Throws<ArgumentNullException>(() => Loop.TryPost(1, (Action<int>)null));
            Assert.That(Loop.QueueDepth, Is.EqualTo(0));
        }

        [Test]
        public void Tick_DrainsSnapshot_ResubmittedWorkRunsNextTick()
        {
            var runs = 0;
            void SelfResubmitting()
            {
                runs++;
                Loop.Post(SelfResubmitting);
            }

            Loop.Post(SelfResubmitting);
            for (var i = 1; i <= 5; i++)
            {
                var tick = Loop.Tick();
                Assert.That(runs, Is.EqualTo(i), "a self-resubmitting item runs once per tick");
                Assert.That(tick.ItemsRun, Is.EqualTo(1));
                Assert.That(tick.ItemsLeft, Is.EqualTo(1));
            }
        }

        [Test]
        public void Tick_OffMainThread_Throws()
        {
            InvalidOperationException caught = null;
            OnWorker(() => caught = Assert.Throws<InvalidOperationException>(() => Loop.Tick()));
            Assert.That(caught.Message, Does.Contain("main thread"));
        }

        [Test]
        public void Tick_Reentrant_ThrowsInsideWorkAndDoesNotBreakLoop()
        {
            var h = Loop.Run(() => Loop.Tick());
            Loop.Tick();
            var ex = Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero));
            Assert.That(ex.Message, Does.Contain("already running"));
            var after = Loop.Run(() => 3);
            Loop.Tick();
            Assert.That(after.GetResult(TimeSpan.Zero), Is.EqualTo(3));
        }

        [Test]
        public void Fifo_PerProducer_IsKept()
        {
            var order = new List<int>();
            OnWorker(() =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    Loop.Post(i, v => order.Add(v));
                }
            });
            Loop.Tick();
            for (var i = 0; i < 1000; i++)
            {
                Assert.That(order[i], Is.EqualTo(i));
            }
        }

        [Test]
        public void Post_ExceptionGoesToUnhandledException()
        {
            Loop.Post(() => throw new InvalidTimeZoneException("lost?"));
            Loop.Tick();
            var reported = TakeUnhandled();
            Assert.That(reported, Has.Length.EqualTo(1));
            Assert.That(reported[0], Is.TypeOf<InvalidTimeZoneException>());
            Assert.That(Loop.Statistics.Faulted, Is.EqualTo(1));
        }

        [Test]
        public void ThrowingReporter_DoesNotBreakTheLoop()
        {
            Loop.UnhandledException += _ => throw new InvalidOperationException("reporter broke");
            var stderr = Console.Error;
            var captured = new System.IO.StringWriter();
            Console.SetError(captured);
            try
            {
                Loop.Post(() => throw new ArithmeticException("work broke"));
                var after = Loop.Run(() => 9);
                Loop.Tick();
                Assert.That(after.GetResult(TimeSpan.Zero), Is.EqualTo(9));
            }
            finally
            {
                Console.SetError(stderr);
            }

            Assert.That(captured.ToString(), Does.Contain("reporter broke").And.Contain("work broke"));
            Assert.That(TakeUnhandled(), Has.Length.EqualTo(1), "the other handler still got it");
        }

        [Test]
        public void NoReporter_WritesToStandardError()
        {
            using var loop = new MainLoop();
            var stderr = Console.Error;
            var captured = new System.IO.StringWriter();
            Console.SetError(captured);
            try
            {
                loop.Post(() => throw new DivideByZeroException("nobody listens"));
                loop.Tick();
            }
            finally
            {
                Console.SetError(stderr);
            }

            Assert.That(captured.ToString(), Does.Contain("nobody listens"));
        }

        [Test]
        public void SynchronizationContext_IsTheLoopsWhileWorkRuns_AndRestoredAfter()
        {
            var before = SynchronizationContext.Current;
            SynchronizationContext inside = null;
            Loop.Post(() => inside = SynchronizationContext.Current);
            Loop.Tick();
            Assert.That(inside, Is.Not.Null);
            Assert.That(inside, Is.Not.SameAs(before));
            Assert.That(SynchronizationContext.Current, Is.SameAs(before));
        }

        [Test]
        public void SynchronizationContext_PostRunsOnNextTick_SendFromWorkerBlocksUntilRun()
        {
            SynchronizationContext ctx = null;
            Loop.Post(() => ctx = SynchronizationContext.Current);
            Loop.Tick();
            var ran = 0;
            ctx.Post(_ => ran++, null);
            Assert.That(ran, Is.EqualTo(0));
            Loop.Tick();
            Assert.That(ran, Is.EqualTo(1));

            var sent = new ManualResetEventSlim();
            var worker = new Thread(() => { ctx.Send(_ => ran++, null); sent.Set(); }) { IsBackground = true };
            worker.Start();
            Blocked.WaitUntil(Loop, 1);
            Assert.That(sent.IsSet || ran != 1, Is.False, "Send blocks the worker until the main thread ran it");
            Loop.Tick();
            Assert.That(sent.Wait(TimeSpan.FromSeconds(30)), Is.True, "Send returned after the tick (hang guard)");
            Assert.That(ran, Is.EqualTo(2));
        }

        [Test]
        public void TryPost_Post_OnClosedLoop()
        {
            Loop.Close(CloseReason.Disposed);
            Assert.That(Loop.TryPost(() => { }), Is.False);
            Assert.That(Loop.TryPost(1, _ => { }), Is.False);
            var ex = Assert.Throws<LoopClosedException>(() => Loop.Post(() => { }));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.Disposed));
        }

        [Test]
        public void Statistics_CountEveryOutcome()
        {
            Loop.Run(() => 1);
            Loop.Run<int>(() => throw new Exception("x"));
            var c = Loop.Run(() => 2);
            c.Cancel();
            Loop.Tick();
            var s = Loop.Statistics;
            Assert.That(s.Succeeded, Is.EqualTo(1));
            Assert.That(s.Faulted, Is.EqualTo(1));
            Assert.That(s.Canceled, Is.EqualTo(1));
            Assert.That(s.Ticks, Is.EqualTo(1));
            Assert.That(s.ItemsRun, Is.EqualTo(3));
            Assert.That(s.Completed, Is.EqualTo(3));
        }

        [Test]
        public void IsMainThread_TrueOnlyOnBoundThread_AndBindMovesIt()
        {
            Assert.That(Loop.IsMainThread, Is.True);
            var onWorker = true;
            OnWorker(() => onWorker = Loop.IsMainThread);
            Assert.That(onWorker, Is.False);

            using var loop = new MainLoop();
            int ticked = 0;
            OnWorker(() =>
            {
                loop.BindToCurrentThread();
                loop.Post(() => ticked++);
                loop.Tick();
            });
            Assert.That(ticked, Is.EqualTo(1));
            Assert.That(loop.IsMainThread, Is.False);
        }
    }
}
