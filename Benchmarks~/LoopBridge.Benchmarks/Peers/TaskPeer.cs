using System;
using System.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>Shared handle code of the patterns that return a <see cref="Task{TResult}"/> from a <see cref="TaskCompletionSource{TResult}"/>.</summary>
    internal abstract class TaskPeer : Peer<Task<int>>
    {
        public override bool IsCompleted(in Task<int> handle) => handle.IsCompleted;

        public override int GetResult(in Task<int> handle) => handle.GetAwaiter().GetResult();

        /// <remarks>What users write: <c>task.Wait(timeout)</c> (spins briefly, then blocks on an event), then the result.</remarks>
        public override int WaitResult(in Task<int> handle, TimeSpan timeout)
        {
            if (!handle.Wait(timeout))
            {
                throw new TimeoutException("The dispatcher did not complete the task in time.");
            }
            return handle.GetAwaiter().GetResult();
        }

        /// <summary>The closure every Action-queue dispatcher's "EnqueueAsync" helper creates.</summary>
        protected static Action Wrap(int arg, Func<int, int> fn, TaskCompletionSource<int> tcs) => () =>
        {
            try
            {
                tcs.SetResult(fn(arg));
            }
            catch (Exception e)
            {
                tcs.SetException(e);
            }
        };
    }
}
