using System;
using System.Collections.Generic;

namespace UnityStubs
{
    /// <summary>Test hooks of the Awaitable stub (compiled with UNITY_2023_1_OR_NEWER only; inert otherwise).</summary>
    public static class Awaitables
    {
        static readonly object s_Gate = new object();
        static readonly List<Action> s_MainThread = new List<Action>();
#if UNITY_2023_1_OR_NEWER
        static readonly List<UnityEngine.Awaitable> s_NextFrame = new List<UnityEngine.Awaitable>();

        internal static void AddNextFrame(UnityEngine.Awaitable awaitable) { lock (s_Gate) s_NextFrame.Add(awaitable); }
#endif

        internal static void PostToMainThread(Action continuation) { lock (s_Gate) s_MainThread.Add(continuation); }

        /// <summary>Runs the continuations posted by Awaitable.MainThreadAsync (on the calling thread, the main thread).</summary>
        public static int RunMainThread()
        {
            Action[] all;
            lock (s_Gate) { all = s_MainThread.ToArray(); s_MainThread.Clear(); }
            foreach (var k in all)
                k();
            return all.Length;
        }

        /// <summary>Completes the awaitables of Awaitable.NextFrameAsync (as the next frame does).</summary>
        public static int NextFrame()
        {
#if UNITY_2023_1_OR_NEWER
            UnityEngine.Awaitable[] all;
            lock (s_Gate) { all = s_NextFrame.ToArray(); s_NextFrame.Clear(); }
            foreach (var a in all)
                a.TryComplete(null);
            return all.Length;
#else
            return 0;
#endif
        }
    }
}
