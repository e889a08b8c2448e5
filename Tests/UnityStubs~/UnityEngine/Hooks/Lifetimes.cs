using System.Threading;

namespace UnityStubs
{
    /// <summary>Test hooks for the lifetime tokens of the stub (Unity 2022.2+ members only exist with UNITY_2022_2_OR_NEWER).</summary>
    public static class Lifetimes
    {
        /// <summary>Whether the stub was compiled with the Unity 2022.2+ members (destroyCancellationToken, exitCancellationToken).</summary>
        public static bool HasLifetimeTokens =>
#if UNITY_2022_2_OR_NEWER
            true;
#else
            false;
#endif

        /// <summary>Cancels Application.exitCancellationToken (as leaving play mode does) and arms a fresh one for the next session.</summary>
        public static void RaiseExit()
        {
#if UNITY_2022_2_OR_NEWER
            var old = UnityEngine.Application.s_ExitSource;
            UnityEngine.Application.s_ExitSource = new CancellationTokenSource();
            old.Cancel();
#endif
        }
    }
}
