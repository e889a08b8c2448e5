// Stubs of UnityEngine.Application and UnityEngine.Time (Unity 2021.3 signatures, only the members
// LoopBridge uses). Events keep their handlers where UnityStubs.Engine can count and raise them.
using System;

namespace UnityEngine
{
    public partial class Application
    {
        public static event Action quitting
        {
            add => UnityStubs.Engine.s_Quitting += value;
            remove => UnityStubs.Engine.s_Quitting -= value;
        }

        public static bool isPlaying => UnityStubs.Engine.IsPlaying;

        public static bool isEditor => UnityStubs.Engine.IsEditor;

        public static string dataPath => UnityStubs.Engine.DataPath;
    }

    public class Time
    {
        public static int frameCount => UnityStubs.Engine.FrameCount;
    }
}
