// Stub of UnityEngine.LowLevel.PlayerLoopSystem (Unity 2021.3 signature). Test scaffolding only.
using System;

namespace UnityEngine.LowLevel
{
    public struct PlayerLoopSystem
    {
        public Type type;
        public PlayerLoopSystem[] subSystemList;
        public UpdateFunction updateDelegate;
        public IntPtr updateFunction;
        public IntPtr loopConditionFunction;

        public delegate void UpdateFunction();

        public override string ToString() => type.Name;
    }
}
