using System;
using System.Threading;
using NUnit.Framework;

namespace LoopBridge.Tests
{
    /// <summary>
    /// Tests written for mutants of Runtime/Core that the suite let survive (Tests/README.md, "Mutation testing").
    /// Each names the mutant it kills.
    /// </summary>
    public sealed class MutationGapTests : LoopTestBase
    {
        // Kills P01 (Preserve: "seen == free || seen == (free | Preserved)" narrowed to "seen == free").
        [Test]
        public void Preserve_CalledTwice_IsIdempotent_BothReadTheSameResult()
        {
            var h = Loop.Run(() => 7).Preserve();
            LoopHandle<int> again = default;
            Assert.DoesNotThrow(() => again = h.Preserve(), "Preserve is documented as idempotent");
            Loop.Tick();
            Assert.That(h.GetResult(TimeSpan.Zero), Is.EqualTo(7));
            Assert.That(again.GetResult(TimeSpan.Zero), Is.EqualTo(7));
        }

        // Kills M15 (a Close on the main thread no longer takes over a close that a worker started).
        [Test]
        public void Close_OnTheMainThread_AfterAWorkerStartedTheClose_FinishesItBeforeReturning()
        {
            // The loop's ManualClock never advances: the worker waits for the main thread for ever, so only the main
            // thread's own Close can finish this close.
            var closingStarted = new ManualResetEventSlim();
            Loop.Closing.Register(() => closingStarted.Set());
            var joinCloser = StartWorker(() => Loop.Close(CloseReason.DomainReload));
            Assert.That(closingStarted.Wait(30000), Is.True, "the worker started the close (hang guard)");

            Loop.Close(CloseReason.Disposed); // main thread, outside a tick
            Assert.That(Loop.State, Is.EqualTo(LoopState.Closed), "finished by the main thread's Close, before it returned");
            Assert.That(Loop.ClosedBecause, Is.EqualTo(CloseReason.DomainReload), "the first reason wins");
            joinCloser();
        }
    }
}
