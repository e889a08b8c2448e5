// Stub of Unity.Profiling.ProfilerMarker (Unity 2021.3 signatures, only the members LoopBridge
// uses). Samples are counted per marker in UnityStubs.Engine; Auto() allocates nothing, as in Unity.
using System;
using System.Diagnostics;

namespace Unity.Profiling
{
    public struct ProfilerMarker
    {
        internal readonly IntPtr m_Ptr;

        public IntPtr Handle => m_Ptr;

        public ProfilerMarker(string name)
        {
            m_Ptr = UnityStubs.Engine.CreateMarker(name);
        }

        [Conditional("ENABLE_PROFILER")]
        public void Begin() => UnityStubs.Engine.BeginSample(m_Ptr);

        [Conditional("ENABLE_PROFILER")]
        public void End() => UnityStubs.Engine.EndSample(m_Ptr);

        public struct AutoScope : IDisposable
        {
            internal readonly IntPtr m_Ptr;

            internal AutoScope(IntPtr markerPtr)
            {
                m_Ptr = markerPtr;
                if (m_Ptr != IntPtr.Zero)
                    UnityStubs.Engine.BeginSample(markerPtr);
            }

            public void Dispose()
            {
                if (m_Ptr != IntPtr.Zero)
                    UnityStubs.Engine.EndSample(m_Ptr);
            }
        }

        public AutoScope Auto() => new AutoScope(m_Ptr);
    }
}
