using System;
using System.Reflection;
using Cysharp.Threading.Tasks;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// Regression tests for findings of the adversarial review of the merged core (the seams between the close path
    /// and the handle protocol). Each failed on the merged code before its fix.
    /// </summary>
    public class ReviewFindingsTests : LoopTestBase
    {
        private static object SourceOf<T>(LoopHandle<T> handle) =>
            typeof(LoopHandle<T>).GetField("source", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(handle);

        // The close took started async work out of the registry without pinning it, reported it (user code:
        // UnhandledException handlers), and only then failed it. Work that ended meanwhile (here: completed from the
        // handler; in real life a ConfigureAwait(false) continuation on the thread pool) was consumed, recycled and
        // rented again by another loop's submission, which the close then failed with the first loop's
        // LoopClosedException: a close reaching an unrelated handle.
        [Test]
        public void Close_FailingRunningWork_NeverReachesTheItemsNextUse()
        {
            UseLoop(new MainLoopOptions { Clock = Clock, CloseGracePeriod = TimeSpan.Zero });
            var other = new MainLoop(new MainLoopOptions { Clock = Clock, CloseGracePeriod = TimeSpan.Zero, Name = "other" });
            var second = new UniTaskCompletionSource<int>();
            try
            {
                var first = new UniTaskCompletionSource<int>();
                var h1 = Loop.RunAsync(_ => first.Task);
                Loop.Tick(); // started: in the running registry
                var source = SourceOf(h1);

                var h2 = default(LoopHandle<int>);
                var reused = false;
                var acted = false;
                Loop.UnhandledException += _ =>
                {
                    if (acted)
                    {
                        return;
                    }

                    acted = true;

                    // The "still running" report: the work ends now, its handle is consumed and the item recycled ...
                    first.TrySetResult(1);
                    Assert.That(h1.GetResult(), Is.EqualTo(1));

                    // ... and rented again by the same thread for the other loop, where it starts.
                    h2 = other.RunAsync(_ => second.Task);
                    reused = ReferenceEquals(SourceOf(h2), source);
                    other.Tick();
                };

                Loop.Close(CloseReason.Disposed);

                Assert.That(acted, Is.True, "the close reported the running work");
                // Before the fix the pool handed the recycled item to the next rent on this thread (reused), and the
                // close failed it; with the fix the close pins the item until it is done with it, so it is not reused.
                Assert.That(h2.Status, Is.EqualTo(UniTaskStatus.Pending),
                    $"the first loop's close must not touch the other loop's handle (its item reused: {reused})");
                second.TrySetResult(2);
                other.Tick();
                Assert.That(h2.GetResult(), Is.EqualTo(2));
                TakeUnhandled();
            }
            finally
            {
                second.TrySetResult(2);
                other.Dispose();
            }
        }
    }
}
