using System;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// A <see cref="Channel"/>-based dispatcher: an unbounded single-reader channel of struct work
    /// items drained with <c>TryRead</c> each frame. The work item carries the argument and the
    /// delegate itself (no closure), so the only allocations are the TCS and its task.
    /// </summary>
    internal sealed class ChannelPeer : TaskPeer
    {
        private readonly Channel<WorkItem> _channel = Channel.CreateUnbounded<WorkItem>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

        public override string Name => "Channel (unbounded, 1 reader) + TCS";

        public override Task<int> Submit(int arg, Func<int, int> fn)
        {
            var tcs = new TaskCompletionSource<int>();
            if (!_channel.Writer.TryWrite(new WorkItem(arg, fn, tcs)))
            {
                tcs.SetException(new InvalidOperationException("The channel is completed."));
            }
            return tcs.Task;
        }

        public override int Tick()
        {
            int n = 0;
            var reader = _channel.Reader;
            while (reader.TryRead(out var item))
            {
                try
                {
                    item.Tcs.SetResult(item.Fn(item.Arg));
                }
                catch (Exception e)
                {
                    item.Tcs.SetException(e);
                }
                n++;
            }
            return n;
        }

        public override void Dispose() => _channel.Writer.TryComplete();

        private readonly struct WorkItem
        {
            public readonly int Arg;
            public readonly Func<int, int> Fn;
            public readonly TaskCompletionSource<int> Tcs;

            public WorkItem(int arg, Func<int, int> fn, TaskCompletionSource<int> tcs)
            {
                Arg = arg;
                Fn = fn;
                Tcs = tcs;
            }
        }
    }
}
