using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge;

public static class MigrationAsyncio
{
    public static void FromAWorker(MainLoop loop)
    {
        // <snippet:migrate-asyncio-worker>
        // A worker thread.
        // asyncio.run_coroutine_threadsafe(fetch(url), loop).result(timeout=5)
        var page = loop.RunAsync(ct => FetchAsync("https://example.com", ct))
                       .GetResult(TimeSpan.FromSeconds(5));

        // loop.call_soon_threadsafe(render, page)
        loop.Post(page, p => Render(p));
        // </snippet>
    }

    public static async UniTask OnTheLoop(MainLoop loop, string page)
    {
        // <snippet:migrate-asyncio-main>
        // The main thread.
        // words = await loop.run_in_executor(None, parse, page)
        var words = await loop.Offload(ct => Parse(page));
        Render($"{words} words");
        // </snippet>
    }

    static async UniTask<string> FetchAsync(string url, CancellationToken ct)
    {
        await UniTask.SwitchToThreadPool();
        ct.ThrowIfCancellationRequested();
        return url;
    }

    static void Render(string page) => GC.KeepAlive(page);

    static int Parse(string page) => page.Split(' ').Length;
}
