using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using UnityEngine;
using UnityEngine.LowLevel;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// Where the play-mode loop ticks once other packages edit the player loop (UniTask in front of it), and the
    /// watchdog that reinstalls it after a package replaced the whole player loop.
    /// </summary>
    [NonParallelizable]
    public sealed class PlayerLoopWatchdogTests : GlueTestBase
    {
        /// <summary>Stand-ins for UniTask's runner systems (UniTask's PlayerLoopHelper inserts two at the front of each phase).</summary>
        struct UniTaskLoopRunnerYieldUpdate { }

        struct UniTaskLoopRunnerUpdate { }

        /// <summary>Records its Update in the shared order list, as a game script would run.</summary>
        sealed class OrderProbe : MonoBehaviour
        {
            internal static List<string> Order;

            void Update() => Order?.Add("MonoBehaviour.Update");
        }

        [SetUp]
        public void ResetOrder() => OrderProbe.Order = new List<string>();

        [TearDown]
        public void ClearOrder() => OrderProbe.Order = null;

        static void InsertUniTaskLikeSystemsInFrontOfUpdate()
        {
            var root = PlayerLoop.GetCurrentPlayerLoop();
            var phases = root.subSystemList.ToArray();
            var i = Array.FindIndex(phases, p => p.type == typeof(UnityEngine.PlayerLoop.Update));
            var front = new[]
            {
                new PlayerLoopSystem { type = typeof(UniTaskLoopRunnerYieldUpdate), updateDelegate = () => OrderProbe.Order?.Add("UniTask yield") },
                new PlayerLoopSystem { type = typeof(UniTaskLoopRunnerUpdate), updateDelegate = () => OrderProbe.Order?.Add("UniTask runner") },
            };
            phases[i].subSystemList = front.Concat(phases[i].subSystemList).ToArray();
            root.subSystemList = phases;
            PlayerLoop.SetPlayerLoop(root);
        }

        static Type[] UpdatePhase() => PlayerLoop.GetCurrentPlayerLoop().subSystemList
            .Single(s => s.type == typeof(UnityEngine.PlayerLoop.Update)).subSystemList.Select(s => s.type).ToArray();

        static int WarningsMentioning(string text) => Engine.Logs.Count(l => l.Type == LogType.Warning && l.Message?.ToString().Contains(text) == true);

        [Test]
        public void UniTaskSystemsInsertedInFront_TickStillRunsBeforeScriptRunBehaviourUpdate()
        {
            EnterPlayMode();
            new GameObject("probe").AddComponent<OrderProbe>();
            InsertUniTaskLikeSystemsInFrontOfUpdate(); // UniTask initialising after us, as in players

            var update = UpdatePhase();
            Assert.That(Array.IndexOf(update, typeof(LoopBridgeTick)), Is.EqualTo(2), "behind UniTask's two systems: not first");
            Assert.That(Array.IndexOf(update, typeof(LoopBridgeTick)),
                Is.LessThan(Array.IndexOf(update, typeof(UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate))));

            UnityMainLoop.Main.Post(() => OrderProbe.Order.Add("LoopBridge work"));
            Engine.SimulateFrame();

            Assert.That(OrderProbe.Order, Is.EqualTo(new[] { "UniTask yield", "UniTask runner", "LoopBridge work", "MonoBehaviour.Update" }));
        }

        [Test]
        public void UniTaskSystemsAlreadyPresent_AtSessionStart_TickGoesInFront_BeforeScriptRunBehaviourUpdate()
        {
            InsertUniTaskLikeSystemsInFrontOfUpdate(); // left by an earlier session with domain reload disabled

            EnterPlayMode();

            var update = UpdatePhase();
            Assert.That(update.Count(t => t == typeof(LoopBridgeTick)), Is.EqualTo(1));
            Assert.That(Array.IndexOf(update, typeof(LoopBridgeTick)),
                Is.LessThan(Array.IndexOf(update, typeof(UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate))));
            Assert.That(UnityMainLoop.IsInstalled);
        }

        [Test]
        public void IsInstalled_FalseInEditMode_TrueDuringPlay_FalseAfterExit_MainThreadOnly()
        {
            Assert.That(UnityMainLoop.IsInstalled, Is.False);
            EnterPlayMode();
            Assert.That(UnityMainLoop.IsInstalled);
            Exception offThread = null;
            var t = new System.Threading.Thread(() => { try { _ = UnityMainLoop.IsInstalled; } catch (Exception e) { offThread = e; } });
            t.Start();
            Assert.That(t.Join(BlockedWorker.WakeWithin));
            Assert.That(offThread, Is.InstanceOf<UnityException>(), "Unity's PlayerLoop API is main-thread only");

            ExitPlayMode();

            Assert.That(UnityMainLoop.IsInstalled, Is.False);
        }

        [Test]
        public void PlayerLoopReplacedWithDefault_WatchdogReinstalls_WorkRuns_OneWarningNamingTheCause()
        {
            EnterPlayMode();
            EditorEngine.EditorFrame();
            var loop = UnityMainLoop.Main;

            PlayerLoop.SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop()); // what an older Entities did
            Assert.That(UnityMainLoop.IsInstalled, Is.False);
            var work = loop.Run(() => 7);

            var frames = 0;
            while (!work.IsCompleted && frames < 10)
            {
                EditorEngine.EditorFrame();
                frames++;
            }

            Assert.That(work.GetResult(TimeSpan.Zero), Is.EqualTo(7));
            Assert.That(frames, Is.LessThanOrEqualTo(3), "noticed after one frame without a tick, reinstalled, ticked the frame after");
            Assert.That(UnityMainLoop.IsInstalled);
            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));
            Assert.That(Engine.FindSystems(t => t == typeof(LoopBridgeTick)), Is.EqualTo(new[] { "Update/LoopBridgeTick" }));
            Assert.That(UnityMainLoop.Main, Is.SameAs(loop), "the same loop, not a new one");
            Assert.That(WarningsMentioning("LoopBridge"), Is.EqualTo(1));
            Assert.That(WarningsMentioning("PlayerLoop.SetPlayerLoop"), Is.EqualTo(1), "the warning says whom to suspect");

            // Again in the same session: reinstalled again, no second warning.
            PlayerLoop.SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop());
            var again = loop.Run(() => 8);
            for (var i = 0; i < 10 && !again.IsCompleted; i++)
                EditorEngine.EditorFrame();
            Assert.That(again.GetResult(TimeSpan.Zero), Is.EqualTo(8));
            Assert.That(WarningsMentioning("LoopBridge"), Is.EqualTo(1), "one warning per session");
            Assert.That(Engine.LoggedExceptions, Is.Empty);
        }

        [Test]
        public void NextSession_WarnsAgain_AndHasExactlyOneWatchdog()
        {
            for (var session = 1; session <= 2; session++)
            {
                EnterPlayMode();
                Assert.That(Engine.FindComponents<PlayerLoopWatchdog>().Count, Is.EqualTo(1));
                EditorEngine.EditorFrame();
                PlayerLoop.SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop());
                for (var i = 0; i < 3; i++)
                    EditorEngine.EditorFrame();
                Assert.That(UnityMainLoop.IsInstalled);
                Assert.That(WarningsMentioning("PlayerLoop.SetPlayerLoop"), Is.EqualTo(session));
                ExitPlayMode();
                Assert.That(Engine.FindComponents<PlayerLoopWatchdog>(), Is.Empty, "destroyed with the session");
            }
        }

        [Test]
        public void WhilePaused_ARemovedSystemIsNotReinstalled_UntilUnpaused()
        {
            EnterPlayMode();
            EditorEngine.EditorFrame();
            EditorEngine.SetPaused(true);
            PlayerLoop.SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop());
            var setCalls = Engine.SetPlayerLoopCalls;

            for (var i = 0; i < 10; i++)
                EditorEngine.EditorFrame();

            Assert.That(Engine.SetPlayerLoopCalls, Is.EqualTo(setCalls), "a paused session is not a stalled one");
            Assert.That(WarningsMentioning("LoopBridge"), Is.EqualTo(0));

            EditorEngine.SetPaused(false);
            for (var i = 0; i < 3; i++)
                EditorEngine.EditorFrame();
            Assert.That(UnityMainLoop.IsInstalled);
        }

        [Test]
        public void AfterTheLoopClosed_TheWatchdogLeavesThePlayerLoopAlone()
        {
            EnterPlayMode();
            EditorEngine.EditorFrame();
            UnityMainLoop.Main.Dispose(); // removes the system itself
            var setCalls = Engine.SetPlayerLoopCalls;

            for (var i = 0; i < 10; i++)
                EditorEngine.EditorFrame();

            Assert.That(UnityMainLoop.IsInstalled, Is.False);
            Assert.That(Engine.SetPlayerLoopCalls, Is.EqualTo(setCalls));
            Assert.That(WarningsMentioning("LoopBridge"), Is.EqualTo(0));
        }

        [Test]
        public void SystemInPlaceButPhaseSkipped_IsNotDuplicated()
        {
            EnterPlayMode();
            EditorEngine.EditorFrame();
            // A player loop whose Update phase stops running our system's updates without removing it: the watchdog
            // finds it in place and must not insert a second one.
            var root = PlayerLoop.GetCurrentPlayerLoop();
            var phases = root.subSystemList.ToArray();
            var i = Array.FindIndex(phases, p => p.type == typeof(UnityEngine.PlayerLoop.Update));
            phases[i].subSystemList = phases[i].subSystemList.Select(s => s.type == typeof(LoopBridgeTick) ? new PlayerLoopSystem { type = s.type } : s).ToArray();
            root.subSystemList = phases;
            PlayerLoop.SetPlayerLoop(root);

            for (var f = 0; f < 5; f++)
                EditorEngine.EditorFrame();

            Assert.That(LoopBridgeSystems(), Is.EqualTo(1));
            Assert.That(WarningsMentioning("LoopBridge"), Is.EqualTo(0));
        }
    }
}
