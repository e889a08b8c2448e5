#nullable enable
#if LOOPBRIDGE_PROFILING_CORE
using Unity.Profiling;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Profiler counters of the play-mode loop, shown in Unity's Profiler (category Scripts): queue depth, items per tick,
    /// and the oldest queued entry's age in ticks. Compiled only when the com.unity.profiling.core package is installed
    /// (the LOOPBRIDGE_PROFILING_CORE define, set by LoopBridge.Runtime.asmdef's versionDefines).
    /// </summary>
    /// <remarks>
    /// Set once per tick from <see cref="LoopDiagnostics.TickCompleted"/> on the main thread; a counter value is a struct
    /// over a native slot, so updating allocates nothing. Attached to each play session's loop at
    /// <see cref="RuntimeInitializeLoadType.AfterAssembliesLoaded"/>.
    /// </remarks>
    static class LoopBridgeProfilerCounters
    {
        /// <summary>The counter names, as they appear in the Profiler.</summary>
        internal const string DepthName = "LoopBridge Queue Depth";
        internal const string ItemsName = "LoopBridge Items Per Tick";
        internal const string OldestAgeName = "LoopBridge Oldest Age (ticks)";

        static readonly ProfilerCounterValue<int> s_Depth = new ProfilerCounterValue<int>(ProfilerCategory.Scripts, DepthName, ProfilerMarkerDataUnit.Count);
        static readonly ProfilerCounterValue<int> s_Items = new ProfilerCounterValue<int>(ProfilerCategory.Scripts, ItemsName, ProfilerMarkerDataUnit.Count);
        static readonly ProfilerCounterValue<long> s_OldestAge = new ProfilerCounterValue<long>(ProfilerCategory.Scripts, OldestAgeName, ProfilerMarkerDataUnit.Count);
        static readonly System.Action<LoopDiagnostics> s_Update = Update;

        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.AfterAssembliesLoaded)]
        static void OnAfterAssembliesLoaded()
        {
            if (!UnityMainLoop.TryGetMain(out var loop) || !loop.IsOpen)
                return;
            loop.Diagnostics.TickCompleted -= s_Update;
            loop.Diagnostics.TickCompleted += s_Update;
        }

        static void Update(LoopDiagnostics diagnostics)
        {
            s_Depth.Value = diagnostics.QueueDepth;
            s_Items.Value = diagnostics.ItemsLastTick;
            s_OldestAge.Value = diagnostics.OldestQueuedAgeTicks;
        }
    }
}
#endif
