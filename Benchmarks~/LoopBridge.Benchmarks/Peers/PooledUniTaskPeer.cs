using System;
using System.Collections.Concurrent;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// The best hand-rolled UniTask dispatcher: a <see cref="ConcurrentQueue{T}"/> of struct work
    /// items carrying a pooled <see cref="AutoResetUniTaskCompletionSource{T}"/> (returned to
    /// UniTask's pool when the result is read), drained with <c>TryDequeue</c> each frame.
    /// </summary>
    internal sealed class PooledUniTaskPeer : Peer<UniTask<int>>
    {
        private readonly ConcurrentQueue<WorkItem> _queue = new ConcurrentQueue<WorkItem>();

        public override string Name => "ConcurrentQueue + pooled UniTask";

        public override UniTask<int> Submit(int arg, Func<int, int> fn)
        {
            var source = AutoResetUniTaskCompletionSource<int>.Create();
            var task = source.Task; // read the version before the source can complete and recycle
            _queue.Enqueue(new WorkItem(arg, fn, source));
            return task;
        }

        public override int Tick()
        {
            int n = 0;
            while (_queue.TryDequeue(out var item))
            {
                try
                {
                    item.Source.TrySetResult(item.Fn(item.Arg));
                }
                catch (Exception e)
                {
                    item.Source.TrySetException(e);
                }
                n++;
            }
            return n;
        }

        public override bool IsCompleted(in UniTask<int> handle) => handle.Status.IsCompleted();

        public override int GetResult(in UniTask<int> handle) => handle.GetAwaiter().GetResult();

        /// <remarks>
        /// UniTask has no blocking wait (GetResult on a pending source throws), so the hand-rolled
        /// version spins on the status, yielding the core but never sleeping: the lowest latency a
        /// worker can get from it, paid for in CPU.
        /// </remarks>
        public override int WaitResult(in UniTask<int> handle, TimeSpan timeout)
        {
            if (!handle.Status.IsCompleted())
            {
                long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
                var spin = new SpinWait();
                while (!handle.Status.IsCompleted())
                {
                    if (Environment.TickCount64 > deadline)
                    {
                        throw new TimeoutException("The dispatcher did not complete the task in time.");
                    }
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
            return handle.GetAwaiter().GetResult();
        }

        private readonly struct WorkItem
        {
            public readonly int Arg;
            public readonly Func<int, int> Fn;
            public readonly AutoResetUniTaskCompletionSource<int> Source;

            public WorkItem(int arg, Func<int, int> fn, AutoResetUniTaskCompletionSource<int> source)
            {
                Arg = arg;
                Fn = fn;
                Source = source;
            }
        }
    }
}
