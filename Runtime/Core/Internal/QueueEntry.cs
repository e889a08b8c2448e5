#nullable enable
namespace LoopBridge.Internal
{
    /// <summary>
    /// One entry of a loop's submission queue: a work item (with a handle), a continuation of already-started async
    /// code, or a completion callback being delivered to the main thread.
    /// </summary>
    /// <remarks>
    /// Every entry that is enqueued is later taken out exactly once, by a tick (<see cref="Execute"/>) or by the close
    /// drain (<see cref="Abort"/>); <c>ConcurrentQueue</c> guarantees the "exactly once" part.
    /// </remarks>
    internal abstract class QueueEntry
    {
        /// <summary>True only for <see cref="TickMarker"/> (a field, so the tick's check costs one read).</summary>
        internal bool IsMarker;

        /// <summary>The loop's tick count when the entry was queued (LoopDiagnostics.OnEnqueue): how many ticks it waited.</summary>
        internal long SubmitTick;

        /// <summary>The loop's clock when the entry was queued, with LoopDiagnostics.DetailedTiming; otherwise LoopDiagnostics.NotTimed.</summary>
        internal long SubmitTime;

        /// <summary>Runs the entry on the main thread, during a tick of an open loop. Never throws.</summary>
        internal abstract void Execute(MainLoop loop);

        /// <summary>
        /// The loop is closing and the entry will never be executed by a tick: fail it (work items), resume it with
        /// <see cref="LoopClosedException"/> (SwitchTo), or deliver it anyway (callbacks). Never throws.
        /// </summary>
        /// <param name="loop">The closing loop.</param>
        /// <param name="onMainThread">Whether the calling thread is the loop's main thread.</param>
        internal abstract void Abort(MainLoop loop, bool onMainThread);
    }
}
