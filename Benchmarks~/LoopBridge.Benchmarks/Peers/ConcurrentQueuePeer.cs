using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// The lock-free version most "better dispatcher" answers suggest: a
    /// <see cref="ConcurrentQueue{T}"/> of <see cref="Action"/> drained with <c>TryDequeue</c>
    /// each frame, results through a <see cref="TaskCompletionSource{TResult}"/>.
    /// </summary>
    internal sealed class ConcurrentQueuePeer : TaskPeer
    {
        private readonly ConcurrentQueue<Action> _queue = new ConcurrentQueue<Action>();

        public override string Name => "ConcurrentQueue<Action> + TCS";

        public override Task<int> Submit(int arg, Func<int, int> fn)
        {
            var tcs = new TaskCompletionSource<int>();
            _queue.Enqueue(Wrap(arg, fn, tcs));
            return tcs.Task;
        }

        public override int Tick()
        {
            int n = 0;
            while (_queue.TryDequeue(out var action))
            {
                action.Invoke();
                n++;
            }
            return n;
        }
    }
}
