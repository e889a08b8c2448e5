#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Owner-scoped work: async work tied to a <see cref="MonoBehaviour"/>'s lifetime, so it stops when its GameObject
    /// is destroyed instead of touching a dead object (<c>loop.RunAsync(this, async ct =&gt; ...)</c>).
    /// </summary>
    /// <remarks>
    /// <para><b>Outcomes.</b> The work's token is cancelled when the owner is destroyed (and, on Unity 2022.2+, when
    /// <c>Application.exitCancellationToken</c> fires), as well as by the handle's <c>Cancel()</c>, the caller's token
    /// and the loop's close. Owner destroyed: the handle ends Canceled (if the work had not started, it never starts;
    /// if it runs, it ends Canceled as soon as it observes the token). Loop closed: the handle fails with
    /// <see cref="LoopClosedException"/> carrying the reason, even if the work reported the cancellation with a plain
    /// <see cref="OperationCanceledException"/>.</para>
    /// <para><b>Versions.</b> Unity 2022.2+ links <c>MonoBehaviour.destroyCancellationToken</c>, which Unity cancels while
    /// it destroys the object. Unity 2021.3 has none, so the loop's once-per-tick pass checks <c>owner == null</c>:
    /// there the token is cancelled on the first tick after the destruction.</para>
    /// <para><b>Threads.</b> Call on the loop's main thread (it reads the owner, a Unity object). The work runs on the
    /// main thread, as with <see cref="MainLoop.RunAsync(Func{CancellationToken, UniTask}, CancellationToken)"/>.</para>
    /// </remarks>
    public static class OwnerScopedLoopExtensions
    {
        /// <summary>Queues async work that is cancelled when <paramref name="owner"/> is destroyed. Main thread.</summary>
        /// <param name="loop">The loop (usually <c>UnityMainLoop.Main</c>).</param>
        /// <param name="owner">The component whose destruction cancels the work.</param>
        /// <param name="work">The work; its token is cancelled by the owner's destruction, the handle, <paramref name="cancellationToken"/> and the close.</param>
        /// <param name="cancellationToken">Also cancels the work.</param>
        /// <returns>The handle: Canceled if the owner was destroyed, <see cref="LoopClosedException"/> if the loop closed.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/>, <paramref name="owner"/> or <paramref name="work"/> is null.</exception>
        /// <exception cref="InvalidOperationException">Called off the loop's main thread.</exception>
        public static LoopHandle RunAsync(this MainLoop loop, MonoBehaviour owner, Func<CancellationToken, UniTask> work, CancellationToken cancellationToken = default)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            return RunAsync(loop, owner, async ct =>
            {
                await work(ct);
                return AsyncUnit.Default;
            }, cancellationToken);
        }

        /// <summary>Queues async work producing a <typeparamref name="T"/> that is cancelled when <paramref name="owner"/> is destroyed. Main thread.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="loop">The loop (usually <c>UnityMainLoop.Main</c>).</param>
        /// <param name="owner">The component whose destruction cancels the work.</param>
        /// <param name="work">The work; its token is cancelled by the owner's destruction, the handle, <paramref name="cancellationToken"/> and the close.</param>
        /// <param name="cancellationToken">Also cancels the work.</param>
        /// <returns>The handle: Canceled if the owner was destroyed, <see cref="LoopClosedException"/> if the loop closed.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="loop"/>, <paramref name="owner"/> or <paramref name="work"/> is null.</exception>
        /// <exception cref="InvalidOperationException">Called off the loop's main thread.</exception>
        public static LoopHandle<T> RunAsync<T>(this MainLoop loop, MonoBehaviour owner, Func<CancellationToken, UniTask<T>> work, CancellationToken cancellationToken = default)
        {
            if (loop == null)
            {
                throw new ArgumentNullException(nameof(loop));
            }

            if (ReferenceEquals(owner, null))
            {
                throw new ArgumentNullException(nameof(owner));
            }

            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (!loop.IsMainThread)
            {
                throw new InvalidOperationException(
                    $"RunAsync with an owner must be called on {loop}'s main thread: it reads the owner's lifetime, and Unity objects are main-thread-only.");
            }

            var scope = new OwnerScopedWork<T>(loop, owner, work, cancellationToken);

            // The owner's token is the submission's token too: destroyed before the work starts, it never starts.
            return loop.RunAsync(scope.RunAsync, scope.OwnerToken);
        }
    }
}
