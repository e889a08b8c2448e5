using System;
using NUnit.Framework;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    // The stubbed engine is process-wide state: these tests never run in parallel.
    [NonParallelizable]
    public sealed class PlayModeLifecycleTests : GlueTestBase
    {
        [Test]
        public void Quitting_ClosesWithEngineShutdown_AndFailsPendingHandles()
        {
            Engine.IsEditor = false; // a player
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var pending = loop.Run(() => 1);
            var pendingAction = loop.Run(() => { });

            Engine.RaiseQuitting();

            Assert.That(loop.State, Is.EqualTo(LoopState.Closed));
            Assert.That(loop.ClosedBecause, Is.EqualTo(CloseReason.EngineShutdown));
            var failed = Assert.Throws<LoopClosedException>(() => pending.GetResult(TimeSpan.Zero));
            Assert.That(failed.Reason, Is.EqualTo(CloseReason.EngineShutdown));
            Assert.Throws<LoopClosedException>(() => pendingAction.GetResult(TimeSpan.Zero));
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0), "removed from the player loop on close");
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(0), "unsubscribed on close");
            Assert.Throws<LoopClosedException>(() => UnityMainLoop.Main.Run(() => 2).GetResult(TimeSpan.Zero),
                "Main still returns the closed loop, which fails submissions at once");
        }

        [Test]
        public void BeforeAssemblyReload_WakesAWorkerBlockedOnThePlayLoop()
        {
            EnterPlayMode();
            var worker = new BlockedWorker(UnityMainLoop.Main.Run(() => 1));
            worker.WaitUntilBlocked(UnityMainLoop.Main);

            EditorEngine.RaiseBeforeAssemblyReload();

            Assert.That(worker.Join(), "the blocked worker woke up");
            Assert.That(worker.Exception, Is.InstanceOf<LoopClosedException>());
            Assert.That(((LoopClosedException)worker.Exception).Reason, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(UnityMainLoop.Main.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(EditorMainLoop.Current.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
        }

        [Test]
        public void BeforeAssemblyReload_WakesAWorkerBlockedOnTheEditorLoop()
        {
            var worker = new BlockedWorker(EditorMainLoop.Current.Run(() => 1));
            worker.WaitUntilBlocked(EditorMainLoop.Current);

            EditorEngine.RaiseBeforeAssemblyReload();

            Assert.That(worker.Join(), "the blocked worker woke up");
            Assert.That(worker.Exception, Is.InstanceOf<LoopClosedException>());
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(0), "handlers removed before the domain goes");
            Assert.That(EditorEngine.PlayModeStateChangedHandlerCount, Is.EqualTo(0));
            Assert.That(EditorEngine.BeforeAssemblyReloadHandlerCount, Is.EqualTo(0));
        }

        [Test]
        public void ExitingPlayMode_ClosesOnlyThePlayLoop_EditorLoopKeepsTicking()
        {
            EnterPlayMode();
            var play = UnityMainLoop.Main;
            var editor = EditorMainLoop.Current;
            var pending = play.Run(() => 1);

            ExitPlayMode();

            Assert.That(play.ClosedBecause, Is.EqualTo(CloseReason.ExitingPlayMode), "ExitingPlayMode comes before Application.quitting, first reason wins");
            Assert.Throws<LoopClosedException>(() => pending.GetResult(TimeSpan.Zero));
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0));
            Assert.That(editor.IsOpen);
            Assert.That(EditorMainLoop.Current, Is.SameAs(editor));
            var editorWork = editor.Run(() => 7);
            EditorEngine.EditorFrame();
            Assert.That(editorWork.GetResult(TimeSpan.Zero), Is.EqualTo(7));
        }

        [Test]
        public void EnterPlayModeAgain_WithoutDomainReload_GivesAFreshOpenLoop_AndNoDuplicatedHandlers()
        {
            MainLoop previous = null;
            for (var session = 0; session < 3; session++)
            {
                EnterPlayMode(reloadDomain: false);
                var loop = UnityMainLoop.Main;
                Assert.That(loop, Is.Not.SameAs(previous));
                Assert.That(loop.IsOpen);
                AssertOneOfEverything();
                var work = loop.Run(() => session);
                EditorEngine.EditorFrame();
                Assert.That(work.GetResult(TimeSpan.Zero), Is.EqualTo(session));

                ExitPlayMode();
                Assert.That(loop.ClosedBecause, Is.EqualTo(CloseReason.ExitingPlayMode));
                previous = loop;
            }
        }

        [Test]
        public void EnterPlayMode_WithDomainReload_ReplacesBothLoops_AndNoDuplicatedHandlers()
        {
            var oldEditor = EditorMainLoop.Current;

            EnterPlayMode(reloadDomain: true);

            Assert.That(oldEditor.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
            Assert.That(EditorMainLoop.Current, Is.Not.SameAs(oldEditor));
            Assert.That(EditorMainLoop.Current.IsOpen);
            Assert.That(UnityMainLoop.Main.IsOpen);
            AssertOneOfEverything();
        }

        [Test]
        public void ExitingPlayMode_WhilePaused_ClosesThePlayLoop_AndWakesAWorkerBlockedOnIt()
        {
            EnterPlayMode();
            var play = UnityMainLoop.Main;
            EditorEngine.SetPaused(true);
            var worker = new BlockedWorker(play.Run(() => 1));
            worker.WaitUntilBlocked(play);

            for (var i = 0; i < 5; i++)
                EditorEngine.EditorFrame();
            Assert.That(worker.IsAlive, "play-loop work waits while play mode is paused");
            Assert.That(play.QueueDepth, Is.EqualTo(1));

            ExitPlayMode();

            Assert.That(worker.Join(), "the blocked worker woke up when play mode ended");
            Assert.That(worker.Exception, Is.InstanceOf<LoopClosedException>());
            Assert.That(((LoopClosedException)worker.Exception).Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
        }

        static void AssertOneOfEverything()
        {
            Assert.That(LoopBridgeSystems(), Is.EqualTo(1), "LoopBridge systems in the player loop");
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(1), "Application.quitting handlers");
            Assert.That(EditorEngine.UpdateHandlerCount, Is.EqualTo(1), "EditorApplication.update handlers");
            Assert.That(EditorEngine.PlayModeStateChangedHandlerCount, Is.EqualTo(1), "playModeStateChanged handlers");
            Assert.That(EditorEngine.BeforeAssemblyReloadHandlerCount, Is.EqualTo(1), "beforeAssemblyReload handlers");
            Assert.That(EditorEngine.EditorQuittingHandlerCount, Is.EqualTo(1), "EditorApplication.quitting handlers");
        }
    }
}
