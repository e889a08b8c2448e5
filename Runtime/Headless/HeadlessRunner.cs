#nullable enable
using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace LoopBridge.Headless
{
    /// <summary>
    /// The driver of a <see cref="MainLoop"/> outside an engine (servers, tools, tests): a main thread that ticks the
    /// loop once per frame, at a fixed frame rate or as fast as possible, and closes it with
    /// <see cref="CloseReason.EngineShutdown"/> when stopped.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Threads: the runner creates its <see cref="Loop"/>; <see cref="Start"/> runs the frames on a new dedicated
    /// (background) thread, <see cref="Run"/> on the calling thread, and that thread becomes the loop's main thread.
    /// Every other member may be called from any thread.
    /// </para>
    /// <para>
    /// Life: a runner runs once. <see cref="Stop"/> (from any thread), Ctrl+C, process exit,
    /// <see cref="HeadlessRunnerOptions.MaxFrames"/>, a loop closed by someone else, or an exception from
    /// <see cref="FrameStarted"/> ends the frames; the main thread then closes the loop itself, so async work still
    /// running gets the loop's grace period to run its <c>finally</c> blocks, and every outstanding handle completes.
    /// Only then do <see cref="Completion"/> and <see cref="Join"/> report the runner finished.
    /// </para>
    /// <para>
    /// Each frame: <see cref="FrameStarted"/> is raised, then <see cref="MainLoop.Tick"/> drains the loop's queue
    /// within its budget (<see cref="MainLoopOptions.TickBudget"/>). A paced frame sleeps for most of the time left
    /// and yields only through its last millisecond.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// using var runner = new HeadlessRunner(new HeadlessRunnerOptions { FrameRate = 30 });
    /// runner.Start();
    /// int answer = runner.Loop.Run(() => 6 * 7).GetResult(TimeSpan.FromSeconds(1)); // ran on the runner's thread
    /// runner.Stop();
    /// runner.Join(TimeSpan.FromSeconds(5));
    /// </code>
    /// </example>
    public sealed class HeadlessRunner : IDisposable
    {
        const int NotStarted = 0;
        const int Running = 1;
        const int Finished = 2;

        readonly double? targetFrameRate;
        readonly long maxFrames;
        readonly string threadName;
        readonly bool stopOnCancelKeyPress;
        readonly bool stopOnProcessExit;
        readonly TimeSpan shutdownTimeout;

        /// <remarks>Set by <see cref="Stop"/> and never reset: it cuts short the frame's sleep and ends the frames.</remarks>
        readonly ManualResetEventSlim stopRequested = new ManualResetEventSlim(false);

        /// <remarks>
        /// Set once the loop is closed and <see cref="completion"/> is complete: what <see cref="Join"/>,
        /// <see cref="IsFinished"/> and the process-exit handler read. Set last, so whoever sees it set also sees
        /// the closed loop and the completed <see cref="Completion"/> (see <see cref="Finish"/>).
        /// </remarks>
        readonly ManualResetEventSlim finished = new ManualResetEventSlim(false);

        /// <summary>Set by the started main thread once the loop is bound to it (or it failed): Start returns after it.</summary>
        readonly ManualResetEventSlim bound = new ManualResetEventSlim(false);

        readonly TaskCompletionSource<bool> completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly EventHandler processExitHandler;
        readonly ConsoleCancelEventHandler cancelKeyPressHandler;

        /// <remarks>NotStarted → Running → Finished, or NotStarted → Finished by a <see cref="Stop"/> before any start;
        /// the compare-exchange from NotStarted decides a race between <see cref="Start"/> and <see cref="Stop"/>.</remarks>
        int state;

        Thread? mainThread;
        ExceptionDispatchInfo? failure;
        long frameCount;
        long lastFrameTimeTicks;
        long lastFrameWorkTicks;
        long framesPerSecondBits;
        EventHandler? registeredProcessExitHandler;
        ConsoleCancelEventHandler? registeredCancelKeyPressHandler;

        /// <summary>
        /// Creates a runner and its <see cref="Loop"/> (bound to the creating thread until the runner starts, then
        /// rebound to the runner's main thread). Any thread.
        /// </summary>
        /// <param name="options">The settings, copied here; <see langword="null"/> runs at 60 Hz with the loop's defaults.</param>
        /// <exception cref="ArgumentOutOfRangeException">
        /// <see cref="HeadlessRunnerOptions.FrameRate"/> is not a finite positive number (and the runner is paced),
        /// <see cref="HeadlessRunnerOptions.MaxFrames"/> is negative, or <see cref="HeadlessRunnerOptions.ShutdownTimeout"/>
        /// is negative and not infinite.
        /// </exception>
        /// <exception cref="ArgumentNullException"><see cref="HeadlessRunnerOptions.ThreadName"/> is <see langword="null"/>.</exception>
        public HeadlessRunner(HeadlessRunnerOptions? options = null)
        {
            options ??= new HeadlessRunnerOptions();
            if (!options.AsFastAsPossible && !(options.FrameRate > 0 && !double.IsInfinity(options.FrameRate)))
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.FrameRate, "FrameRate must be a finite number greater than zero (or set AsFastAsPossible).");
            }

            if (options.MaxFrames < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxFrames, "MaxFrames must not be negative (0 means no limit).");
            }

            if (options.ShutdownTimeout < TimeSpan.Zero && options.ShutdownTimeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.ShutdownTimeout, "ShutdownTimeout must be zero or more, or Timeout.InfiniteTimeSpan.");
            }

            targetFrameRate = options.AsFastAsPossible ? (double?)null : options.FrameRate;
            maxFrames = options.MaxFrames;
            threadName = options.ThreadName ?? throw new ArgumentNullException(nameof(options), "ThreadName must not be null.");
            stopOnCancelKeyPress = options.StopOnCancelKeyPress;
            stopOnProcessExit = options.StopOnProcessExit;
            shutdownTimeout = options.ShutdownTimeout;
            processExitHandler = OnProcessExit;
            cancelKeyPressHandler = OnCancelKeyPress;
            Loop = new MainLoop(options.LoopOptions);
        }

        /// <summary>
        /// Raised on the main thread at the start of every frame, before the loop's <see cref="MainLoop.Tick"/>:
        /// the place for a host's own per-frame logic. Subscribe before starting (or from the main thread).
        /// </summary>
        /// <remarks>
        /// An exception thrown by a handler is a bug in the host, not in submitted work: it stops the runner, the
        /// loop closes with <see cref="CloseReason.EngineShutdown"/>, <see cref="Completion"/> faults with that
        /// exception and <see cref="Run"/> rethrows it.
        /// </remarks>
        public event Action<HeadlessRunner>? FrameStarted;

        /// <summary>The loop this runner ticks and closes. Submit to it from any thread.</summary>
        public MainLoop Loop { get; }

        /// <summary>The target frame rate, or <see langword="null"/> when the runner runs as fast as possible. Any thread.</summary>
        public double? TargetFrameRate => targetFrameRate;

        /// <summary><see langword="true"/> once the runner has stopped and closed its loop. Any thread.</summary>
        public bool IsFinished => finished.IsSet;

        /// <summary>The number of frames started so far. Any thread.</summary>
        public long FrameCount => Interlocked.Read(ref frameCount);

        /// <summary>The time between the starts of the last two frames (zero before the second frame). Any thread.</summary>
        public TimeSpan LastFrameTime => TimeSpan.FromTicks(Interlocked.Read(ref lastFrameTimeTicks));

        /// <summary>
        /// The time the last frame spent working: <see cref="FrameStarted"/> handlers plus the loop's tick
        /// (zero before the first frame ends). Any thread.
        /// </summary>
        public TimeSpan LastFrameWorkTime => TimeSpan.FromTicks(Interlocked.Read(ref lastFrameWorkTicks));

        /// <summary>
        /// Frames per second measured over the last half second or so (zero until the first measurement). Any thread.
        /// </summary>
        public double FramesPerSecond => BitConverter.Int64BitsToDouble(Interlocked.Read(ref framesPerSecondBits));

        /// <summary>
        /// Completes when the runner has stopped and its loop is closed; faults with the exception that stopped it if a
        /// <see cref="FrameStarted"/> handler (or the loop's tick) threw. Await it from any thread; UniTask users can
        /// call <c>Completion.AsUniTask()</c>. Its continuations never run on the main thread inline.
        /// </summary>
        public Task Completion => completion.Task;

        /// <summary>The process-exit handler while it is registered, else <see langword="null"/>: a test hook.</summary>
        internal EventHandler? RegisteredProcessExitHandler => Volatile.Read(ref registeredProcessExitHandler);

        /// <summary>The Ctrl+C handler while it is registered, else <see langword="null"/>: a test hook.</summary>
        internal ConsoleCancelEventHandler? RegisteredCancelKeyPressHandler => Volatile.Read(ref registeredCancelKeyPressHandler);

        /// <summary>
        /// Starts the frames on a new dedicated background thread, which becomes the loop's main thread, and returns as
        /// soon as the loop is bound to it (so a blocking <c>GetResult</c> on the calling thread right after is allowed).
        /// Any thread; at most once per runner.
        /// </summary>
        /// <exception cref="InvalidOperationException">The runner was already started, run or stopped.</exception>
        /// <exception cref="PlatformNotSupportedException">The platform has no threads (<see cref="LoopPlatform.SupportsThreads"/> is false, as in Unity's WebGL player).</exception>
        public void Start()
        {
            if (!LoopPlatform.SupportsThreads)
            {
                throw new PlatformNotSupportedException("HeadlessRunner.Start needs a thread of its own, and this platform has none (LoopPlatform.SupportsThreads is false). In Unity, use UnityMainLoop.Main, which the PlayerLoop ticks.");
            }

            BeginRunning();
            var thread = new Thread(RunFramesAndClose) { IsBackground = true, Name = threadName };
            Volatile.Write(ref mainThread, thread);
            thread.Start();

            // Until the new thread binds the loop, the loop's main thread is still the one that created it (often this
            // one): a GetResult right after Start would be refused as "on the main thread". So return once it is bound.
            bound.Wait();
        }

        /// <summary>
        /// Runs the frames on the calling thread, which becomes the loop's main thread, and returns once the runner has
        /// stopped and the loop is closed. At most once per runner; call <see cref="Stop"/> from another thread, from a
        /// <see cref="FrameStarted"/> handler or from submitted work to end it.
        /// </summary>
        /// <exception cref="InvalidOperationException">The runner was already started, run or stopped.</exception>
        /// <exception cref="Exception">Whatever a <see cref="FrameStarted"/> handler threw, rethrown after the loop was closed.</exception>
        public void Run()
        {
            BeginRunning();
            Volatile.Write(ref mainThread, Thread.CurrentThread);
            RunFramesAndClose();
            failure?.Throw();
        }

        /// <summary>
        /// Asks the runner to stop; returns at once. Any thread, any number of times. The main thread finishes its
        /// current frame, then closes the loop with <see cref="CloseReason.EngineShutdown"/> (its queued work fails with
        /// <see cref="LoopClosedException"/>). A runner that was never started closes its loop here, on the calling
        /// thread, and cannot be started any more. Use <see cref="Join"/> or <see cref="Completion"/> to wait for the close.
        /// </summary>
        public void Stop()
        {
            stopRequested.Set();
            if (Interlocked.CompareExchange(ref state, Finished, NotStarted) == NotStarted)
            {
                // Never started: no main thread will ever close the loop, so close it here.
                Loop.Close(CloseReason.EngineShutdown);
                Finish();
            }
        }

        /// <summary>
        /// Blocks until the runner has stopped and its loop is closed, or until <paramref name="timeout"/> passes.
        /// Any thread but the runner's main thread.
        /// </summary>
        /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits without limit.</param>
        /// <returns><see langword="true"/> when the runner finished, <see langword="false"/> on timeout.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
        /// <exception cref="InvalidOperationException">
        /// The runner was never started nor stopped (nothing would end the wait), or the caller is the runner's main
        /// thread while it runs (the wait would deadlock).
        /// </exception>
        public bool Join(TimeSpan timeout)
        {
            if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
            }

            int current = Volatile.Read(ref state);
            if (current == NotStarted)
            {
                throw new InvalidOperationException("The runner was never started: Join would wait forever. Call Start, Run or Stop first.");
            }

            if (current == Running && IsOnMainThread())
            {
                throw new InvalidOperationException("Join was called on the runner's own main thread, which would wait for itself. Call Stop and return from the frame instead.");
            }

            return finished.Wait(timeout);
        }

        /// <summary>
        /// Stops the runner and, unless called on its main thread, waits up to
        /// <see cref="HeadlessRunnerOptions.ShutdownTimeout"/> for the loop to be closed. Any thread; idempotent.
        /// </summary>
        public void Dispose()
        {
            Stop();
            if (!IsOnMainThread())
            {
                finished.Wait(shutdownTimeout);
            }
        }

        void BeginRunning()
        {
            int previous = Interlocked.CompareExchange(ref state, Running, NotStarted);
            if (previous != NotStarted)
            {
                throw new InvalidOperationException(previous == Running
                    ? "The runner is already running; a runner runs once."
                    : "The runner was stopped; a runner runs once. Create a new HeadlessRunner.");
            }
        }

        bool IsOnMainThread() => ReferenceEquals(Volatile.Read(ref mainThread), Thread.CurrentThread);

        /// <summary>The body of the main thread: frames until stopped, then the close, always.</summary>
        void RunFramesAndClose()
        {
            try
            {
                try
                {
                    if (!Loop.IsMainThread)
                    {
                        Loop.BindToCurrentThread();
                    }
                }
                finally
                {
                    bound.Set();
                }

                Subscribe();
                RunFrames();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                Unsubscribe();
                try
                {
                    // Closed here, on the main thread, so that async work already started gets the loop's grace period.
                    Loop.Close(CloseReason.EngineShutdown);
                    WaitUntilClosed();
                }
                catch (Exception exception)
                {
                    failure ??= ExceptionDispatchInfo.Capture(exception);
                }

                Volatile.Write(ref state, Finished);
                Finish();
            }
        }

        void RunFrames()
        {
            FramePacer? pacer = targetFrameRate is double rate ? new FramePacer(rate) : null;
            long previousStart = 0;
            long windowStart = Stopwatch.GetTimestamp();
            long windowFrames = 0;
            while (!stopRequested.IsSet && Loop.IsOpen)
            {
                if (pacer != null && !pacer.WaitForNextFrame(stopRequested))
                {
                    break;
                }

                long start = Stopwatch.GetTimestamp();
                long frame = Interlocked.Increment(ref frameCount);
                if (previousStart != 0)
                {
                    Interlocked.Exchange(ref lastFrameTimeTicks, FramePacer.ToTimeSpan(start - previousStart).Ticks);
                }

                previousStart = start;
                FrameStarted?.Invoke(this);
                Loop.Tick();

                long end = Stopwatch.GetTimestamp();
                Interlocked.Exchange(ref lastFrameWorkTicks, FramePacer.ToTimeSpan(end - start).Ticks);
                windowFrames++;
                if (end - windowStart >= Stopwatch.Frequency / 2)
                {
                    double fps = windowFrames * (double)Stopwatch.Frequency / (end - windowStart);
                    Interlocked.Exchange(ref framesPerSecondBits, BitConverter.DoubleToInt64Bits(fps));
                    windowStart = end;
                    windowFrames = 0;
                }

                if (maxFrames > 0 && frame >= maxFrames)
                {
                    break;
                }
            }
        }

        /// <summary>
        /// Until every handle of the loop has completed (<see cref="MainLoop.WhenClosed"/>). A close that another
        /// thread started (<c>runner.Loop.Dispose()</c>) may still be finishing on that thread, or may be waiting for
        /// the main thread's next tick to run its grace period here; ticking a closing loop starts no new work.
        /// </summary>
        void WaitUntilClosed()
        {
            var spinner = new SpinWait();
            while (Loop.WhenClosed.Status == Cysharp.Threading.Tasks.UniTaskStatus.Pending)
            {
                Loop.Tick();
                spinner.SpinOnce();
            }
        }

        /// <summary>Reports the runner finished: <see cref="Completion"/> first, then the <see cref="finished"/> event.</summary>
        /// <remarks>
        /// The order is the contract: <see cref="Join"/> returning <see langword="true"/> (and <see cref="IsFinished"/>)
        /// implies that <see cref="Completion"/> is complete, so a host that joined can read it without a race.
        /// </remarks>
        void Finish()
        {
            if (failure != null)
            {
                completion.TrySetException(failure.SourceException);
            }
            else
            {
                completion.TrySetResult(true);
            }

            finished.Set();
        }

        void Subscribe()
        {
            if (stopOnProcessExit)
            {
                AppDomain.CurrentDomain.ProcessExit += processExitHandler;
                Volatile.Write(ref registeredProcessExitHandler, processExitHandler);
            }

            if (stopOnCancelKeyPress)
            {
                try
                {
                    Console.CancelKeyPress += cancelKeyPressHandler;
                    Volatile.Write(ref registeredCancelKeyPressHandler, cancelKeyPressHandler);
                }
                catch (PlatformNotSupportedException)
                {
                    // No console signals on this platform (e.g. mobile, browser): nothing to stop on.
                }
            }
        }

        void Unsubscribe()
        {
            if (Interlocked.Exchange(ref registeredProcessExitHandler, null) != null)
            {
                AppDomain.CurrentDomain.ProcessExit -= processExitHandler;
            }

            if (Interlocked.Exchange(ref registeredCancelKeyPressHandler, null) != null)
            {
                Console.CancelKeyPress -= cancelKeyPressHandler;
            }
        }

        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            // Keep the process alive: the host's Run/Join returns once the loop is closed and it exits normally.
            e.Cancel = true;
            Stop();
        }

        void OnProcessExit(object? sender, EventArgs e)
        {
            Stop();
            if (IsOnMainThread())
            {
                // Exit was requested from the main thread itself (e.g. Environment.Exit in a frame): its frame loop
                // will never get control back, so close here; we are on the main thread, as the close wants.
                Loop.Close(CloseReason.EngineShutdown);
                return;
            }

            // The process ends when this handler returns: give the main thread a bounded time to close the loop.
            finished.Wait(shutdownTimeout);
        }
    }
}
