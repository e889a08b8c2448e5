#nullable enable
namespace LoopBridge
{
    /// <summary>
    /// One piece of work with a pending handle (see <see cref="LoopDiagnostics.GetPendingWork"/>): what it is, whether it
    /// runs, how long it has waited and where it was submitted. Immutable.
    /// </summary>
    public readonly struct LoopPendingWork
    {
        internal LoopPendingWork(string work, bool isRunning, long ticksSinceSubmission, string? callSite)
        {
            Work = work;
            IsRunning = isRunning;
            TicksSinceSubmission = ticksSinceSubmission;
            CallSite = callSite;
            LoopCallSite.TryParse(callSite, out var file, out var line);
            File = file;
            Line = line;
        }

        /// <summary>The work's delegate, as <c>Type.Method</c> (with " (async)" for async work).</summary>
        public string Work { get; }

        /// <summary>True for async work that has started; false for work still queued.</summary>
        public bool IsRunning { get; }

        /// <summary>Ticks the loop has started since the work was queued.</summary>
        public long TicksSinceSubmission { get; }

        /// <summary>The submitting stack trace (<see cref="MainLoopOptions.TrackHandles"/>), or null.</summary>
        public string? CallSite { get; }

        /// <summary>The source file of the first frame of <see cref="CallSite"/> outside LoopBridge, or null (no symbols).</summary>
        public string? File { get; }

        /// <summary>The line in <see cref="File"/>, or 0.</summary>
        public int Line { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{(IsRunning ? "running" : "queued")} {Work}, {TicksSinceSubmission} tick(s){(File == null ? "" : $" at {File}:{Line}")}";
    }
}
