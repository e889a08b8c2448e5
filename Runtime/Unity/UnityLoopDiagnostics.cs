#nullable enable
using System;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Unity's side of <see cref="LoopDiagnostics"/>: stall and hang reports of the play-mode loop go to
    /// <c>Debug.LogWarning</c>, and a low-frequency watchdog timer checks it, so a blocked main thread is reported even when
    /// no worker waits on it. (The editor loop and the pause state are handled by LoopBridge.Editor.)
    /// </summary>
    /// <remarks>
    /// Attached at <see cref="RuntimeInitializeLoadType.AfterAssembliesLoaded"/>, which Unity runs after
    /// <see cref="RuntimeInitializeLoadType.SubsystemRegistration"/> has created the play session's loop, so every play
    /// session's new loop is attached once (the old loop, closed, keeps nothing of it). Main thread.
    /// </remarks>
    public static class UnityLoopDiagnostics
    {
        /// <summary>The interval of the play-mode loop's watchdog (<see cref="LoopDiagnostics.WatchdogInterval"/>): 1 s.</summary>
        public static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(1);

        static readonly Action<LoopStallReport> s_LogWarning = LogWarning;

        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.AfterAssembliesLoaded)]
        static void OnAfterAssembliesLoaded()
        {
            if (UnityMainLoop.TryGetMain(out var loop) && loop.IsOpen)
                Attach(loop);
        }

        /// <summary>
        /// Sends <paramref name="loop"/>'s stall and hang reports to <c>Debug.LogWarning</c> (once, however often it is
        /// called) and starts its watchdog. The play-mode loop is attached automatically; call it for loops of your own.
        /// Any thread.
        /// </summary>
        /// <param name="loop">The loop.</param>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        public static void Attach(MainLoop loop)
        {
            if (loop == null)
                throw new ArgumentNullException(nameof(loop));
            var diagnostics = loop.Diagnostics;
            diagnostics.StallDetected -= s_LogWarning;
            diagnostics.StallDetected += s_LogWarning;
            if (diagnostics.WatchdogInterval == TimeSpan.Zero)
                diagnostics.WatchdogInterval = WatchdogInterval;
        }

        static void LogWarning(LoopStallReport report) => Debug.LogWarning(report.Message);
    }
}
