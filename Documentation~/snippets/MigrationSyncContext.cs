using System;
using System.Threading;
using System.Threading.Tasks;
using LoopBridge;
using UnityEngine;

public sealed class MigrationSyncContextBefore : MonoBehaviour
{
    // <snippet:migrate-synccontext-before>
    SynchronizationContext unityContext;

    void Start() => unityContext = SynchronizationContext.Current;   // UnitySynchronizationContext

    // A worker thread.
    int ReadHealth()
    {
        var tcs = new TaskCompletionSource<int>();                      // one allocation per call
        unityContext.Post(_ =>
        {
            try
            {
                tcs.SetResult(health);
            }
            catch (Exception e)
            {
                tcs.SetException(e);
            }
        }, null);
        return tcs.Task.Result;     // after play mode stopped: the post is never run, this blocks forever
    }
    // </snippet>

    readonly int health = 100;

    public int Use() => ReadHealth();
}

public sealed class MigrationSyncContextAfter : MonoBehaviour
{
    // <snippet:migrate-synccontext-after>
    MainLoop loop;

    void Start() => loop = UnityMainLoop.Main;

    // A worker thread.
    int ReadHealth() =>
        loop.Run(this, self => self.health).GetResult(TimeSpan.FromSeconds(5));   // LoopClosedException at close
    // </snippet>

    readonly int health = 100;

    public int Use() => ReadHealth();
}
