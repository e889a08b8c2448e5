// Stub of UnityEngine.LowLevel.PlayerLoop (Unity 2021.3 signatures). Like the engine, every call
// hands out or stores a deep copy, and is main-thread only. Test hooks: UnityStubs.Engine.
namespace UnityEngine.LowLevel
{
    public class PlayerLoop
    {
        public static PlayerLoopSystem GetDefaultPlayerLoop()
        {
            UnityStubs.Engine.RequireMainThread(nameof(GetDefaultPlayerLoop));
            return UnityStubs.Engine.DefaultPlayerLoop;
        }

        public static PlayerLoopSystem GetCurrentPlayerLoop()
        {
            UnityStubs.Engine.RequireMainThread(nameof(GetCurrentPlayerLoop));
            return UnityStubs.Engine.CurrentPlayerLoop;
        }

        public static void SetPlayerLoop(PlayerLoopSystem loop)
        {
            UnityStubs.Engine.RequireMainThread(nameof(SetPlayerLoop));
            UnityStubs.Engine.StorePlayerLoop(loop);
        }
    }
}
