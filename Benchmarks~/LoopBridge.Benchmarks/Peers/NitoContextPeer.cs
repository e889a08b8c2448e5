using System;
using System.Threading.Tasks;
using Nito.AsyncEx;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// Nito.AsyncEx's <see cref="AsyncContextThread"/>: an <c>AsyncContext</c> running on its own
    /// dedicated thread; submissions go through its task factory. Not frame-based (nothing ticks
    /// it and it has no frame budget), so it only takes part in the throughput scenarios.
    /// </summary>
    internal sealed class NitoContextPeer : TaskPeer
    {
        private readonly AsyncContextThread _thread = new AsyncContextThread();

        public override string Name => "Nito AsyncContextThread";

        public override bool FrameBased => false;

        public override Task<int> Submit(int arg, Func<int, int> fn) => _thread.Factory.Run(() => fn(arg));

        public override int Tick() => throw new NotSupportedException("AsyncContextThread runs on its own thread.");

        public override void Dispose() => _thread.Join();
    }
}
