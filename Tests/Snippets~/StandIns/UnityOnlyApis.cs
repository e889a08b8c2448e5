// Stand-ins for Unity-only APIs that the migration guide's "before" examples call and that the headless
// build cannot compile: UniTask's PlayerLoop members (its Unity-only files are excluded headlessly) and
// Unity 2023.1's Awaitable (not in the Unity 2021.3 stub). Same names and call shapes as the real ones
// (UniTask 2.5.10 Runtime/UniTask.Threading.cs; UnityEngine.Awaitable), so the examples compile as printed;
// they are never run. A snippet file selects them with a using alias above its region.
using System;
using System.Threading;

namespace LoopBridge.Snippets.StandIns
{
    /// <summary>UniTask's static members used by the examples: the real ones where they compile headlessly.</summary>
    public static class UniTaskUnityOnly
    {
        public static Cysharp.Threading.Tasks.SwitchToThreadPoolAwaitable SwitchToThreadPool() => Cysharp.Threading.Tasks.UniTask.SwitchToThreadPool();

        public static Cysharp.Threading.Tasks.UniTask SwitchToMainThread(CancellationToken cancellationToken = default) => throw CompileOnly();

        public static void Post(Action action) => throw CompileOnly();

        private static Exception CompileOnly() => new NotSupportedException("a compile-only stand-in for a Unity-only API");
    }

    /// <summary>Unity 2023.1's UnityEngine.Awaitable thread switches.</summary>
    public static class AwaitableUnity2023
    {
        public static Cysharp.Threading.Tasks.UniTask MainThreadAsync() => throw new NotSupportedException("a compile-only stand-in for a Unity-only API");

        public static Cysharp.Threading.Tasks.UniTask BackgroundThreadAsync() => throw new NotSupportedException("a compile-only stand-in for a Unity-only API");
    }
}
