using Unity.Jobs;

namespace LoopBridge
{
    /// <summary>
    /// A <see cref="JobHandle"/> as an <see cref="IMainThreadPollable"/>: what
    /// <see cref="JobHandleLoopExtensions"/> hands to <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, System.Threading.CancellationToken)"/>.
    /// A struct, so the loop stores the handle without boxing. Main thread only, like the JobHandle members it calls.
    /// </summary>
    internal readonly struct JobHandleCompletion : IMainThreadPollable
    {
        private readonly JobHandle job;

        internal JobHandleCompletion(JobHandle job)
        {
            this.job = job;
        }

        /// <inheritdoc />
        public bool IsCompleted => job.IsCompleted;

        /// <inheritdoc />
        public void Complete() => job.Complete();
    }
}
