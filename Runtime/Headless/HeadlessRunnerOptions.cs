#nullable enable
using System;
using System.Threading;

namespace LoopBridge.Headless
{
    /// <summary>
    /// Settings of a <see cref="HeadlessRunner"/>: its frame rate, the <see cref="MainLoop"/> it creates,
    /// and which process events stop it.
    /// </summary>
    /// <remarks>
    /// A plain settings bag, not thread-safe: fill it in on one thread, then pass it to
    /// <see cref="HeadlessRunner(HeadlessRunnerOptions)"/>, which copies every value, so later changes
    /// to the object have no effect on a runner already created.
    /// </remarks>
    public sealed class HeadlessRunnerOptions
    {
        /// <summary>
        /// The target number of frames per second; 60 by default. Ignored when
        /// <see cref="AsFastAsPossible"/> is <see langword="true"/>.
        /// </summary>
        /// <remarks>
        /// Validated when the runner is created: it must be a finite number greater than zero.
        /// Frames are scheduled on a fixed grid (frame <c>n</c> is due at <c>start + n / FrameRate</c>), so
        /// small delays do not accumulate into drift; a frame late by more than a whole period resets the grid
        /// instead of running a burst of catch-up frames.
        /// </remarks>
        public double FrameRate { get; set; } = 60;

        /// <summary>
        /// When <see langword="true"/>, the runner starts the next frame as soon as the previous one ends,
        /// without pacing (a busy main thread: for tools, tests and benchmarks). <see langword="false"/> by default.
        /// </summary>
        public bool AsFastAsPossible { get; set; }

        /// <summary>
        /// Stops the runner by itself after this many frames; 0 (the default) means no limit.
        /// </summary>
        /// <remarks>Validated when the runner is created: it must not be negative.</remarks>
        public long MaxFrames { get; set; }

        /// <summary>
        /// The options of the <see cref="MainLoop"/> that the runner creates (tick budget, item cap, grace period,
        /// name); <see langword="null"/> (the default) uses the loop's defaults.
        /// </summary>
        public MainLoopOptions? LoopOptions { get; set; }

        /// <summary>
        /// The name of the dedicated main thread that <see cref="HeadlessRunner.Start"/> creates;
        /// "LoopBridge main" by default. <see cref="HeadlessRunner.Run"/> does not rename the calling thread.
        /// </summary>
        public string ThreadName { get; set; } = "LoopBridge main";

        /// <summary>
        /// When <see langword="true"/> (the default), Ctrl+C (<see cref="Console.CancelKeyPress"/>) stops the
        /// runner instead of killing the process, so the loop closes with <see cref="CloseReason.EngineShutdown"/>
        /// and every outstanding handle completes. The handler is added when the runner starts and removed when it stops.
        /// </summary>
        public bool StopOnCancelKeyPress { get; set; } = true;

        /// <summary>
        /// When <see langword="true"/> (the default), process exit (<see cref="AppDomain.ProcessExit"/>) stops the
        /// runner and waits up to <see cref="ShutdownTimeout"/> for its main thread to close the loop. The handler is
        /// added when the runner starts and removed when it stops.
        /// </summary>
        public bool StopOnProcessExit { get; set; } = true;

        /// <summary>
        /// How long process exit and <see cref="HeadlessRunner.Dispose"/> wait for the main thread to finish its
        /// frame and close the loop; 5 seconds by default. <see cref="Timeout.InfiniteTimeSpan"/> waits without limit.
        /// </summary>
        /// <remarks>Validated when the runner is created: it must be zero or more, or infinite.</remarks>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
    }
}
