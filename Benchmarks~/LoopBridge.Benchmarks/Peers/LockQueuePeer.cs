using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// The UnityMainThreadDispatcher pattern: a <c>lock</c> around a <see cref="Queue{T}"/> of
    /// <see cref="Action"/>, drained while holding the lock in <c>Update()</c>; results come back
    /// through a <see cref="TaskCompletionSource{TResult}"/> captured by a closure.
    /// </summary>
    internal sealed class LockQueuePeer : TaskPeer
    {
        private readonly Queue<Action> _queue = new Queue<Action>();

        public override string Name => "lock + Queue<Action> + TCS";

        public override Task<int> Submit(int arg, Func<int, int> fn)
        {
            var tcs = new TaskCompletionSource<int>();
            Action action = Wrap(arg, fn, tcs);
            lock (_queue)
            {
                _queue.Enqueue(action);
            }
            return tcs.Task;
        }

        public override int Tick()
        {
            // As in the original: the whole drain runs under the lock (producers block meanwhile),
            // and work enqueued by an item runs in the same frame.
            int n = 0;
            lock (_queue)
            {
                while (_queue.Count > 0)
                {
                    _queue.Dequeue().Invoke();
                    n++;
                }
            }
            return n;
        }
    }
}
