using System;
using NUnit.Framework;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// "Recompile And Continue Playing": a domain reload while play mode runs closes the play-mode loop, and Unity
    /// runs no RuntimeInitializeOnLoadMethod afterwards; UnityMainLoop.Main must give a working loop again.
    /// </summary>
    [NonParallelizable]
    public sealed class RecompileDuringPlayTests : GlueTestBase
    {
        [Test]
        public void RecompileDuringPlay_FailsOldHandlesWithDomainReload_AndMainIsAFreshOpenLoop()
        {
            EnterPlayMode();
            var old = UnityMainLoop.Main;
            var pending = old.Run(() => 1);

            EditorEngine.RecompileDuringPlay(Glue);

            Assert.That(old.ClosedBecause, Is.EqualTo(CloseReason.DomainReload));
            var closed = Assert.Throws<LoopClosedException>(() => pending.GetResult(TimeSpan.Zero));
            Assert.That(closed.Reason, Is.EqualTo(CloseReason.DomainReload));
            var fresh = UnityMainLoop.Main;
            Assert.That(fresh, Is.Not.SameAs(old));
            Assert.That(fresh.IsOpen);
            Assert.That(UnityMainLoop.IsInstalled);
            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(1));
            Assert.That(Engine.FindComponents<PlayerLoopWatchdog>().Count, Is.EqualTo(1));

            var work = fresh.Run(() => 2);
            EditorEngine.EditorFrame();
            Assert.That(work.GetResult(TimeSpan.Zero), Is.EqualTo(2));
            Assert.That(EditorMainLoop.Current.IsOpen, "the editor loop was replaced too");
        }

        [Test]
        public void AfterARecompile_LeavingPlayMode_ClosesTheNewLoop_AndRemovesTheSystem()
        {
            EnterPlayMode();
            EditorEngine.RecompileDuringPlay(Glue);
            var fresh = UnityMainLoop.Main;

            ExitPlayMode();

            Assert.That(fresh.ClosedBecause, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0));
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(0));
        }

        [Test]
        public void ADomainReloadInEditMode_StartsNoPlayLoop()
        {
            EditorEngine.ReloadDomain(Glue);

            // (Statics survive in the stub, so Main may still hold an earlier test's closed loop.)
            Assert.That(UnityMainLoop.TryGetMain(out var loop) && loop.IsOpen, Is.False);
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0));
        }
    }
}
