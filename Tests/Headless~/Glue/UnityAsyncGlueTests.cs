using System;
using System.Collections.Generic;
using System.Threading;
using Cysharp.Threading.Tasks;
using NUnit.Framework;
using Unity.Collections;
using Unity.Jobs;
using UnityEngine;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// Unity's own async world through the stub: the JobHandle bridge on the play-mode loop (ticked by simulated
    /// frames), and owner-scoped work. Jobs run only when the test says (UnityStubs.Jobs.RunScheduled) or when
    /// completed, so every frame count below is exact.
    /// </summary>
    [NonParallelizable]
    public sealed class UnityAsyncGlueTests : GlueTestBase
    {
        private struct SquareJob : IJobParallelFor
        {
            [ReadOnly] public NativeArray<int> Input;
            [WriteOnly] public NativeArray<int> Output;

            public void Execute(int index) => Output[index] = Input[index] * Input[index];
        }

        private sealed class Owner : MonoBehaviour
        {
        }

        private int liveArraysAtStart;

        [SetUp]
        public void StartJobs()
        {
            Jobs.Reset();
            liveArraysAtStart = Jobs.LiveNativeArrays;
        }

        private static (JobHandle Handle, NativeArray<int> Input, NativeArray<int> Output) ScheduleSquares(int length)
        {
            var input = new NativeArray<int>(length, Allocator.TempJob);
            for (var i = 0; i < length; i++)
            {
                input[i] = i;
            }

            var output = new NativeArray<int>(length, Allocator.TempJob);
            var handle = new SquareJob { Input = input, Output = output }.Schedule(length, 16);
            return (handle, input, output);
        }

        [Test]
        public void JobHandle_ParallelForJob_ResultReadOnMainThreadAfterComplete_BuffersDisposedInContinuation()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var (job, input, output) = ScheduleSquares(64);
            var handle = loop.WhenCompleted(job, output, o => o[7]);
            Assert.That(Jobs.ScheduleBatchedJobsCalls, Is.EqualTo(1), "the batch is flushed so the job starts now");

            var applied = -1;
            handle.OnCompleted(outcome =>
            {
                applied = outcome.Result;
                input.Dispose();
                output.Dispose();
            });

            Engine.SimulateFrame();
            Assert.That(Jobs.IsCompletedCalls, Is.EqualTo(1));
            Assert.That(Jobs.CompleteCalls, Is.EqualTo(0), "not completed while the job runs");

            var worker = new Thread(() => Jobs.RunScheduled());
            worker.Start();
            Assert.That(worker.Join(30000), Is.True, "hang guard");

            Engine.SimulateFrame();
            Assert.That(applied, Is.EqualTo(49));
            Assert.That(Jobs.CompleteCallsOf(job), Is.EqualTo(1), "Complete() exactly once, on the main thread (the stub throws elsewhere)");
            Assert.That(Jobs.LiveNativeArrays, Is.EqualTo(liveArraysAtStart), "both buffers disposed");

            Engine.SimulateFrame();
            Assert.That(Jobs.IsCompletedCalls, Is.EqualTo(2), "no check after completion");
            Assert.That(Jobs.CompleteCalls, Is.EqualTo(1));
        }

        [Test]
        public void JobHandle_HundredJobs_OneCheckEachPerFrame()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var jobs = new List<(JobHandle Handle, NativeArray<int> Input, NativeArray<int> Output)>();
            var done = 0;
            for (var i = 0; i < 100; i++)
            {
                var j = ScheduleSquares(4);
                jobs.Add(j);
                loop.WhenCompleted(j.Handle).OnCompleted(_ =>
                {
                    j.Input.Dispose();
                    j.Output.Dispose();
                    done++;
                });
            }

            Engine.SimulateFrame();
            Engine.SimulateFrame();
            Assert.That(Jobs.IsCompletedCalls, Is.EqualTo(200), "one pass per frame, one check per pending job");

            Jobs.RunScheduled();
            Engine.SimulateFrame();
            Assert.That(done, Is.EqualTo(100));
            Assert.That(Jobs.CompleteCalls, Is.EqualTo(100));
            Assert.That(Jobs.LiveNativeArrays, Is.EqualTo(liveArraysAtStart));
        }

        [Test]
        public void JobHandle_Cancelled_JobCompletedThenCanceled_BuffersDisposable()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var (job, input, output) = ScheduleSquares(8);
            using var cts = new CancellationTokenSource();
            var handle = loop.WhenCompleted(job, () => output[2], cts.Token);
            UniTaskStatus status = default;
            var completedBeforeCallback = -1;
            handle.OnCompleted(outcome =>
            {
                status = outcome.Status;
                completedBeforeCallback = Jobs.CompleteCallsOf(job);
                input.Dispose();
                output.Dispose();
            });

            Engine.SimulateFrame();
            cts.Cancel();
            Engine.SimulateFrame();
            Assert.That(status, Is.EqualTo(UniTaskStatus.Canceled));
            Assert.That(completedBeforeCallback, Is.EqualTo(1), "Complete() ran (and the job with it) before the continuation");
            Assert.That(Jobs.LiveNativeArrays, Is.EqualTo(liveArraysAtStart));
        }

        [Test]
        public void ExitPlayMode_CompletesPendingJobsBeforeFailingHandles_NothingLeaks()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var failures = new List<CloseReason>();
            for (var i = 0; i < 3; i++)
            {
                var (job, input, output) = ScheduleSquares(8);
                loop.WhenCompleted(job, () => output[1]).OnCompleted(outcome =>
                {
                    Assert.That(Jobs.CompleteCallsOf(job), Is.EqualTo(1), "the job was completed before its handle failed");
                    failures.Add(((LoopClosedException)outcome.Exception).Reason);
                    input.Dispose();
                    output.Dispose();
                });
            }

            Engine.SimulateFrame();
            Assert.That(Jobs.PendingCount, Is.EqualTo(3), "the workers never ran them");

            ExitPlayMode();
            Assert.That(failures, Is.EqualTo(new[] { CloseReason.ExitingPlayMode, CloseReason.ExitingPlayMode, CloseReason.ExitingPlayMode }));
            Assert.That(Jobs.PendingCount, Is.EqualTo(0), "Complete() ran each job on the main thread");
            Assert.That(Jobs.LiveNativeArrays, Is.EqualTo(liveArraysAtStart), "every buffer disposed");
        }

        [Test]
        public void OwnerScoped_OwnerDestroyedWhileRunning_HandleCanceled()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var owner = new Owner();
            var frames = 0;
            var handle = loop.RunAsync(owner, async ct =>
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    frames++;
                    await loop.NextFrame();
                }
            }).Preserve();

            Engine.SimulateFrame();
            Engine.SimulateFrame();
            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Pending));

            UnityEngine.Object.Destroy(owner);
            for (var i = 0; i < 3 && !handle.IsCompleted; i++)
            {
                Engine.SimulateFrame();
            }

            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Canceled));
            var ex = Assert.Throws<OperationCanceledException>(() => handle.GetResult(TimeSpan.Zero));
            Assert.That(ex, Is.Not.InstanceOf<LoopClosedException>());
            var framesAtEnd = frames;
            Engine.SimulateFrame();
            Assert.That(frames, Is.EqualTo(framesAtEnd), "the work stopped");
        }

        [Test]
        public void OwnerScoped_OwnerDestroyedBeforeStart_WorkNeverRuns()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var owner = new Owner();
            var ran = false;
            var handle = loop.RunAsync(owner, ct =>
            {
                ran = true;
                return UniTask.FromResult(1);
            });
            UnityEngine.Object.Destroy(owner);
            for (var i = 0; i < 3 && !handle.IsCompleted; i++)
            {
                Engine.SimulateFrame();
            }

            Assert.Throws<OperationCanceledException>(() => handle.GetResult(TimeSpan.Zero));
            Assert.That(ran, Is.False);
        }

        [Test]
        public void OwnerScoped_AlreadyDestroyedOwner_CanceledWithoutRunning()
        {
            EnterPlayMode();
            var owner = new Owner();
            UnityEngine.Object.Destroy(owner);
            var ran = false;
            var handle = UnityMainLoop.Main.RunAsync(owner, ct =>
            {
                ran = true;
                return UniTask.CompletedTask;
            });
            Assert.That(handle.Status, Is.EqualTo(UniTaskStatus.Canceled));
            Engine.SimulateFrame();
            Assert.That(ran, Is.False);
        }

        [Test]
        public void OwnerScoped_OwnerAlive_CompletesWithValue_AndStopsWatching()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var owner = new Owner();
            var handle = loop.RunAsync(owner, async ct =>
            {
                await loop.NextFrame();
                return 5;
            });
            Engine.SimulateFrame();
            Engine.SimulateFrame();
            Assert.That(handle.GetResult(TimeSpan.Zero), Is.EqualTo(5));
            Engine.SimulateFrame();
            Engine.SimulateFrame();
            Assert.That(loop.QueueDepth, Is.EqualTo(0), "nothing left watching the owner");
        }

        [Test]
        public void OwnerScoped_LoopClosesWhileRunning_FailsWithLoopClosed()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            var owner = new Owner();
            var finallyRan = false;
            var handle = loop.RunAsync(owner, async ct =>
            {
                try
                {
                    // Reports the close as a plain OperationCanceledException; the handle still says LoopClosed.
                    await UniTask.Never(ct);
                }
                finally
                {
                    finallyRan = true;
                }
            }).Preserve();
            Engine.SimulateFrame();

            ExitPlayMode();
            Assert.That(handle.IsCompleted, Is.True);
            var ex = Assert.Throws<LoopClosedException>(() => handle.GetResult(TimeSpan.Zero));
            Assert.That(ex.Reason, Is.EqualTo(CloseReason.ExitingPlayMode));
            Assert.That(finallyRan, Is.True);
        }

        [Test]
        public void OwnerScoped_BadArguments_Throw()
        {
            EnterPlayMode();
            var loop = UnityMainLoop.Main;
            Assert.Throws<ArgumentNullException>(() => loop.RunAsync((MonoBehaviour)null, ct => UniTask.CompletedTask));
            Assert.Throws<ArgumentNullException>(() => loop.RunAsync(new Owner(), (Func<CancellationToken, UniTask>)null));
            Exception offMain = null;
            var owner = new Owner();
            var t = new Thread(() =>
            {
                try
                {
                    loop.RunAsync(owner, ct => UniTask.CompletedTask);
                }
                catch (Exception ex)
                {
                    offMain = ex;
                }
            });
            t.Start();
            Assert.That(t.Join(30000), Is.True, "hang guard");
            Assert.That(offMain, Is.InstanceOf<InvalidOperationException>());
        }
    }
}
