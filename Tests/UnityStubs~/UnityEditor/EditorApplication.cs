// Stub of UnityEditor.EditorApplication, PlayModeStateChange and PauseState (Unity 2021.3
// signatures, only the members LoopBridge uses). Note that `update` is a public static delegate
// field in Unity, not an event. Test hooks: UnityStubs.EditorEngine.
using System;

namespace UnityEditor
{
    public enum PlayModeStateChange
    {
        EnteredEditMode,
        ExitingEditMode,
        EnteredPlayMode,
        ExitingPlayMode,
    }

    public enum PauseState
    {
        Paused,
        Unpaused,
    }

    public sealed partial class EditorApplication
    {
        public delegate void CallbackFunction();

        public static CallbackFunction update;

        public static event Action quitting
        {
            add => UnityStubs.EditorEngine.s_Quitting += value;
            remove => UnityStubs.EditorEngine.s_Quitting -= value;
        }

        public static event Action<PauseState> pauseStateChanged
        {
            add => UnityStubs.EditorEngine.s_PauseStateChanged += value;
            remove => UnityStubs.EditorEngine.s_PauseStateChanged -= value;
        }

        public static event Action<PlayModeStateChange> playModeStateChanged
        {
            add => UnityStubs.EditorEngine.s_PlayModeStateChanged += value;
            remove => UnityStubs.EditorEngine.s_PlayModeStateChanged -= value;
        }

        public static bool isPlaying
        {
            get => UnityStubs.Engine.IsPlaying;
            set => UnityStubs.EditorEngine.RequestPlayMode(value);
        }

        public static bool isPaused
        {
            get => UnityStubs.EditorEngine.IsPaused;
            set => UnityStubs.EditorEngine.SetPaused(value);
        }
    }
}
