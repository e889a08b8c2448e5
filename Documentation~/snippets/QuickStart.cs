// <snippet:quickstart>
using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge;
using UnityEngine;

public sealed class QuickStart : MonoBehaviour
{
    void Start()
    {
        var loop = UnityMainLoop.Main;        // this play session's loop (read it on the main thread)
        new Thread(() => Work(loop)) { IsBackground = true }.Start();
        SumAsync(loop).Forget();
    }

    // A worker thread: it reaches Unity's API only through the loop.
    static void Work(MainLoop loop)
    {
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var value = Fibonacci(20 + i);  // the slow part, off the main thread
                // Fire-and-forget: runs on the main thread at the next tick; no handle, no allocation.
                loop.Post(value, v => Debug.Log($"result {v} at frame {Time.frameCount}"));
            }

            // A value from the main thread: only this worker blocks, until a tick has run it.
            var frame = loop.Run(() => Time.frameCount).GetResult(TimeSpan.FromSeconds(5));
            Debug.Log($"worker done at frame {frame}");   // Debug.Log is safe on any thread
        }
        catch (LoopClosedException e)          // play mode ended or the app quits:
        {                                      // the worker wakes at once instead of hanging
            Debug.Log($"worker stopped: {e.Reason}");
        }
    }

    // The main thread: offload a computation to the thread pool and come back.
    static async UniTaskVoid SumAsync(MainLoop loop)
    {
        try
        {
            var sum = await loop.Offload(ct => Fibonacci(30));     // runs on the thread pool
            Debug.Log($"fib(30) = {sum} at frame {Time.frameCount}"); // back on the main thread
        }
        catch (LoopClosedException e)          // the loop closed before the result came back
        {
            Debug.Log($"offload dropped: {e.Reason}");
        }
    }

    static int Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);
}
// </snippet>
