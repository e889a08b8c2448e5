using System;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using NUnit.Framework;
using UnityEngine;
using UnityEngine.LowLevel;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    // The stubbed engine is process-wide state: these tests never run in parallel.
    [NonParallelizable]
    public sealed class PlayerLoopInstallTests : GlueTestBase
    {
        [Test]
        public void PlaySessionStart_InsertsOneSystem_FirstInUpdate()
        {
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0), "edit mode: nothing installed");

            EnterPlayMode();

            Assert.That(Engine.FindSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(new[] { "Update/LoopBridgeTick" }));
            var update = PlayerLoop.GetCurrentPlayerLoop().subSystemList.Single(s => s.type == typeof(UnityEngine.PlayerLoop.Update));
            Assert.That(update.subSystemList[0].type, Is.EqualTo(typeof(LoopBridgeTick)));
            Assert.That(update.subSystemList.Length, Is.EqualTo(PlayerLoop.GetDefaultPlayerLoop().subSystemList
                .Single(s => s.type == typeof(UnityEngine.PlayerLoop.Update)).subSystemList.Length + 1), "the phase keeps its own systems");
            Assert.That(UnityMainLoop.Main.IsOpen);
        }

        [Test]
        public void InstallTwice_LeavesExactlyOneSystem()
        {
            EnterPlayMode();
            var first = UnityMainLoop.Main;

            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.SubsystemRegistration, Glue);

            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));
            Assert.That(UnityMainLoop.Main, Is.Not.SameAs(first));
            Assert.That(first.State, Is.EqualTo(LoopState.Closed), "the replaced loop was closed, not leaked");
            Assert.That(UnityMainLoop.Main.IsOpen);
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(1));
        }

        [Test]
        public void StaleCopyFromPreviousDomain_IsReplaced_NotDuplicated()
        {
            // A previous domain's LoopBridgeTick: same full name, different Type object.
            var stale = DefineStaleTickType();
            Assert.That(stale, Is.Not.EqualTo(typeof(LoopBridgeTick)));
            var loop = PlayerLoop.GetCurrentPlayerLoop();
            var phases = loop.subSystemList.ToArray();
            for (var i = 0; i < phases.Length; i++)
            {
                if (phases[i].type == typeof(UnityEngine.PlayerLoop.PreLateUpdate))
                    phases[i].subSystemList = phases[i].subSystemList.Append(new PlayerLoopSystem { type = stale }).ToArray();
            }
            loop.subSystemList = phases;
            PlayerLoop.SetPlayerLoop(loop);
            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));

            EnterPlayMode();

            Assert.That(Engine.FindSystems(t => t.FullName == typeof(LoopBridgeTick).FullName), Is.EqualTo(new[] { "Update/LoopBridgeTick" }));
            Assert.That(Engine.CountSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(1));
        }

        [Test]
        public void SimulatedFrames_TickThePlayLoop_InsideTheProfilerMarker()
        {
            EnterPlayMode();
            var before = Engine.ProfilerSamples(UnityMainLoop.ProfilerMarkerName);
            var handle = UnityMainLoop.Main.Run(() => 42);
            Assert.That(handle.IsCompleted, Is.False, "nothing runs before a frame");

            Engine.SimulateFrame();

            Assert.That(handle.IsCompleted);
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(42));
            var after = Engine.ProfilerSamples(UnityMainLoop.ProfilerMarkerName);
            Assert.That(after.Begun - before.Begun, Is.EqualTo(1), "one tick per frame");
            Assert.That(after.Ended, Is.EqualTo(after.Begun), "every sample ended");
            Assert.That(Engine.MarkersCreated(UnityMainLoop.ProfilerMarkerName), Is.EqualTo(1), "the marker is created once and cached");
            Assert.That(Engine.LoggedExceptions, Is.Empty);
        }

        [Test]
        public void WorkSubmittedFromAFrame_RunsNextFrame()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var ranAtFrame = -1;
            loop.Post(() => loop.Post(() => ranAtFrame = Time.frameCount));

            Engine.SimulateFrame();
            Assert.That(ranAtFrame, Is.EqualTo(-1));
            Engine.SimulateFrame();
            Assert.That(ranAtFrame, Is.EqualTo(2));
        }

        [Test]
        public void EmptyFrames_AllocateNothing()
        {
            EnterPlayMode();
            // Warm-up and baseline: first calls (JIT tiering, lazy statics, the measuring call
            // itself) may allocate once; a per-frame allocation shows as a difference between a
            // short and a long run.
            var shortRun = AllocatedBy(10);
            var longRun = AllocatedBy(1010);

            Assert.That(longRun - shortRun, Is.EqualTo(0), $"bytes allocated by 1000 more idle frames (10 frames: {shortRun} B, 1010 frames: {longRun} B)");
        }

        static long AllocatedBy(int frames)
        {
            for (var i = 0; i < frames; i++)
                Engine.SimulateFrame(); // warm up with the same count
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < frames; i++)
                Engine.SimulateFrame();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Test]
        public void Timing_MovesTheSystem_WithoutDuplicating()
        {
            EnterPlayMode();
            Assert.That(UnityMainLoop.Timing, Is.EqualTo(typeof(UnityEngine.PlayerLoop.Update)));

            UnityMainLoop.Timing = typeof(UnityEngine.PlayerLoop.PreLateUpdate);
            UnityMainLoop.Timing = typeof(UnityEngine.PlayerLoop.PreLateUpdate);

            Assert.That(Engine.FindSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(new[] { "PreLateUpdate/LoopBridgeTick" }));
            var handle = UnityMainLoop.Main.Run(() => 1);
            Engine.SimulateFrame();
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(1));

            Assert.Throws<ArgumentException>(() => UnityMainLoop.Timing = typeof(string));
            Assert.Throws<ArgumentException>(() => UnityMainLoop.Timing = typeof(LoopBridgeTick));
            Assert.Throws<ArgumentNullException>(() => UnityMainLoop.Timing = null);
            Assert.That(UnityMainLoop.Timing, Is.EqualTo(typeof(UnityEngine.PlayerLoop.PreLateUpdate)));
        }

        [Test]
        public void Timing_AfterAnotherPackageReplacedThePlayerLoop_ReinsertsTheSystem()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            // Another package installs its own loop (the default one), dropping our system.
            UnityEngine.LowLevel.PlayerLoop.SetPlayerLoop(UnityEngine.LowLevel.PlayerLoop.GetDefaultPlayerLoop());
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0), "precondition: the system is gone");

            UnityMainLoop.Timing = typeof(UnityEngine.PlayerLoop.PreLateUpdate);

            Assert.That(Engine.FindSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(new[] { "PreLateUpdate/LoopBridgeTick" }));
            var handle = loop.Run(() => 5);
            Engine.SimulateFrame();
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(5), "frames tick the loop again");
            Assert.That(UnityMainLoop.Main, Is.SameAs(loop), "the same loop, re-inserted");
        }

        [Test]
        public void NextPlaySession_ResetsTimingToUpdate()
        {
            EnterPlayMode();
            UnityMainLoop.Timing = typeof(UnityEngine.PlayerLoop.EarlyUpdate);
            ExitPlayMode();

            EnterPlayMode();

            Assert.That(UnityMainLoop.Timing, Is.EqualTo(typeof(UnityEngine.PlayerLoop.Update)));
            Assert.That(Engine.FindSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(new[] { "Update/LoopBridgeTick" }));
        }

        [Test]
        public void DisposeOnMainThread_RemovesTheSystem()
        {
            EnterPlayMode();

            UnityMainLoop.Main.Dispose();

            Assert.That(UnityMainLoop.Main.ClosedBecause, Is.EqualTo(CloseReason.Disposed));
            Assert.That(LoopBridgeSystems(), Is.EqualTo(0));
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(0));
        }

        [Test]
        public void DisposeFromInsideItsOwnTick_LeavesTheSystemInert_UntilQuitting()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            loop.Post(() => loop.Dispose());
            var setCalls = Engine.SetPlayerLoopCalls;

            Engine.SimulateFrame();

            Assert.That(loop.ClosedBecause, Is.EqualTo(CloseReason.Disposed));
            Assert.That(Engine.SetPlayerLoopCalls, Is.EqualTo(setCalls), "the executing player loop is never edited from inside its own tick");
            Engine.SimulateFrame(); // the inert system ticks nothing and throws nothing
            Assert.That(Engine.LoggedExceptions, Is.Empty);

            Engine.RaiseQuitting();

            Assert.That(LoopBridgeSystems(), Is.EqualTo(0));
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(0));
        }

        [Test]
        public void DisposeFromAnotherThread_LeavesTheSystemInert_AndTheNextSessionReplacesIt()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var closer = new System.Threading.Thread(() => loop.Dispose());
            closer.Start();
            Assert.That(closer.Join(BlockedWorker.WakeWithin));
            Assert.That(loop.ClosedBecause, Is.EqualTo(CloseReason.Disposed));
            Engine.SimulateFrame();
            Assert.That(Engine.LoggedExceptions, Is.Empty, "no PlayerLoop call was made off the main thread");

            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.SubsystemRegistration, Glue);

            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));
            Assert.That(UnityMainLoop.Main.IsOpen);
            Assert.That(Engine.QuittingHandlerCount, Is.EqualTo(1));
        }

        [Test]
        public void UnhandledException_IsLoggedWithDebugLogException()
        {
            EnterPlayMode();
            var boom = new InvalidOperationException("boom");
            UnityMainLoop.Main.Post(() => throw boom);

            Engine.SimulateFrame();

            Assert.That(Engine.LoggedExceptions, Has.Member(boom));
            Assert.That(UnityMainLoop.Main.IsOpen, "an exception never stops the loop");
        }

        static Type DefineStaleTickType()
        {
            var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("LoopBridge.Runtime.PreviousDomain"), AssemblyBuilderAccess.Run);
            var module = assembly.DefineDynamicModule("LoopBridge.Runtime.PreviousDomain");
            var type = module.DefineType(typeof(LoopBridgeTick).FullName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout, typeof(ValueType));
            return type.CreateType();
        }
    }
}
