using System;
using NUnit.Framework;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    // The stubbed engine is process-wide state: these tests never run in parallel.
    [NonParallelizable]
    public sealed class EditorLoopTests : GlueTestBase
    {
        [Test]
        public void EditorUpdate_TicksTheEditorLoop_InEditMode()
        {
            var work = EditorMainLoop.Current.Run(() => 3);
            Assert.That(work.IsCompleted, Is.False);

            EditorEngine.RaiseEditorUpdate();

            Assert.That(work.GetResult(TimeSpan.Zero), Is.EqualTo(3));
            Assert.That(Engine.ProfilerSamples(EditorMainLoop.ProfilerMarkerName).Begun, Is.GreaterThan(0));
        }

        [Test]
        public void EditorUpdate_TicksTheEditorLoop_InPlayModeAndPause_AndNeverThePlayLoop()
        {
            EnterPlayMode();
            var play = UnityMainLoop.Main;
            var editor = EditorMainLoop.Current;
            Assert.That(editor, Is.Not.SameAs(play));

            var playWork = play.Run(() => 1);
            var editorWork = editor.Run(() => 2);
            EditorEngine.RaiseEditorUpdate(); // editor update alone: no player-loop frame
            Assert.That(editorWork.GetResult(TimeSpan.Zero), Is.EqualTo(2));
            Assert.That(playWork.IsCompleted, Is.False, "EditorApplication.update never ticks the play-mode loop");

            // Paused, the editor still raises EditorApplication.update but runs no player-loop frame. What our code must
            // do there: its update handler ticks the editor loop and never the play-mode loop (so play-mode work waits).
            EditorEngine.SetPaused(true);
            var playTicks = play.Statistics.Ticks;
            var pausedEditorWork = editor.Run(() => 3);
            EditorEngine.RaiseEditorUpdate();
            EditorEngine.RaiseEditorUpdate();
            Assert.That(pausedEditorWork.GetResult(TimeSpan.Zero), Is.EqualTo(3), "the editor loop ticks while paused");
            Assert.That(play.Statistics.Ticks, Is.EqualTo(playTicks), "our update handler never ticked the play-mode loop");
            Assert.That(playWork.IsCompleted, Is.False, "play-mode work waits while paused");

            EditorEngine.SetPaused(false);
            EditorEngine.EditorFrame();
            Assert.That(play.Statistics.Ticks, Is.EqualTo(playTicks + 1), "one player-loop frame, one tick");
            Assert.That(playWork.GetResult(TimeSpan.Zero), Is.EqualTo(1));
        }

        [Test]
        public void PlayLoop_IsTickedExactlyOncePerPlayerLoopFrame_NeverByEditorUpdate()
        {
            EnterPlayMode();
            var play = UnityMainLoop.Main;
            var ticks = play.Statistics.Ticks;
            var frames = Engine.FrameCount;
            for (var i = 0; i < 3; i++)
            {
                EditorEngine.RaiseEditorUpdate();
                Engine.SimulateFrame();
                EditorEngine.RaiseEditorUpdate();
            }

            Assert.That(Engine.FrameCount - frames, Is.EqualTo(3));
            Assert.That(play.Statistics.Ticks - ticks, Is.EqualTo(3), "ticks = player-loop frames, whatever else the editor raises");
        }

        [Test]
        public void EachLoop_IsTickedOncePerEditorFrame()
        {
            EnterPlayMode();
            var playTicks = Engine.ProfilerSamples(UnityMainLoop.ProfilerMarkerName).Begun;
            var editorTicks = Engine.ProfilerSamples(EditorMainLoop.ProfilerMarkerName).Begun;

            for (var i = 0; i < 4; i++)
                EditorEngine.EditorFrame();

            Assert.That(Engine.ProfilerSamples(UnityMainLoop.ProfilerMarkerName).Begun - playTicks, Is.EqualTo(4));
            Assert.That(Engine.ProfilerSamples(EditorMainLoop.ProfilerMarkerName).Begun - editorTicks, Is.EqualTo(4));
        }

        [Test]
        public void DomainLoadTwice_DoesNotPileUpHandlers_NorReplaceAnOpenLoop()
        {
            var loop = EditorMainLoop.Current;

            EditorEngine.RunInitializeOnLoad(Glue);
            EditorEngine.RunInitializeOnLoad(Glue);

            Assert.That(EditorMainLoop.Current, Is.SameAs(loop));
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(1));
            Assert.That(EditorEngine.PlayModeStateChangedHandlerCount, Is.EqualTo(1));
            Assert.That(EditorEngine.BeforeAssemblyReloadHandlerCount, Is.EqualTo(1));
            Assert.That(EditorEngine.EditorQuittingHandlerCount, Is.EqualTo(1));
        }

        [Test]
        public void EditorQuitting_ClosesBothLoops_WithEngineShutdown()
        {
            EnterPlayMode();
            var play = UnityMainLoop.Main;

            EditorEngine.RaiseEditorQuitting();

            Assert.That(play.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(EditorMainLoop.Current.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(0));
        }

        [Test]
        public void ExitingPlayMode_InEditModeWithoutAPlaySession_LeavesTheEditorLoopOpen()
        {
            EditorEngine.RaisePlayModeStateChanged(UnityEditor.PlayModeStateChange.ExitingPlayMode);

            Assert.That(EditorMainLoop.Current.IsOpen);
        }

        [Test]
        public void EditorLoop_UnhandledException_IsLoggedWithDebugLogException()
        {
            var boom = new InvalidOperationException("editor boom");
            EditorMainLoop.Current.Post(() => throw boom);

            EditorEngine.RaiseEditorUpdate();

            Assert.That(Engine.LoggedExceptions, Has.Member(boom));
        }
    }
}
