// <snippet:headless>
using System;
using LoopBridge.Headless;

public static class HeadlessQuickStart
{
    public static void Main()
    {
        using var runner = new HeadlessRunner(new HeadlessRunnerOptions { FrameRate = 60 });
        runner.Start();                          // a dedicated main thread ticks runner.Loop at 60 Hz

        var loop = runner.Loop;
        loop.Post(() => Console.WriteLine("hello from the main thread"));
        var answer = loop.Run(() => 6 * 7).GetResult(TimeSpan.FromSeconds(5)); // blocks this thread only
        Console.WriteLine($"answer {answer}");

        runner.Stop();                           // the main thread closes the loop (EngineShutdown)
        runner.Join(TimeSpan.FromSeconds(5));
    }
}
// </snippet>
