using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge;

public static class LifecycleExamples
{
    public static void Worker(MainLoop loop)
    {
        // <snippet:close-worker>
        // A worker thread that lives as long as the loop.
        while (!loop.Closing.IsCancellationRequested)
        {
            var item = Produce(loop.Closing);
            if (!loop.TryPost(item, i => Consume(i)))   // false once the loop is closing: stop, nothing is queued
            {
                break;
            }
        }
        // </snippet>
    }

    public static LoopHandle Walk(MainLoop loop)
    {
        // <snippet:close-async>
        return loop.RunAsync(async ct =>
        {
            try
            {
                for (var step = 0; step < 10; step++)
                {
                    await loop.NextFrame();     // throws LoopClosedException if the loop closes first
                    Consume(step);
                }
            }
            finally
            {
                Consume(-1);                    // runs on the main thread, in the close's grace period at the latest
            }
        });
        // </snippet>
    }

    public static async UniTask Observe(MainLoop loop)
    {
        // <snippet:close-observe>
        loop.Closed += (closedLoop, reason) => Console.WriteLine($"{closedLoop} closed: {reason}");
        await loop.WhenClosed;                  // after every handle of the loop has completed
        // </snippet>
    }

    static int Produce(CancellationToken token)
    {
        token.WaitHandle.WaitOne(10);
        return 1;
    }

    static void Consume(int item) => GC.KeepAlive(item);
}
