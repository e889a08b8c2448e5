#nullable enable
using System;
using System.Threading;
using Unity.Jobs;

namespace LoopBridge
{
    /// <summary>
    /// The C# Job System bridge: a <see cref="LoopHandle"/> for a scheduled job, completed on the main thread once the
    /// job has finished, after <see cref="JobHandle.Complete"/>, so the continuation can read and dispose the job's
    /// native containers at once (<c>await loop.WhenCompleted(job, () =&gt; results[0])</c>).
    /// </summary>
    /// <remarks>
    /// <para><b>Threads.</b> Call these on the main thread, where jobs are scheduled (they also call
    /// <see cref="JobHandle.ScheduleBatchedJobs"/> there, so the job starts now rather than at the next sync point).
    /// The loop checks <see cref="JobHandle.IsCompleted"/> once per tick, on the main thread, and calls
    /// <see cref="JobHandle.Complete"/> exactly once, on the main thread, before the handle completes.</para>
    /// <para><b>Cancellation</b> (the token or the handle's <c>Cancel()</c>): at the next tick the loop calls
    /// <c>Complete()</c> (a scheduled job cannot be stopped; this waits for it if it still runs) and the handle ends
    /// Canceled: the buffers are free to dispose in the <c>catch</c>/<c>finally</c>.</para>
    /// <para><b>Close</b> (leaving play mode, domain reload, quitting, <c>Dispose</c>). Unity's glue closes on the main
    /// thread: every pending job is completed, then every pending handle fails with <see cref="LoopClosedException"/>,
    /// so a <c>finally</c> that disposes the buffers runs after the job and nothing leaks. A loop closed from another
    /// thread (user code only) fails the handles at once and does not call <c>Complete()</c>, which is main-thread-only:
    /// complete such jobs yourself on the main thread before disposing their buffers. See
    /// <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, CancellationToken)"/>.</para>
    /// </remarks>
    public static class JobHandleLoopExtensions
    {
        /// <summary>A handle that completes on the main thread after <paramref name="job"/> finished and was completed. Main thread.</summary>
        /// <param name="loop">The loop whose ticks check the job (usually <c>UnityMainLoop.Main</c>).</param>
        /// <param name="job">The scheduled job.</param>
        /// <param name="cancellationToken">Stops the wait (the job is still completed first).</param>
        /// <returns>The handle; Succeeded, Faulted (an exception of <c>Complete()</c>), Canceled, or failed with <see cref="LoopClosedException"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
        public static LoopHandle WhenCompleted(this MainLoop loop, JobHandle job, CancellationToken cancellationToken = default)
        {
            Kick(loop);
            return loop.WhenCompleted(new JobHandleCompletion(job), cancellationToken);
        }

        /// <summary>
        /// Like <see cref="WhenCompleted(MainLoop, JobHandle, CancellationToken)"/>, then reads the result on the main
        /// thread after <c>Complete()</c>, e.g. <c>() =&gt; results[0]</c>. Main thread.
        /// </summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="loop">The loop whose ticks check the job.</param>
        /// <param name="job">The scheduled job.</param>
        /// <param name="read">Reads the result from the job's containers; main thread; not run if the wait was cancelled or the loop closed.</param>
        /// <param name="cancellationToken">Stops the wait (the job is still completed first).</param>
        /// <returns>The handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="read"/> is null.</exception>
        public static LoopHandle<T> WhenCompleted<T>(this MainLoop loop, JobHandle job, Func<T> read, CancellationToken cancellationToken = default)
        {
            Kick(loop);
            return loop.WhenCompleted(new JobHandleCompletion(job), read, cancellationToken);
        }

        /// <summary>
        /// Like <see cref="WhenCompleted{T}(MainLoop, JobHandle, Func{T}, CancellationToken)"/> with the reader's state
        /// passed in (no closure: <c>loop.WhenCompleted(job, results, r =&gt; r[0])</c>). Main thread.
        /// </summary>
        /// <typeparam name="TState">The state's type (typically the job's NativeArray).</typeparam>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="loop">The loop whose ticks check the job.</param>
        /// <param name="job">The scheduled job.</param>
        /// <param name="state">Passed to <paramref name="read"/>.</param>
        /// <param name="read">Reads the result; main thread.</param>
        /// <param name="cancellationToken">Stops the wait (the job is still completed first).</param>
        /// <returns>The handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/> or <paramref name="read"/> is null.</exception>
        public static LoopHandle<T> WhenCompleted<TState, T>(this MainLoop loop, JobHandle job, TState state, Func<TState, T> read, CancellationToken cancellationToken = default)
        {
            Kick(loop);
            return loop.WhenCompleted(new JobHandleCompletion(job), state, read, cancellationToken);
        }

        private static void Kick(MainLoop loop)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            // Jobs scheduled on the main thread wait in a batch until something flushes it; flush now, so the job
            // runs while the frame goes on (UniTask's JobHandle await does the same).
            if (loop.IsMainThread)
            {
                JobHandle.ScheduleBatchedJobs();
            }
        }
    }
}
