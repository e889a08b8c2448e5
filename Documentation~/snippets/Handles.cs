using System;
using System.Threading;
using System.Threading.Tasks;
using Cysharp.Threading.Tasks;
using LoopBridge;

public static class HandleExamples
{
    public static async UniTask ConsumeOnce(MainLoop loop)
    {
        // <snippet:handle-consume>
        var handle = loop.Run(() => 6 * 7);   // a LoopHandle<int>
        var answer = await handle;          // consumes the handle: its pooled source goes back to the pool
        // await handle;                    // a second consumption throws InvalidOperationException
        // </snippet>
        Use(answer);
    }

    public static async UniTask Preserved(MainLoop loop)
    {
        // <snippet:handle-preserve>
        var config = loop.Run(() => LoadConfig()).Preserve();   // before the first consumption
        var a = await config;               // every consumer gets the same result;
        var b = await config;               // the source simply stays out of the pool
        // </snippet>
        Use(a.Length + b.Length);
    }

    public static void Callback(MainLoop loop)
    {
        // <snippet:handle-callback>
        loop.Run(() => LoadConfig()).OnCompleted(outcome =>
        {
            // Always on the main thread, exactly once: succeeded, faulted, canceled or failed by close.
            if (outcome.IsSucceeded)
            {
                Show(outcome.Result);
            }
            else
            {
                Show($"no config: {outcome}");  // outcome.Exception says why; IsClosed when the loop closed
            }
        });
        // </snippet>
    }

    public static void Blocking(MainLoop loop)
    {
        // <snippet:handle-blocking>
        // On a worker thread (never the loop's main thread, where it throws at once for work that has not run):
        try
        {
            var text = loop.Run(() => LoadConfig()).GetResult(TimeSpan.FromSeconds(5));
            Use(text.Length);
        }
        catch (TimeoutException)
        {
            Show("the main thread did not run it within 5 s");   // the handle stays usable
        }
        catch (LoopClosedException e)
        {
            Use((int)e.Reason);             // the loop closed first: the work never ran, this thread woke at once
        }
        // </snippet>
    }

    public static void Cancellation(MainLoop loop)
    {
        // <snippet:handle-cancel>
        using var cts = new CancellationTokenSource();
        var queued = loop.Run(() => LoadConfig(), cts.Token);
        cts.Cancel();                       // before a tick ran it: it never runs, the handle is Canceled
        var canceled = queued.Cancel();     // the same through the handle; false when nothing is left to cancel

        var download = loop.RunAsync(async ct =>
        {
            await Task.Delay(1000, ct);     // ct: Cancel(), your token, or the loop closing
            return "done";
        });
        download.Cancel();                  // running async work sees its token cancelled
        // </snippet>
        Use(canceled ? 1 : 0);
    }

    static string LoadConfig() => "{}";

    static void Show(string text) => Use(text.Length);

    static void Use(int value) => GC.KeepAlive(value);
}
