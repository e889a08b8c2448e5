using System;
using System.Threading;
using LoopBridge.Testing;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// A fresh loop per test, bound to the test's thread and ticked by hand with a <see cref="ManualClock"/>. Teardown
    /// closes it and fails the test if anything was left behind: the loop must reach Closed, no handle may be pending
    /// (<see cref="LoopAssert.NoPendingHandles"/>), and no exception may have gone to <see cref="MainLoop.UnhandledException"/>.
    /// A test that expects unhandled exceptions takes them with <see cref="TakeUnhandled"/> (the explicit opt-out).
    /// </summary>
    public abstract class LoopTestBase
    {
        protected MainLoop Loop;
        protected ManualClock Clock;
        protected System.Collections.Concurrent.ConcurrentQueue<Exception> Unhandled;

        protected virtual MainLoopOptions CreateOptions() => new MainLoopOptions { Clock = Clock, Name = TestContext.CurrentContext.Test.Name };

        [SetUp]
        public void CreateLoop()
        {
            Clock = new ManualClock();
            Unhandled = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            Loop = new MainLoop(CreateOptions());
            Loop.UnhandledException += ex => Unhandled.Enqueue(ex);
        }

        [TearDown]
        public void CloseLoop()
        {
            Loop.Dispose();
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                return; // the test already failed: keep its own message
            }

            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed), "teardown: the loop did not close");
            LoopAssert.NoPendingHandles(Loop);
            Assert.That(Loop.Statistics.RunningAsync, Is.EqualTo(0), "teardown: async work still registered as running");
            Assert.That(Unhandled, Is.Empty, "teardown: exceptions went to UnhandledException; a test that expects them must TakeUnhandled()");
        }

        /// <summary>
        /// Replaces the test's loop with one made from <paramref name="options"/> (the old one is closed first); the
        /// teardown checks apply to the new one. Options without a clock get the system clock.
        /// </summary>
        protected void UseLoop(MainLoopOptions options)
        {
            Loop.Dispose();
            options.Name ??= TestContext.CurrentContext.Test.Name;
            Loop = new MainLoop(options);
            Loop.UnhandledException += ex => Unhandled.Enqueue(ex);
        }

        /// <summary>
        /// Takes (and so accepts) the exceptions reported to <see cref="MainLoop.UnhandledException"/> so far: the explicit
        /// opt-out of the teardown check, for tests that expect unhandled exceptions and assert on them.
        /// </summary>
        protected Exception[] TakeUnhandled()
        {
            var taken = new System.Collections.Generic.List<Exception>();
            while (Unhandled.TryDequeue(out var ex))
            {
                taken.Add(ex);
            }

            return taken.ToArray();
        }

        /// <summary>Runs <paramref name="body"/> on a new thread and waits (bounded) for it to finish.</summary>
        protected static void OnWorker(Action body, int timeoutMs = 10000) => StartWorker(body, timeoutMs)();

        /// <summary>
        /// Starts <paramref name="body"/> on a new thread and returns the join: call it to wait (bounded) for the thread and
        /// rethrow its failure. For work the main thread must help finish, e.g. a close started on a worker, which the
        /// main thread's next tick completes.
        /// </summary>
        protected static Action StartWorker(Action body, int timeoutMs = 10000)
        {
            Exception failure = null;
            var t = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            }) { IsBackground = true };
            t.Start();
            return () =>
            {
                Assert.That(t.Join(timeoutMs), Is.True, "worker did not finish in time");
                if (failure != null)
                {
                    throw new AssertionException("worker failed: " + failure);
                }
            };
        }
    }
}
