// Stubs of Unity.Jobs (JobHandle, IJob, IJobParallelFor and their Schedule/Run extensions), with the
// signatures of UnityCsReference (Runtime/Jobs/ScriptBindings/JobHandle.bindings.cs, Runtime/Jobs/Managed/IJob*.cs),
// the same in 2021.3 and Unity 6. A scheduled job does not run by itself: the test runs it with
// UnityStubs.Jobs.RunScheduled() (as the job workers would), or Complete() runs it on the main thread,
// as Unity's main thread helps with a job it waits for. Test scaffolding only.
using System;

namespace Unity.Jobs
{
    public struct JobHandle : IEquatable<JobHandle>
    {
        internal UnityStubs.Jobs.StubJob m_Job;

        public void Complete() => UnityStubs.Jobs.Complete(m_Job);

        public static void CompleteAll(ref JobHandle job0, ref JobHandle job1)
        {
            job0.Complete();
            job1.Complete();
        }

        public bool IsCompleted => UnityStubs.Jobs.IsCompleted(m_Job);

        public static void ScheduleBatchedJobs() => UnityStubs.Jobs.OnScheduleBatchedJobs();

        public static JobHandle CombineDependencies(JobHandle job0, JobHandle job1)
            => new JobHandle { m_Job = UnityStubs.Jobs.Schedule(() => { }, UnityStubs.Jobs.Combine(job0.m_Job, job1.m_Job)) };

        public bool Equals(JobHandle other) => ReferenceEquals(m_Job, other.m_Job);

        public override bool Equals(object obj) => obj is JobHandle other && Equals(other);

        public static bool operator ==(JobHandle a, JobHandle b) => a.Equals(b);

        public static bool operator !=(JobHandle a, JobHandle b) => !a.Equals(b);

        public override int GetHashCode() => m_Job == null ? 0 : m_Job.GetHashCode();
    }

    public interface IJob
    {
        void Execute();
    }

    public interface IJobParallelFor
    {
        void Execute(int index);
    }

    public static class IJobExtensions
    {
        public static JobHandle Schedule<T>(this T jobData, JobHandle dependsOn = new JobHandle()) where T : struct, IJob
            => new JobHandle { m_Job = UnityStubs.Jobs.Schedule(() => jobData.Execute(), dependsOn.m_Job) };

        public static void Run<T>(this T jobData) where T : struct, IJob => jobData.Execute();
    }

    public static class IJobParallelForExtensions
    {
        public static JobHandle Schedule<T>(this T jobData, int arrayLength, int innerloopBatchCount, JobHandle dependsOn = new JobHandle()) where T : struct, IJobParallelFor
        {
            if (innerloopBatchCount <= 0)
                throw new ArgumentOutOfRangeException(nameof(innerloopBatchCount));
            return new JobHandle
            {
                m_Job = UnityStubs.Jobs.Schedule(() =>
                {
                    for (var i = 0; i < arrayLength; i++)
                        jobData.Execute(i);
                }, dependsOn.m_Job),
            };
        }

        public static void Run<T>(this T jobData, int arrayLength) where T : struct, IJobParallelFor
        {
            for (var i = 0; i < arrayLength; i++)
                jobData.Execute(i);
        }
    }
}
