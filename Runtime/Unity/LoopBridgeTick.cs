#nullable enable
namespace LoopBridge
{
    /// <summary>
    /// The type of the <c>PlayerLoopSystem</c> that <see cref="UnityMainLoop"/> inserts into Unity's
    /// PlayerLoop to tick the play-mode loop once per frame. It carries no data; it exists so the
    /// system can be recognised (in the Profiler's PlayerLoop view, and by code that rebuilds the
    /// player loop and wants to keep or drop it).
    /// </summary>
    /// <remarks>
    /// A copy left behind by a previous domain (a different <see cref="System.Type"/> instance with
    /// the same full name) is recognised too, and replaced rather than duplicated.
    /// </remarks>
    public struct LoopBridgeTick
    {
    }
}
