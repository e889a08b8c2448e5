using System;
using System.Collections;
using System.Text.RegularExpressions;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;
using UnityEngine;
using UnityEngine.LowLevel;
using UnityEngine.TestTools;

namespace LoopBridge.Tests.PlayMode
{
    /// <summary>
    /// The play-mode loop inside real Unity, across real frames (Unity Test Framework, play mode).
    /// Headlessly these only compile: the stub's [UnityTest] is not an NUnit attribute. The same
    /// behaviour is verified headlessly against the stub by Tests/Headless~/Glue.
    /// </summary>
    public sealed class UnityMainLoopPlayModeTests
    {
        /// <summary>Frames a test waits at most for work that should run on the next frame.</summary>
        const int MaxFrames = 30;

        [UnityTest]
        public IEnumerator Main_IsOpen_AndBoundToTheMainThread()
        {
            var loop = UnityMainLoop.Main;
            Assert.That(loop.IsOpen);
            Assert.That(loop.IsMainThread);
            Assert.That(loop.MainThreadId, Is.EqualTo(Thread.CurrentThread.ManagedThreadId));
            yield return null;
            Assert.That(UnityMainLoop.Main, Is.SameAs(loop), "one loop for the whole play session");
        }

        [UnityTest]
        public IEnumerator PlayerLoop_HoldsExactlyOneLoopBridgeSystem_BeforeScriptRunBehaviourUpdate()
        {
            yield return null;
            var root = PlayerLoop.GetCurrentPlayerLoop();
            Assert.That(CountLoopBridgeSystems(root), Is.EqualTo(1));
            Assert.That(UnityMainLoop.IsInstalled);
            var checkedUpdate = false;
            foreach (var phase in root.subSystemList)
            {
                if (phase.type != typeof(UnityEngine.PlayerLoop.Update))
                    continue;
                // Not necessarily first: UniTask (and others) insert their own systems at the front of Update.
                var tick = IndexOf(phase.subSystemList, typeof(LoopBridgeTick));
                var scripts = IndexOf(phase.subSystemList, typeof(UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate));
                Assert.That(tick, Is.GreaterThanOrEqualTo(0), "in Update");
                Assert.That(tick, Is.LessThan(scripts), "before ScriptRunBehaviourUpdate");
                checkedUpdate = true;
            }
            Assert.That(checkedUpdate, "the player loop has an Update phase");
        }

        [UnityTest]
        public IEnumerator PlayerLoopReplacedWithDefault_IsReinstalledWithinAFewFrames_WithOneWarning()
        {
            yield return null;
            var loop = UnityMainLoop.Main;
            // Its warning (once per play session) is a Warning: the Unity Test Framework does not fail on it.
            var before = PlayerLoop.GetCurrentPlayerLoop(); // put back afterwards: it holds UniTask's systems too
            try
            {
                PlayerLoop.SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop());
                Assert.That(UnityMainLoop.IsInstalled, Is.False);
                var work = loop.Run(() => 7);

                for (var i = 0; i < MaxFrames && !work.IsCompleted; i++)
                    yield return null;

                Assert.That(work.GetResult(TimeSpan.Zero), Is.EqualTo(7));
                Assert.That(UnityMainLoop.IsInstalled);
                Assert.That(UnityMainLoop.Main, Is.SameAs(loop));
            }
            finally
            {
                PlayerLoop.SetPlayerLoop(before);
            }
        }

        [UnityTest]
        public IEnumerator Loop_IsTickedExactlyOncePerFrame()
        {
            yield return null;
            var before = UnityMainLoop.Main.Statistics.Ticks;
            for (var i = 0; i < 5; i++)
                yield return null;
            Assert.That(UnityMainLoop.Main.Statistics.Ticks - before, Is.EqualTo(5));
        }

        [UnityTest]
        public IEnumerator WorkerThread_GetsItsResult_FromTheMainThread()
        {
            var loop = UnityMainLoop.Main;
            var mainThread = Thread.CurrentThread.ManagedThreadId;
            var ranOn = -1;
            var result = 0;
            Exception failure = null;
            var worker = new Thread(() =>
            {
                try
                {
                    result = loop.Run(() =>
                    {
                        ranOn = Thread.CurrentThread.ManagedThreadId;
                        return Time.frameCount;
                    }).GetResult(TimeSpan.FromSeconds(30));
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            worker.Start();

            for (var i = 0; i < MaxFrames && worker.IsAlive; i++)
                yield return null;

            Assert.That(worker.Join(TimeSpan.FromSeconds(10)), "the worker got its result");
            Assert.That(failure, Is.Null);
            Assert.That(ranOn, Is.EqualTo(mainThread));
            Assert.That(result, Is.GreaterThan(0));
        }

        [UnityTest]
        public IEnumerator RunAsync_SwitchesToTheThreadPoolAndBack()
        {
            var loop = UnityMainLoop.Main;
            var mainThread = Thread.CurrentThread.ManagedThreadId;
            var offThread = -1;
            var backOn = -1;
            var handle = loop.RunAsync(async ct =>
            {
                await UniTask.SwitchToThreadPool();
                offThread = Thread.CurrentThread.ManagedThreadId;
                await loop.SwitchTo();
                backOn = Thread.CurrentThread.ManagedThreadId;
            });

            for (var i = 0; i < MaxFrames && !handle.IsCompleted; i++)
                yield return null;

            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Succeeded));
            Assert.That(offThread, Is.Not.EqualTo(mainThread));
            Assert.That(backOn, Is.EqualTo(mainThread));
        }

        [UnityTest]
        public IEnumerator UnhandledException_IsLoggedAsAnException()
        {
            LogAssert.Expect(LogType.Exception, new Regex("LoopBridge play-mode test failure"));
            UnityMainLoop.Main.Post(() => throw new InvalidOperationException("LoopBridge play-mode test failure"));
            yield return null;
            yield return null;
            Assert.That(UnityMainLoop.Main.IsOpen, "an exception never stops the loop");
        }

        static int IndexOf(PlayerLoopSystem[] systems, Type type)
        {
            for (var i = 0; i < systems.Length; i++)
            {
                if (systems[i].type == type)
                    return i;
            }
            return -1;
        }

        static int CountLoopBridgeSystems(PlayerLoopSystem system)
        {
            var count = system.type == typeof(LoopBridgeTick) ? 1 : 0;
            if (system.subSystemList != null)
            {
                foreach (var sub in system.subSystemList)
                    count += CountLoopBridgeSystems(sub);
            }
            return count;
        }
    }
}
