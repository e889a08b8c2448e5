using System;
using System.Collections;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using UnityEditor;
using UnityEngine.TestTools;

namespace LoopBridge.Tests.EditMode
{
    /// <summary>
    /// The editor loop inside the real Unity editor (Unity Test Framework, edit mode: each
    /// <c>yield return null</c> is one EditorApplication.update). Headlessly these only compile;
    /// the same behaviour is verified against the stub by Tests/Headless~/Glue.
    /// </summary>
    public sealed class EditorMainLoopTests
    {
        const int MaxEditorFrames = 60;

        [UnityTest]
        public IEnumerator EditorLoop_IsOpen_BoundToTheMainThread_AndNotThePlayModeLoop()
        {
            var loop = EditorMainLoop.Current;
            Assert.That(loop.IsOpen);
            Assert.That(loop.IsMainThread);
            if (UnityMainLoop.TryGetMain(out var playLoop))
                Assert.That(playLoop, Is.Not.SameAs(loop));
            yield return null;
        }

        [UnityTest]
        public IEnumerator EditorLoop_IsTickedByEditorUpdate_InEditMode()
        {
            var mainThread = Thread.CurrentThread.ManagedThreadId;
            var ranOn = -1;
            var handle = EditorMainLoop.Current.Run(() => ranOn = Thread.CurrentThread.ManagedThreadId);

            for (var i = 0; i < MaxEditorFrames && !handle.IsCompleted; i++)
                yield return null;

            Assert.That(handle.IsCompleted);
            Assert.That(ranOn, Is.EqualTo(mainThread));
        }

        [UnityTest]
        public IEnumerator WorkerThread_BlockedOnTheEditorLoop_GetsItsResult()
        {
            var loop = EditorMainLoop.Current;
            var result = 0;
            Exception failure = null;
            var worker = new Thread(() =>
            {
                try
                {
                    result = loop.Run(() => 42).GetResult(TimeSpan.FromSeconds(30));
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            worker.Start();

            for (var i = 0; i < MaxEditorFrames && worker.IsAlive; i++)
                yield return null;

            Assert.That(worker.Join(TimeSpan.FromSeconds(10)), "the worker got its result");
            Assert.That(failure, Is.Null);
            Assert.That(result, Is.EqualTo(42));
        }

        [UnityTest]
        public IEnumerator EditorUpdate_HasExactlyOneLoopBridgeHandler()
        {
            yield return null;
            var handlers = EditorApplication.update.GetInvocationList()
                .Count(d => d.Method.DeclaringType == typeof(EditorMainLoop));
            Assert.That(handlers, Is.EqualTo(1));
        }
    }
}
