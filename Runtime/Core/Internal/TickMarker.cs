#nullable enable
namespace LoopBridge.Internal
{
    /// <summary>
    /// The end of a tick's snapshot: enqueued by the tick when it starts, so the tick drains exactly what was queued
    /// before it began, without asking the queue for its count (<c>ConcurrentQueue.Count</c> retries while producers
    /// keep enqueuing, and can even sleep). A tick that stops early (budget) leaves its marker behind; a later tick
    /// recognises it as stale by its number and skips it.
    /// </summary>
    internal sealed class TickMarker : QueueEntry
    {
        public TickMarker()
        {
            IsMarker = true;
        }

        /// <summary>The number of the tick that enqueued this marker.</summary>
        internal long Tick;

        internal override void Execute(MainLoop loop)
        {
            // Never executed: Tick and the close drain recognise markers by IsMarker.
        }

        internal override void Abort(MainLoop loop, bool onMainThread)
        {
        }
    }
}
