using System;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// LoopBridge itself, through its public API only: <c>MainLoop.Run(state, func)</c> returning
    /// a pooled <see cref="LoopHandle{T}"/>, <c>Tick()</c> on the main thread, <c>Close(reason)</c>.
    /// </summary>
    internal sealed class LoopBridgePeer : Peer<LoopHandle<int>>
    {
        private readonly MainLoop _loop;
        private readonly string _name;

        /// <summary>Creates the loop; must run on the benchmark's main thread (the loop binds to it).</summary>
        public LoopBridgePeer(string name = "LoopBridge", TimeSpan tickBudget = default)
        {
            _name = name;
            _loop = new MainLoop(new MainLoopOptions { TickBudget = tickBudget, Name = name });
        }

        public override string Name => _name;

        public override bool CanClose => true;

        /// <summary>The loop, for the scenarios that read its statistics.</summary>
        public MainLoop Loop => _loop;

        public override LoopHandle<int> Submit(int arg, Func<int, int> fn) => _loop.Run(arg, fn);

        public override int Tick() => _loop.Tick().ItemsRun;

        public override void Close() => _loop.Close(CloseReason.EngineShutdown);

        public override void Dispose() => _loop.Dispose();

        public override bool IsCompleted(in LoopHandle<int> handle) => handle.IsCompleted;

        public override int GetResult(in LoopHandle<int> handle) => handle.GetResult();

        public override int WaitResult(in LoopHandle<int> handle, TimeSpan timeout) => handle.GetResult(timeout);
    }
}
