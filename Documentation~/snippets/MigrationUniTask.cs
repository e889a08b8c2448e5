using System;
using Cysharp.Threading.Tasks;
using LoopBridge;
using UniTask = LoopBridge.Snippets.StandIns.UniTaskUnityOnly;

public sealed class MigrationUniTaskBefore
{
    // <snippet:migrate-unitask-before>
    async UniTaskVoid LoadAsync()
    {
        await UniTask.SwitchToThreadPool();
        var mesh = BuildMesh();                 // off the main thread
        await UniTask.SwitchToMainThread();     // after play mode stopped: may never resume
        Apply(mesh);
    }

    void OnWorkerResult(int[] mesh)
    {
        UniTask.Post(() => Apply(mesh));        // an exception here goes to UniTaskScheduler, no handle
    }
    // </snippet>

    public void Use()
    {
        LoadAsync().Forget();
        OnWorkerResult(new int[0]);
    }

    static int[] BuildMesh() => new int[3];

    void Apply(int[] mesh) => GC.KeepAlive(mesh);
}

public sealed class MigrationUniTaskAfter
{
    // <snippet:migrate-unitask-after>
    async UniTaskVoid LoadAsync(MainLoop loop)  // loop = UnityMainLoop.Main, read on the main thread
    {
        try
        {
            var mesh = await loop.Offload(ct => BuildMesh());   // thread pool, then back on the main thread
            Apply(mesh);
        }
        catch (LoopClosedException e)          // play mode stopped meanwhile: the result is discarded
        {
            Discard(e.Reason);
        }
    }

    void OnWorkerResult(MainLoop loop, int[] mesh)
    {
        loop.Post((self: this, mesh), s => s.self.Apply(s.mesh));   // exceptions: loop.UnhandledException
    }
    // </snippet>

    public void Use(MainLoop loop)
    {
        LoadAsync(loop).Forget();
        OnWorkerResult(loop, new int[0]);
    }

    static int[] BuildMesh() => new int[3];

    void Apply(int[] mesh) => GC.KeepAlive(mesh);

    static void Discard(CloseReason reason) => GC.KeepAlive(reason);
}
