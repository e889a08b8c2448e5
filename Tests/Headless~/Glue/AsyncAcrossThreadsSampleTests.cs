using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using LoopBridge.Samples.AsyncAcrossThreads;
using NUnit.Framework;
using UnityEngine;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>The AsyncAcrossThreads sample, run against the stub: destroying its GameObject ends the work Canceled.</summary>
    [NonParallelizable]
    public sealed class AsyncAcrossThreadsSampleTests : GlueTestBase
    {
        static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        static void Call(object target, string method) =>
            target.GetType().GetMethod(method, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Invoke(target, null);

        static bool Logged(string prefix) => Engine.Logs.Any(l => l.Message?.ToString().StartsWith(prefix, StringComparison.Ordinal) == true);

        // Today the caller's token reaches running async work only through a thread-pool callback (LoopWorkItem.
        // OnTokenCanceled), which usually loses the race against the next tick, so the sample's token check after
        // NextFrame does not see the cancellation yet and the work ends Faulted. Un-ignore once Core delivers that
        // cancellation through the loop before resuming the work (issue 11, WebGL / no-threads item).
        [Test]
        [Ignore("needs cancellation of running work delivered through the loop (issue 11, Core part)")]
        public void DestroyedDuringNextFrame_EndsCanceled_NotFaulted()
        {
            EnterPlayMode();
            var go = new GameObject("sample");
            var sample = go.AddComponent<AsyncAcrossThreads>();
            Call(sample, "Start");

            // Frames until round 1 is logged on the main thread; the method then awaits NextFrame.
            var guard = Stopwatch.StartNew();
            while (!Logged("round 1:") && guard.Elapsed < HangGuard)
                EditorEngine.EditorFrame();
            Assert.That(Logged("round 1:"), "round 1 finished");

            // Destroyed during that frame, as Unity does it: the object is gone, then OnDestroy runs.
            UnityEngine.Object.Destroy(go);
            UnityEngine.Object.Destroy(sample);
            Call(sample, "OnDestroy");
            while (!Logged("AsyncAcrossThreads finished") && guard.Elapsed < HangGuard)
                EditorEngine.EditorFrame();

            var finished = Engine.Logs.Select(l => l.Message?.ToString()).Single(m => m != null && m.StartsWith("AsyncAcrossThreads finished", StringComparison.Ordinal));
            Assert.That(finished, Does.StartWith("AsyncAcrossThreads finished: Canceled"), "the README promises Canceled");
            Assert.That(Logged("round 2:"), Is.False);
            Assert.That(Engine.LoggedExceptions, Is.Empty);
        }
    }
}
