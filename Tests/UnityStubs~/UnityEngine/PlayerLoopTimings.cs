// Stub of the UnityEngine.PlayerLoop timing types (Unity 2021.3), with a few of their nested
// systems so the default loop has a realistic shape. Test scaffolding only.
namespace UnityEngine.PlayerLoop
{
    public struct TimeUpdate
    {
        public struct WaitForLastPresentationAndUpdateTime {}
    }

    public struct Initialization
    {
        public struct AsyncUploadTimeSlicedUpdate {}
        public struct SynchronizeState {}
        public struct SynchronizeInputs {}
    }

    public struct EarlyUpdate
    {
        public struct PollPlayerConnection {}
        public struct UpdatePreloading {}
        public struct UpdateInputManager {}
    }

    public struct FixedUpdate
    {
        public struct ScriptRunBehaviourFixedUpdate {}
        public struct PhysicsFixedUpdate {}
    }

    public struct PreUpdate
    {
        public struct PhysicsUpdate {}
        public struct SendMouseEvents {}
    }

    public struct Update
    {
        public struct ScriptRunBehaviourUpdate {}
        public struct DirectorUpdate {}
        public struct ScriptRunDelayedDynamicFrameRate {}
        public struct ScriptRunDelayedTasks {}
    }

    public struct PreLateUpdate
    {
        public struct DirectorUpdateAnimationBegin {}
        public struct ScriptRunBehaviourLateUpdate {}
    }

    public struct PostLateUpdate
    {
        public struct UpdateAllRenderers {}
        public struct FinishFrameRendering {}
        public struct TriggerEndOfFrameCallbacks {}
    }
}
