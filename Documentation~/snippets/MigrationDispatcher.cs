using System;
using System.Collections.Generic;
using LoopBridge;
using UnityEngine;

// <snippet:migrate-dispatcher-before>
public sealed class MainThreadDispatcher : MonoBehaviour
{
    static readonly Queue<Action> Pending = new Queue<Action>();

    public static void Enqueue(Action action)   // any thread
    {
        lock (Pending)
        {
            Pending.Enqueue(action);
        }
    }

    void Update()
    {
        lock (Pending)                            // workers block for the whole drain
        {
            while (Pending.Count > 0)
            {
                Pending.Dequeue().Invoke();       // one exception aborts the drain; work enqueued now runs this frame
            }
        }
    }

    void OnDestroy()
    {
        lock (Pending)
        {
            Pending.Clear();                      // dropped: whoever waits on that work waits forever
        }
    }
}
// </snippet>

public sealed class MigrationDispatcherAfter : MonoBehaviour
{
    // <snippet:migrate-dispatcher-after>
    // No dispatcher object: the loop is installed in the PlayerLoop for every play session.
    void StartWorker()
    {
        var loop = UnityMainLoop.Main;          // on the main thread
        new System.Threading.Thread(() =>
        {
            var result = Compute();
            loop.TryPost((self: this, result), s => s.self.Apply(s.result));   // false once the loop closed
        }).Start();
    }
    // </snippet>

    public void Use() => StartWorker();

    static int Compute() => 42;

    void Apply(int result) => GC.KeepAlive(result);
}
