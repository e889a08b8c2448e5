using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge;
using Unity.Collections;
using Unity.Jobs;
using UnityEngine;

public sealed class JobBridgeExample : MonoBehaviour
{
    struct MyJob : IJobParallelFor
    {
        public NativeArray<float> Results;

        public void Execute(int index) => Results[index] = index * 0.5f;
    }

    async UniTask Compute(MainLoop loop, int count, CancellationToken ct)
    {
        // <snippet:unity-async-job>
        var results = new NativeArray<float>(count, Allocator.TempJob);
        try
        {
            JobHandle job = new MyJob { Results = results }.Schedule(count, 64);
            float first = await loop.WhenCompleted(job, results, r => r[0], ct);   // or WhenCompleted(job, () => results[0])
            Apply(first);                                                            // main thread, job completed
        }
        finally
        {
            results.Dispose();   // safe on every path, see "Guarantee" below
        }
        // </snippet>
    }

    void Apply(float value) => GC.KeepAlive(value);
}

public sealed class AwaitableMigrationBefore : MonoBehaviour
{
    // <snippet:unity-async-awaitable-before>
    async Awaitable Compute()
    {
        await Awaitable.BackgroundThreadAsync();
        var r = Heavy();
        await Awaitable.MainThreadAsync();      // after play mode ended: never resumes, no exception
        Apply(r);
    }
    // </snippet>

    static int Heavy() => 42;

    void Apply(int value) => GC.KeepAlive(value);
}

public sealed class AwaitableMigrationAfter : MonoBehaviour
{
    MainLoop loop;

    // <snippet:unity-async-awaitable-after>
    LoopHandle<int> Compute() => loop.RunAsync(this, async ct =>
    {
        var r = await Task.Run(() => Heavy(ct), ct);   // or loop.Offload
        await loop.SwitchTo();                          // LoopClosedException if the loop closed meanwhile
        Apply(r);
        return r;
    });
    // </snippet>

    void Awake() => loop = UnityMainLoop.Main;

    static int Heavy(CancellationToken ct) => ct.IsCancellationRequested ? 0 : 42;

    void Apply(int value) => GC.KeepAlive(value);
}

public sealed class OwnerScopedExample : MonoBehaviour
{
    async UniTask Example()
    {
        var loop = UnityMainLoop.Main;
        using var cts = new CancellationTokenSource();
        // <snippet:unity-async-owner>
        LoopHandle h = loop.RunAsync(this, async ct => await Task.Delay(1000, ct));        // this: a MonoBehaviour
        LoopHandle<int> n = loop.RunAsync(this, async ct => { await loop.NextFrame(); return 42; }, cts.Token);
        // </snippet>
        await h;
        Debug.Log(await n);
    }
}

public sealed class TokenOverloadExample : MonoBehaviour
{
    LoopHandle Start(MainLoop loop)
    {
        // <snippet:unity-token-overloads>
        return loop.RunAsync(async ct =>
        {
            while (true)
            {
                DoAFrameOfWork();               // main thread
                await loop.NextFrame(ct);       // throws OperationCanceledException once ct is cancelled
            }
        }, destroyCancellationToken);
        // </snippet>
    }

    void DoAFrameOfWork() { }
}
