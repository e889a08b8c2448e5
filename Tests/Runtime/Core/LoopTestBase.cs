using System;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// A fresh loop per test, bound to the test's thread and ticked by hand; closed (and checked to have left nothing
    /// pending) at teardown. Unhandled exceptions are collected so a test can assert on them (or on their absence).
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
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed), "teardown: the loop did not close");
        }

        /// <summary>Runs <paramref name="body"/> on a new thread and waits (bounded) for it to finish.</summary>
        protected static void OnWorker(Action body, int timeoutMs = 10000)
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
            Assert.That(t.Join(timeoutMs), Is.True, "worker did not finish in time");
            if (failure != null)
            {
                throw new AssertionException("worker failed: " + failure);
            }
        }
    }
}
