using System;
using System.Collections.Generic;
using LoopBridge;
using LoopBridge.Testing;

public static class DiagnosticsExamples
{
    public static void Tour(MainLoop loop)
    {
        // <snippet:diagnostics-api>
        LoopDiagnostics d = loop.Diagnostics;                 // never null; every member: any thread

        // live values
        long tick = d.CurrentTick;                            // ticks started
        int depth = d.QueueDepth;
        long oldestTicks = d.OldestQueuedAgeTicks;            // ticks the oldest queued entry has waited
        TimeSpan oldest = d.OldestQueuedAge;                  // the same in time (the loop's clock)
        int items = d.ItemsLastTick;
        LoopActivity activity = d.Activity;                   // Ticking, Paused, Stalled, Closed
        LoopCloseRecord lastClose = d.LastClose;              // reason, time, duration, queued/running, handles failed
        LoopStallReport lastReport = d.LastReport;            // and d.ReportCount
        LoopCloseRecord[] closes = LoopDiagnostics.GetRecentCloses();   // the last closes of all loops in the process

        // snapshots
        var snapshot = new LoopDiagnosticsSnapshot();
        d.Read(snapshot);                                     // allocation-free: reuse one snapshot per reader
        long p99 = snapshot.TickLatencyQuantile(0.99);        // submit-to-run latency in ticks
        var pending = new List<LoopPendingWork>();
        d.GetPendingWork(pending);                            // queued + running work with call sites (TrackHandles)

        // reports
        d.StallDetected += report => Console.Error.WriteLine(report);   // raised on the thread pool
        d.TickCompleted += diagnostics => { };                // main thread, after every tick
        bool reported = d.CheckStalls();                      // check now

        // settings
        d.HangThreshold = TimeSpan.FromSeconds(5);            // default 5 s; Zero = off
        d.StallThreshold = TimeSpan.FromSeconds(5);           // default 5 s; Zero = off
        d.CheckInterval = TimeSpan.FromSeconds(1);            // default 1 s (blocked waiters' slice)
        d.WatchdogInterval = TimeSpan.Zero;                   // default Zero (no timer); Unity sets 1 s
        d.DetailedTiming = true;                              // µs latencies; default off
        d.IsHostPaused = false;                               // set by the editor glue while play mode is paused
        // </snippet>
        GC.KeepAlive(new object[] { tick, depth, oldestTicks, oldest, items, activity, lastClose, lastReport, closes, p99, reported });
    }

    public static void InATest(MainLoop loop)
    {
        // <snippet:diagnostics-assert>
        LoopAssert.TickFrames(loop, 10);
        LoopDiagnosticsAssert.NoItemWaitedMoreThan(loop, ticks: 2);   // run entries and the oldest still queued
        LoopDiagnosticsAssert.NoTickOverBudget(loop);
        LoopDiagnosticsAssert.NoStallReported(loop);
        // </snippet>
    }
}
