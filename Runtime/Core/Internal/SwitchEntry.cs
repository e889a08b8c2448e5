#nullable enable
using System;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The queued resumption of an <c>await loop.SwitchTo()</c> / <c>await loop.NextFrame()</c>.
    /// </summary>
    /// <remarks>
    /// It is resumed in both cases: by a tick (normal), or by close, in which case the awaiter's <c>GetResult</c>
    /// throws <see cref="LoopClosedException"/>, so the awaiting method's catch/finally blocks run instead of the
    /// method hanging forever.
    /// </remarks>
    internal sealed class SwitchEntry : QueueEntry
    {
        private Action? continuation;

        internal static SwitchEntry Rent(Action continuation)
        {
            var entry = ItemPool<SwitchEntry>.Rent();
            entry.continuation = continuation;
            return entry;
        }

        internal override void Execute(MainLoop loop) => Resume(loop);

        internal override void Abort(MainLoop loop, bool onMainThread) => Resume(loop);

        private void Resume(MainLoop loop)
        {
            var k = continuation!;
            continuation = null;
            ItemPool<SwitchEntry>.Return(this);
            try
            {
                k();
            }
            catch (Exception ex)
            {
                loop.ReportUnhandled(ex);
            }
        }
    }
}
