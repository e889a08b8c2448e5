#nullable enable
namespace LoopBridge
{
    /// <summary>Why a <see cref="MainLoop"/> was closed. Carried by <see cref="LoopClosedException.Reason"/>.</summary>
    public enum CloseReason
    {
        /// <summary><see cref="MainLoop.Dispose"/> was called (or <see cref="MainLoop.Close"/> with this reason).</summary>
        Disposed = 0,

        /// <summary>The engine or host is shutting down (Unity's <c>Application.quitting</c>, a headless runner stopping).</summary>
        EngineShutdown = 1,

        /// <summary>The Unity editor is leaving play mode.</summary>
        ExitingPlayMode = 2,

        /// <summary>The Unity editor is about to reload the scripting domain.</summary>
        DomainReload = 3,
    }
}
