#nullable enable
using System;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The queued resumption of an <c>await loop.SwitchTo()</c> / <c>await loop.NextFrame()</c>.
    /// </summary>
    /// <remarks>
    /// It is resumed by a tick (normal), or by the close, in which case the awaiter's <c>GetResult</c> throws
    /// <see cref="LoopClosedException"/>, so the awaiting method's catch/finally blocks run instead of the method
    /// hanging forever. Code that awaited on the main thread (<see cref="FromMainThread"/>) is main-thread code: at
    /// close it resumes only on the main thread within the grace period; otherwise it is reported and dropped, never
    /// resumed on another thread.
    /// </remarks>
    internal sealed class SwitchEntry : QueueEntry
    {
        /// <summary>The awaiting code's continuation (null while pooled).</summary>
        private Action? continuation;

        /// <summary>Whether the await happened on the loop's main thread (a <c>NextFrame</c> of main-thread code).</summary>
        internal bool FromMainThread;

        internal static SwitchEntry Rent(Action continuation, bool fromMainThread)
        {
            var entry = ItemPool<SwitchEntry>.Rent();
            entry.continuation = continuation;
            entry.FromMainThread = fromMainThread;
            return entry;
        }

        internal override void Execute(MainLoop loop) => ResumeAtClose(loop, mayRun: true);

        internal override void Abort(MainLoop loop, bool onMainThread) => ResumeAtClose(loop, mayRun: onMainThread || !FromMainThread);

        /// <summary>Resumes the awaiting code here (<paramref name="mayRun"/>), or reports and drops it.</summary>
        internal void ResumeAtClose(MainLoop loop, bool mayRun)
        {
            var k = continuation!;
            continuation = null;
            ItemPool<SwitchEntry>.Return(this);
            if (!mayRun)
            {
                loop.OnContinuationDropped("the resumption of an await of NextFrame()/SwitchTo() in " + ContinuationNames.Describe(k));
                return;
            }

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
