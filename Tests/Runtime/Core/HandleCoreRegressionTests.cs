using System;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// Regression tests for the handle half of issue 10 (findings 3, 4, 5, 10a, 13 and blocking-wait timeouts). Each
    /// failed on the code before the completion core was rewritten.
    /// </summary>
    public class HandleCoreRegressionTests : LoopTestBase
    {
        private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

        private static object SourceOf<T>(LoopHandle<T> handle) =>
            typeof(LoopHandle<T>).GetField("source", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(handle);

        /// <summary>Starts <paramref name="body"/> on a background thread; its exception (if any) is kept in <paramref name="failure"/>[0].</summary>
        private static Thread StartWorker(Action body, Exception[] failure)
        {
            var t = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    failure[0] = ex;
                }
            }) { IsBackground = true };
            t.Start();
            return t;
        }

        /// <summary>Waits (bounded, as a hang guard only) until <paramref name="count"/> threads are parked on the loop's handles.</summary>
        private void WaitForBlockedWaiters(int count)
        {
            var guard = System.Diagnostics.Stopwatch.StartNew();
            while (Loop.BlockedWaiterCount < count)
            {
                Assert.That(guard.Elapsed, Is.LessThan(Generous), "the worker never parked");
                Thread.Yield();
            }
        }

        // Finding 3: Preserve() after an await threw, as documented, but left that await pending for ever.
        [Test]
        public void Preserve_AfterAwait_ThrowsAndTheAwaitStillCompletes()
        {
            var h = Loop.Run(() => 5);
            var awaiter = h.GetAwaiter();
            var got = 0;
            awaiter.OnCompleted(() => got = awaiter.GetResult());
            var ex = Assert.Throws<InvalidOperationException>(() => h.Preserve());
            Assert.That(ex.Message, Does.Contain("Preserve() must be called before"));
            Loop.Tick();
            Assert.That(got, Is.EqualTo(5), "the await that owned the handle must complete");
        }

        // Finding 4: after 65,536 reuses of one pooled source, a stale copy's 16-bit token matched again: its Cancel()
        // cancelled an unrelated submission and its GetResult() returned that submission's result.
        [Test]
        public void StaleHandle_HeldAcross100000Reuses_NeverTouchesTheNewSubmission()
        {
            var stale = Loop.Run(-1, s => s);
            Loop.Tick();
            Assert.That(stale.GetResult(TimeSpan.Zero), Is.EqualTo(-1));
            var source = SourceOf(stale);
            for (var i = 1; i <= 100000; i++)
            {
                var h = Loop.Run(i, s => s);
                if (i % 65536 == 0 || i == 100000)
                {
                    // The 16-bit token of this use equals the stale handle's at every multiple of 65,536.
                    Assert.That(SourceOf(h), Is.SameAs(source), "precondition: one pooled source serves every submission of this thread");
                    Assert.That(stale.Cancel(), Is.False, $"reuse {i}: a stale Cancel() must not cancel the new submission");
                    Assert.That(stale.IsCompleted, Is.True);
                    Assert.That(h.IsCompleted, Is.False, $"reuse {i}: the new submission is still queued");
                    Loop.Tick();
                    var ex = Assert.Throws<InvalidOperationException>(() => stale.GetResult(TimeSpan.Zero), $"reuse {i}");
                    Assert.That(ex.Message, Does.Contain("reused"));
                    Assert.Throws<InvalidOperationException>(() => stale.OnCompleted(_ => { }));
                    Assert.Throws<InvalidOperationException>(() => stale.AsUniTask());
                }
                else
                {
                    Loop.Tick();
                }

                Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(i));
            }

            Assert.That(Loop.Statistics.Canceled, Is.EqualTo(0), "no stale Cancel() landed");
        }

        // Finding 5: two consumers racing: the loser must fail at once (it used to wait for the completion, then could
        // get default(T), a NullReferenceException, or wait its whole timeout).
        [Test]
        public void RacingBlockingConsumers_LoserFailsAtOnce_WinnerGetsTheResult()
        {
            var h = Loop.Run(() => 42);
            var winner = 0;
            var winnerError = new Exception[1];
            var worker = StartWorker(() => winner = h.GetResult(Generous), winnerError);
            WaitForBlockedWaiters(1);

            var loserError = new Exception[1];
            var loser = StartWorker(() => h.GetResult(Generous), loserError);
            var loserFailedAtOnce = loser.Join(Generous);
            Loop.Tick();
            Assert.That(worker.Join(Generous), Is.True);
            Assert.That(loserFailedAtOnce, Is.True, "the losing consumer must fail at once, not wait for the work");
            Assert.That(loserError[0], Is.TypeOf<InvalidOperationException>());
            Assert.That(loserError[0].Message, Does.Contain("being consumed"));
            Assert.That(winnerError[0], Is.Null);
            Assert.That(winner, Is.EqualTo(42));
        }

        // Finding 5: a consumer that timed out gives its claim back; the handle is then usable by the next one.
        [Test]
        public void BlockingConsumer_TimedOut_HandleStaysUsable()
        {
            var h = Loop.Run(() => 7);
            var outcome = 0;
            OnWorker(() =>
            {
                Assert.Throws<TimeoutException>(() => h.GetResult(TimeSpan.FromMilliseconds(1)));
            });
            h.OnCompleted(o => outcome = o.Result);
            Loop.Tick();
            Assert.That(outcome, Is.EqualTo(7));
        }

        // Finding 10 (first half): after AsTask(), a rejected OnCompleted made the Task fault with "already consumed".
        [Test]
        public void RejectedSecondConsumer_AfterAsTask_DoesNotFaultTheTask()
        {
            var h = Loop.Run(() => 7);
            var task = h.AsTask();
            Assert.Throws<InvalidOperationException>(() => h.OnCompleted(_ => { }));
            Assert.Throws<InvalidOperationException>(() => h.GetResult(TimeSpan.Zero));
            Assert.Throws<InvalidOperationException>(() => h.Preserve());
            Loop.Tick();
            Assert.That(task.Wait(Generous), Is.True);
            Assert.That(task.Status, Is.EqualTo(TaskStatus.RanToCompletion));
            Assert.That(task.Result, Is.EqualTo(7));
        }

        // Finding 10 (first half): the same for an await that owns the handle.
        [Test]
        public void RejectedSecondConsumer_AfterAwait_DoesNotDisturbTheAwait()
        {
            var h = Loop.Run(() => 8);
            var awaiter = h.GetAwaiter();
            var got = 0;
            awaiter.OnCompleted(() => got = awaiter.GetResult());
            Assert.Throws<InvalidOperationException>(() => h.OnCompleted(_ => { }));
            Assert.Throws<InvalidOperationException>(() => h.GetAwaiter());
            OnWorker(() => Assert.Throws<InvalidOperationException>(() => h.GetResult(Generous)));
            Loop.Tick();
            Assert.That(got, Is.EqualTo(8));
        }

        // Finding 13: Status, IsCompleted and Cancel() on a consumed handle threw, with a message about reuse.
        [Test]
        public void ReadsAfterConsumption_NeverThrow_AndCancelReturnsFalse()
        {
            var ok = Loop.Run(() => 1);
            var bad = Loop.Run<int>(() => throw new FormatException());
            Loop.Tick();
            Assert.That(ok.GetResult(TimeSpan.Zero), Is.EqualTo(1));
            Assert.Throws<FormatException>(() => bad.GetResult(TimeSpan.Zero));

            Assert.That(ok.IsCompleted, Is.True);
            Assert.That(ok.Cancel(), Is.False);
            Assert.That(bad.IsCompleted, Is.True);
            Assert.That(bad.Cancel(), Is.False);

            // Consumed one use ago: the final status is still known.
            Assert.That(bad.Status, Is.EqualTo(UniTaskStatus.Faulted));
            Assert.That(ok.Status, Is.EqualTo(UniTaskStatus.Succeeded));

            // The message says what happened: consumed (not "reused" while nothing reused it).
            var again = Loop.Run(() => 2);
            Loop.Tick();
            again.AsTask().Wait(Generous);
            var ex = Assert.Throws<InvalidOperationException>(() => again.GetResult(TimeSpan.Zero));
            Assert.That(ex.Message, Does.Contain("consumed"));
        }

        // Finding 13: the asyncio habit `try { return h.GetResult(t); } finally { h.Cancel(); }` threw on success.
        [Test]
        public void GetResultThenCancelInFinally_ReturnsTheResult()
        {
            var h = Loop.Run(() => 9);
            Loop.Tick();
            int Consume()
            {
                try
                {
                    return h.GetResult(Generous);
                }
                finally
                {
                    h.Cancel();
                }
            }

            Assert.That(Consume(), Is.EqualTo(9));
        }

        // Timeouts: anything above int.MaxValue ms used to be rejected (or overflow); now honoured.
        [Test]
        public void GetResult_TimeSpanMaxValue_IsHonoured()
        {
            var h = Loop.Run(() => 3);
            var got = 0;
            var error = new Exception[1];
            var worker = StartWorker(() => got = h.GetResult(TimeSpan.MaxValue), error);
            WaitForBlockedWaiters(1);
            Loop.Tick();
            Assert.That(worker.Join(Generous), Is.True);
            Assert.That(error[0], Is.Null);
            Assert.That(got, Is.EqualTo(3));
        }

        [Test]
        public void GetResult_LongTimeouts_AreAccepted_NegativeRejected()
        {
            LoopHandle plain = Loop.Run(() => { });
            var typed = Loop.Run(() => 4);
            Loop.Tick();
            Assert.That(typed.GetResult(TimeSpan.FromDays(30)), Is.EqualTo(4));
            Assert.DoesNotThrow(() => plain.GetResult(TimeSpan.FromMilliseconds(int.MaxValue + 1.0)));
            var pending = Loop.Run(() => 5);
            Assert.Throws<ArgumentOutOfRangeException>(() => pending.GetResult(TimeSpan.FromMilliseconds(-2)));
            Loop.Tick();
            Assert.That(pending.GetResult(TimeSpan.MaxValue), Is.EqualTo(5), "a rejected timeout does not consume the handle");
        }
    }
}
