using System;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Cysharp.Threading.Tasks;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Micro
{
    /// <summary>
    /// The single-thread hot path: submit one item, tick, read the result, all on the loop's own
    /// thread. Measures the fixed cost per item (queue, pooled handle, completion) without any
    /// cross-thread traffic, and its allocation. Two peers give the scale. The batch benchmarks
    /// submit 256 items per tick, so they show the cost per item without the fixed cost of a tick.
    /// </summary>
    [MemoryDiagnoser]
    public class HotPathBenchmarks
    {
        private static readonly Func<int> s_func = () => 42;
        private static readonly Func<int, int> s_stateFunc = x => x + 1;
        private static readonly Action s_action = () => { };
        private static readonly Func<CancellationToken, UniTask<int>> s_completedAsync = _ => UniTask.FromResult(42);

        private const int Batch = 256;

        private readonly LoopHandle<int>[] _loopHandles = new LoopHandle<int>[Batch];
        private readonly UniTask<int>[] _pooledTasks = new UniTask<int>[Batch];
        private readonly System.Threading.Tasks.Task<int>[] _channelTasks = new System.Threading.Tasks.Task<int>[Batch];
        private MainLoop _loop = null!;
        private PooledUniTaskPeer _pooled = null!;
        private ChannelPeer _channel = null!;

        [GlobalSetup]
        public void Setup()
        {
            _loop = new MainLoop();
            _pooled = new PooledUniTaskPeer();
            _channel = new ChannelPeer();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _loop.Dispose();
            _channel.Dispose();
        }

        [Benchmark(Baseline = true, Description = "LoopBridge Run(Func<T>)")]
        public int Run()
        {
            var handle = _loop.Run(s_func);
            _loop.Tick();
            return handle.GetResult();
        }

        [Benchmark(Description = "LoopBridge Run(state, Func<TState,T>)")]
        public int RunWithState()
        {
            var handle = _loop.Run(41, s_stateFunc);
            _loop.Tick();
            return handle.GetResult();
        }

        [Benchmark(Description = "LoopBridge Post(Action)")]
        public void Post()
        {
            _loop.Post(s_action);
            _loop.Tick();
        }

        [Benchmark(Description = "LoopBridge RunAsync(completed UniTask<T>)")]
        public int RunAsyncCompleted()
        {
            var handle = _loop.RunAsync(s_completedAsync);
            _loop.Tick();
            return handle.GetResult();
        }

        [Benchmark(OperationsPerInvoke = Batch, Description = "LoopBridge batch: 256 x Run(state), 1 tick, 256 results (per item)")]
        public int RunWithStateBatch()
        {
            var handles = _loopHandles;
            for (int i = 0; i < Batch; i++) handles[i] = _loop.Run(i, s_stateFunc);
            _loop.Tick();
            int sum = 0;
            for (int i = 0; i < Batch; i++) sum += handles[i].GetResult();
            return sum;
        }

        [Benchmark(OperationsPerInvoke = Batch, Description = "pooled UniTask batch: 256 submits, 1 tick, 256 results (per item)")]
        public int PooledUniTaskBatch()
        {
            var tasks = _pooledTasks;
            for (int i = 0; i < Batch; i++) tasks[i] = _pooled.Submit(i, s_stateFunc);
            _pooled.Tick();
            int sum = 0;
            for (int i = 0; i < Batch; i++) sum += _pooled.GetResult(tasks[i]);
            return sum;
        }

        [Benchmark(OperationsPerInvoke = Batch, Description = "Channel + TCS batch: 256 submits, 1 tick, 256 results (per item)")]
        public int ChannelBatch()
        {
            var tasks = _channelTasks;
            for (int i = 0; i < Batch; i++) tasks[i] = _channel.Submit(i, s_stateFunc);
            _channel.Tick();
            int sum = 0;
            for (int i = 0; i < Batch; i++) sum += _channel.GetResult(tasks[i]);
            return sum;
        }

        [Benchmark(Description = "ConcurrentQueue + pooled UniTask")]
        public int PooledUniTask()
        {
            var task = _pooled.Submit(41, s_stateFunc);
            _pooled.Tick();
            return _pooled.GetResult(task);
        }

        [Benchmark(Description = "Channel + TCS")]
        public int Channel()
        {
            var task = _channel.Submit(41, s_stateFunc);
            _channel.Tick();
            return _channel.GetResult(task);
        }
    }
}
