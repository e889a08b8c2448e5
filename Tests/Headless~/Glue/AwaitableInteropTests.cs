// Unity 2023.1+/Unity 6 only, like the interop it tests: compiled when the Unity stub and this project are built
// with UNITY_2023_1_OR_NEWER (the Unity 6 define set).
#if UNITY_2023_1_OR_NEWER
using System;
using Cysharp.Threading.Tasks;
using NUnit.Framework;
using UnityEngine;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    [NonParallelizable]
    public sealed class AwaitableInteropTests : GlueTestBase
    {
        [Test]
        public void AsAwaitable_CompletesOnMainThreadWithTheResult()
        {
            EnterPlayMode();
            var awaitable = UnityMainLoop.Main.Run(() => 3).AsAwaitable();
            Assert.That(awaitable.GetAwaiter().IsCompleted, Is.False);
            Engine.SimulateFrame();
            Assert.That(awaitable.GetAwaiter().IsCompleted, Is.True);
            Assert.That(awaitable.GetAwaiter().GetResult(), Is.EqualTo(3));
        }

        [Test]
        public void AsAwaitable_LoopCloses_AwaitThrowsLoopClosedWithReason()
        {
            EnterPlayMode();
            var awaitable = UnityMainLoop.Main.Run(() => { }).AsAwaitable();
            ExitPlayMode();
            var ex = Assert.Throws<LoopClosedException>(() => awaitable.GetAwaiter().GetResult());
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
        }

        [Test]
        public void WhenCompleted_Awaitable_HandleCompletesWithItsResult()
        {
            EnterPlayMode();
            var source = new AwaitableCompletionSource<int>();
            var handle = UnityMainLoop.Main.WhenCompleted(source.Awaitable);
            Engine.SimulateFrame();
            Assert.That(handle.IsCompleted, Is.False);
            source.SetResult(4);
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(4));
        }

        [Test]
        public void WhenCompleted_Awaitable_HandleCancel_CancelsTheAwaitable()
        {
            EnterPlayMode();
            var source = new AwaitableCompletionSource();
            var handle = UnityMainLoop.Main.WhenCompleted(source.Awaitable).Preserve();
            Engine.SimulateFrame();
            Assert.That(handle.Cancel(), Is.True);
            for (var i = 0; i < 3 && !handle.IsCompleted; i++)
            {
                Engine.SimulateFrame();
            }

            Assert.That(source.Awaitable.IsCompleted, Is.True, "the Awaitable was cancelled");
            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Canceled));
        }

        [Test]
        public void WhenCompleted_Awaitable_LoopCloses_AwaitableCancelled_HandleFailsWithLoopClosed()
        {
            EnterPlayMode();
            var source = new AwaitableCompletionSource();
            var handle = UnityMainLoop.Main.WhenCompleted(source.Awaitable);
            Engine.SimulateFrame();
            ExitPlayMode();
            Assert.That(source.Awaitable.IsCompleted, Is.True);
            Assert.That(Assert.Throws<LoopClosedException>(() => handle.Wait(TimeSpan.Zero)).Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
        }
    }
}
#endif
