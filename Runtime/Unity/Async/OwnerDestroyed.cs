#if !UNITY_2022_2_OR_NEWER
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Unity 2021.3 has no <c>MonoBehaviour.destroyCancellationToken</c>: owner-scoped work watches its owner through
    /// the loop's once-per-tick pass instead (Unity's <c>== null</c> is true once an object is destroyed). Polling, not a
    /// hidden component's <c>OnDestroy</c>: that message never comes for an object whose GameObject was never active.
    /// Main thread only (the loop's pass).
    /// </summary>
    internal readonly struct OwnerDestroyed : IMainThreadPollable
    {
        private readonly MonoBehaviour owner;

        internal OwnerDestroyed(MonoBehaviour owner)
        {
            this.owner = owner;
        }

        /// <inheritdoc />
        public bool IsCompleted => owner == null;

        /// <inheritdoc />
        public void Complete()
        {
            // Nothing to finish: the owner is gone (or no longer watched).
        }
    }
}
#endif
