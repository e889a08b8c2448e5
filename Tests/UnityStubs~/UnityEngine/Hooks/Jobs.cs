using System;
using System.Collections.Generic;
using System.Threading;

namespace UnityStubs
{
    /// <summary>
    /// Test hooks of the Unity.Jobs / Unity.Collections stub: the simulated job system behind JobHandle and
    /// the counters tests assert on. A scheduled job runs when the test says (<see cref="RunScheduled"/>,
    /// <see cref="Finish"/>) or when its handle is completed. Not part of Unity's API.
    /// </summary>
    public static class Jobs
    {
        static readonly object s_Gate = new object();
        static readonly List<StubJob> s_Pending = new List<StubJob>();
        static int s_IsCompletedCalls;
        static int s_CompleteCalls;
        static int s_ScheduleBatchedJobsCalls;
        internal static int s_LiveNativeArrays;

        /// <summary>One scheduled job: its body, what it depends on, and whether it ran.</summary>
        public sealed class StubJob
        {
            internal Action Body;
            internal StubJob DependsOn;
            internal StubJob Also;
            internal volatile bool Finished;
            internal int CompleteCalls;
        }

        /// <summary>Calls of JobHandle.IsCompleted since <see cref="Reset"/>.</summary>
        public static int IsCompletedCalls => Volatile.Read(ref s_IsCompletedCalls);

        /// <summary>Calls of JobHandle.Complete since <see cref="Reset"/> (all on the main thread: off it, Complete throws).</summary>
        public static int CompleteCalls => Volatile.Read(ref s_CompleteCalls);

        /// <summary>Calls of JobHandle.ScheduleBatchedJobs since <see cref="Reset"/>.</summary>
        public static int ScheduleBatchedJobsCalls => Volatile.Read(ref s_ScheduleBatchedJobsCalls);

        /// <summary>NativeArrays created and not yet disposed (never reset: a leak stays visible).</summary>
        public static int LiveNativeArrays => Volatile.Read(ref s_LiveNativeArrays);

        /// <summary>Jobs scheduled and not yet run.</summary>
        public static int PendingCount { get { lock (s_Gate) return s_Pending.Count; } }

        /// <summary>Forgets pending jobs and zeroes the call counters.</summary>
        public static void Reset()
        {
            lock (s_Gate) s_Pending.Clear();
            s_IsCompletedCalls = 0;
            s_CompleteCalls = 0;
            s_ScheduleBatchedJobsCalls = 0;
        }

        /// <summary>Runs every scheduled job (dependencies first) on the calling thread, as job workers would.</summary>
        public static int RunScheduled()
        {
            StubJob[] jobs;
            lock (s_Gate) jobs = s_Pending.ToArray();
            foreach (var job in jobs)
                Run(job);
            return jobs.Length;
        }

        /// <summary>Runs one job (and what it depends on) on the calling thread.</summary>
        public static void Finish(Unity.Jobs.JobHandle handle) => Run(handle.m_Job);

        /// <summary>How many times Complete() was called on this very handle.</summary>
        public static int CompleteCallsOf(Unity.Jobs.JobHandle handle) => handle.m_Job?.CompleteCalls ?? 0;

        internal static StubJob Schedule(Action body, StubJob dependsOn)
        {
            var job = new StubJob { Body = body, DependsOn = dependsOn };
            lock (s_Gate) s_Pending.Add(job);
            return job;
        }

        internal static StubJob Combine(StubJob a, StubJob b) => new StubJob { Body = () => { }, DependsOn = a, Also = b };

        internal static bool IsCompleted(StubJob job)
        {
            Interlocked.Increment(ref s_IsCompletedCalls);
            return IsFinished(job);
        }

        internal static void Complete(StubJob job)
        {
            if (Thread.CurrentThread.ManagedThreadId != Engine.MainThreadId)
                throw new InvalidOperationException("JobHandle.Complete can only be called from the main thread (stub).");
            Interlocked.Increment(ref s_CompleteCalls);
            if (job == null)
                return;
            job.CompleteCalls++;
            Run(job);
        }

        internal static void OnScheduleBatchedJobs() => Interlocked.Increment(ref s_ScheduleBatchedJobsCalls);

        static bool IsFinished(StubJob job) => job == null || (job.Finished && IsFinished(job.DependsOn) && IsFinished(job.Also));

        static void Run(StubJob job)
        {
            if (job == null)
                return;
            Run(job.DependsOn);
            Run(job.Also);
            lock (job)
            {
                if (job.Finished)
                    return;
                job.Body();
                job.Finished = true;
            }
            lock (s_Gate) s_Pending.Remove(job);
        }
    }
}
