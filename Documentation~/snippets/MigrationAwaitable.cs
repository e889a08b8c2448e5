using System;
using Cysharp.Threading.Tasks;
using LoopBridge;
using UnityEngine;
using Awaitable = LoopBridge.Snippets.StandIns.AwaitableUnity2023;

public sealed class MigrationAwaitableBefore : MonoBehaviour
{
    // <snippet:migrate-awaitable-before>
    async void Start()
    {
        await Awaitable.BackgroundThreadAsync();
        var tiles = GenerateTiles();            // off the main thread
        await Awaitable.MainThreadAsync();      // back on the main thread
        Apply(tiles);
    }
    // </snippet>

    static int[] GenerateTiles() => new int[4];

    void Apply(int[] tiles) => GC.KeepAlive(tiles);
}

public sealed class MigrationAwaitableAfter : MonoBehaviour
{
    // <snippet:migrate-awaitable-after>
    async UniTaskVoid Start()
    {
        var loop = UnityMainLoop.Main;
        try
        {
            await UniTask.SwitchToThreadPool();
            var tiles = GenerateTiles();        // off the main thread
            await loop.SwitchTo();              // back on the main thread, or LoopClosedException
            Apply(tiles);
        }
        catch (LoopClosedException e)
        {
            Debug.Log($"tiles discarded: {e.Reason}");
        }
    }
    // </snippet>

    static int[] GenerateTiles() => new int[4];

    void Apply(int[] tiles) => GC.KeepAlive(tiles);
}
