#nullable enable
namespace LoopBridge
{
    /// <summary>The life stage of a <see cref="MainLoop"/>. It only ever moves forward: Open, Closing, Closed.</summary>
    public enum LoopState
    {
        /// <summary>The loop accepts submissions and runs them when it is ticked.</summary>
        Open = 0,

        /// <summary>
        /// <see cref="MainLoop.Close"/> has begun: new submissions fail at once, queued work is failed, and started
        /// async work gets the grace period to observe <see cref="MainLoop.Closing"/>.
        /// </summary>
        Closing = 1,

        /// <summary>Every handle the loop ever issued has completed; the loop runs nothing more.</summary>
        Closed = 2,
    }
}
