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

        // Regression (issue 11): the caller's token used to reach running async work through a thread-pool callback
        // (LoopWorkItem.OnTokenCanceled), which usually lost the race against the next tick, so the sample's token
        // check after NextFrame did not see the cancellation yet and the work ended Faulted. Now the next tick cancels
        // the work's token on the main thread before it resumes anything.
        [Test]
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
