using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using UnityEditor;
using UnityEngine;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// The Unity side of the diagnostics against the stubbed engine: pause reaches the play loop, reports reach
    /// Debug.LogWarning, and the monitor window draws both loops and gives back what it took.
    /// </summary>
    [NonParallelizable]
    public sealed class DiagnosticsGlueTests : GlueTestBase
    {
        private const int GuardMs = 30_000;

        /// <summary>What the editor does once after a domain load (the stub never raises it by itself).</summary>
        private static void RunDelayCall()
        {
            var calls = EditorApplication.delayCall;
            EditorApplication.delayCall = null;
            calls?.Invoke();
        }

        [Test]
        public void PausingPlayMode_MakesThePlayLoopPaused_NotStalled()
        {
            RunDelayCall();
            EnterPlayMode();
            RunDelayCall(); // the domain reload of entering play mode attaches the editor-side diagnostics again
            var play = UnityMainLoop.Main;
            EditorEngine.EditorFrame();
            Assert.That(play.Diagnostics.IsHostPaused, Is.False);
            Assert.That(play.Diagnostics.Activity, Is.EqualTo(LoopActivity.Ticking));

            EditorEngine.SetPaused(true);
            EditorEngine.EditorFrame();
            Assert.That(play.Diagnostics.IsHostPaused, Is.True);
            Assert.That(play.Diagnostics.Activity, Is.EqualTo(LoopActivity.Paused));

            EditorEngine.SetPaused(false);
            EditorEngine.EditorFrame();
            Assert.That(play.Diagnostics.IsHostPaused, Is.False);
        }

        [Test]
        public void PlayLoopStall_IsLoggedAsAWarning_Once()
        {
            EnterPlayMode();
            RunDelayCall(); // the domain reload of entering play mode attaches the editor-side diagnostics again
            var play = UnityMainLoop.Main;
            Assert.That(play.Diagnostics.WatchdogInterval, Is.EqualTo(UnityLoopDiagnostics.WatchdogInterval));
            play.Diagnostics.StallThreshold = TimeSpan.FromTicks(1);
            play.Run(() => { });

            // The threshold is one clock tick: make sure the clock has moved at least that far (no timing assumption).
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - start < Stopwatch.Frequency / 1000)
            {
            }

            play.Diagnostics.CheckStalls();
            var deadline = Environment.TickCount64 + GuardMs;
            while (Environment.TickCount64 < deadline && !Engine.Logs.Any(l => l.Type == LogType.Warning))
                System.Threading.Thread.Sleep(5);

            var warnings = Engine.Logs.Where(l => l.Type == LogType.Warning).ToArray();
            Assert.That(warnings.Length, Is.EqualTo(1));
            Assert.That(warnings[0].Message.ToString(), Does.Contain(UnityMainLoop.LoopName).And.Contain("without a tick"));
            Assert.That(play.Diagnostics.CheckStalls(), Is.False, "once per stall");
        }

        [Test]
        public void MonitorWindow_DrawsBothLoops_AndGivesBackDetailedTimingAndItsUpdateHandler()
        {
            EnterPlayMode();
            RunDelayCall(); // the domain reload of entering play mode attaches the editor-side diagnostics again
            var play = UnityMainLoop.Main;
            var editor = EditorMainLoop.Current;
            var handlersBefore = EditorEngine.UpdateHandlerCount;

            var window = EditorWindow.GetWindow<LoopBridgeMonitorWindow>("LoopBridge Monitor");
            Invoke(window, "OnEnable");
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(handlersBefore + 1));
            play.Run(() => { });
            EditorEngine.EditorFrame();
            Invoke(window, "OnGUI");
            Assert.That(play.Diagnostics.DetailedTiming && editor.Diagnostics.DetailedTiming, Is.True, "on while the window shows them");
            Assert.That((int)typeof(EditorWindow).GetField("RepaintCount", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(window), Is.GreaterThanOrEqualTo(1), "the update handler repaints");

            Invoke(window, "OnDisable");
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(handlersBefore));
            Assert.That(play.Diagnostics.DetailedTiming || editor.Diagnostics.DetailedTiming, Is.False, "given back when closed");

            ExitPlayMode();
            Invoke(window, "OnEnable");
            Invoke(window, "OnGUI"); // a closed play loop and its close record draw too
            Invoke(window, "OnDisable");
            Assert.That(play.Diagnostics.LastClose, Is.Not.Null);
            Assert.That(play.Diagnostics.LastClose.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
        }

        private static void Invoke(object target, string method) =>
            target.GetType().GetMethod(method, BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(target, null);
    }
}
