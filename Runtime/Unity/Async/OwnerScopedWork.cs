#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// One owner-scoped submission (<see cref="OwnerScopedLoopExtensions"/>): the owner's lifetime token, the user's work,
    /// and the async body the loop runs. Created and run on the main thread.
    /// </summary>
    internal sealed class OwnerScopedWork<T>
    {
        private readonly MainLoop loop;
        private readonly Func<CancellationToken, UniTask<T>> work;
        private readonly CancellationToken userToken;

#if !UNITY_2022_2_OR_NEWER
        // 2021.3: a watch in the loop's pass cancels ownerSource when the owner is destroyed. Preserved, so stopping it
        // after it ended is a harmless no-op rather than a use of a recycled handle.
        private readonly CancellationTokenSource? ownerSource;
        private readonly LoopHandle watch;
#endif

        internal OwnerScopedWork(MainLoop loop, MonoBehaviour owner, Func<CancellationToken, UniTask<T>> work, CancellationToken userToken)
        {
            this.loop = loop;
            this.work = work;
            this.userToken = userToken;
            if (owner == null)
            {
                // Already destroyed (Unity's == null): the work never starts.
                OwnerToken = new CancellationToken(true);
                return;
            }

#if UNITY_2022_2_OR_NEWER
            OwnerToken = owner.destroyCancellationToken;
#else
            var source = new CancellationTokenSource();
            ownerSource = source;
            OwnerToken = source.Token;
            watch = loop.WhenCompleted(new OwnerDestroyed(owner)).Preserve();
            watch.OnCompleted(outcome =>
            {
                if (outcome.Status == UniTaskStatus.Succeeded)
                {
                    source.Cancel();
                }
            });
#endif
        }

        /// <summary>Cancelled when the owner is destroyed.</summary>
        internal CancellationToken OwnerToken { get; }

        /// <summary>The body the loop runs (main thread): links every token, runs the work, stops the watch.</summary>
        internal async UniTask<T> RunAsync(CancellationToken loopToken)
        {
            try
            {
                userToken.ThrowIfCancellationRequested();
                OwnerToken.ThrowIfCancellationRequested();

                // Linked here (not only through the submission's token, which reaches running work from the thread
                // pool): the owner's destruction cancels the work's token at once, on the thread that destroys it.
#if UNITY_2022_2_OR_NEWER
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(loopToken, OwnerToken, userToken, Application.exitCancellationToken);
#else
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(loopToken, OwnerToken, userToken);
#endif
                return await work(linked.Token);
            }
            catch (OperationCanceledException ex) when (ex is not LoopClosedException && loop.ClosedBecause.HasValue)
            {
                // The close cancelled it: say so, with the reason, as every handle the close ends does.
                throw new LoopClosedException(loop.ClosedBecause.Value, loop.Closing);
            }
            finally
            {
#if !UNITY_2022_2_OR_NEWER
                if (ownerSource != null)
                {
                    watch.Cancel();
                }
#endif
            }
        }
    }
}
