#nullable enable
using System;

namespace LoopBridge.Internal
{
    /// <summary>Work that runs to completion inside one tick: its return value or exception completes the handle.</summary>
    internal abstract class SyncWorkItem<T> : LoopWorkItem<T>
    {
        /// <summary>Invokes the user's delegate (on the main thread, during a tick).</summary>
        protected abstract T Invoke();

        /// <inheritdoc />
        protected sealed override void RunWork()
        {
            T value;
            try
            {
                value = Invoke();
            }
            catch (Exception ex)
            {
                TrySetException(Running, ex);
                ReleaseWorkSide();
                return;
            }

            SetResultOfRunningSyncWork(value);
            ReleaseWorkSide();
        }
    }
}
