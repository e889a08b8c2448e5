using System;
using LoopBridge;
using LoopBridge.Testing;

public static class TestingKitExample
{
    /// <summary>Run by ReadmeSnippetTests, which checks the numbers the comments state.</summary>
    public static (TickResult First, int Value) TickByHand()
    {
        // <snippet:testing-kit>
        var clock = new ManualClock();
        using var loop = new MainLoop(new MainLoopOptions
        {
            Clock = clock,                                 // time moves only when you say so
            TickBudget = TimeSpan.FromMilliseconds(2),
            TrackHandles = true,                           // pending handles remember their call site
        });

        for (var i = 0; i < 10; i++)
        {
            loop.Post(clock, c => c.Advance(TimeSpan.FromMilliseconds(1)));   // each item "takes" 1 ms
        }

        var first = loop.Tick();                           // ran 2, left 8: the budget is spent

        var handle = loop.Run(() => 42);
        LoopAssert.TickUntil(loop, () => handle.IsCompleted, maxTicks: 10, because: "the answer arrived");
        var value = handle.GetResult();                    // completed: returns at once, even on the main thread
        LoopAssert.NoPendingHandles(loop);                 // fails listing each pending handle and where it was submitted
        // </snippet>
        return (first, value);
    }
}
