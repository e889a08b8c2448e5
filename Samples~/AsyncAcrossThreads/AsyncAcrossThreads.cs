using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using UnityEngine;

namespace LoopBridge.Samples.AsyncAcrossThreads
{
    /// <summary>
    /// One async method that moves between the thread pool and Unity's main thread:
    /// <c>RunAsync</c> starts it on the main thread, <c>UniTask.SwitchToThreadPool()</c> leaves,
    /// <c>loop.SwitchTo()</c> comes back, <c>loop.NextFrame()</c> waits a frame. Destroying the
    /// GameObject cancels it; so does the end of play mode (the loop's closing token is linked in).
    /// </summary>
    public sealed class AsyncAcrossThreads : MonoBehaviour
    {
        [SerializeField] int rounds = 10;

        // Cancelled in OnDestroy: the work must not outlive the component it updates.
        readonly CancellationTokenSource _destroyed = new CancellationTokenSource();

        void Start()
        {
            var loop = UnityMainLoop.Main;
            // The token passed to the delegate is the caller's token linked to the loop's Closing.
            var handle = loop.RunAsync(ct => RoundsAsync(loop, ct), _destroyed.Token);
            // Runs on the main thread when the work ends, whichever way it ends.
            handle.OnCompleted(outcome => Debug.Log($"AsyncAcrossThreads finished: {outcome.Status} {outcome.Exception?.GetType().Name}"));
        }

        async UniTask<int> RoundsAsync(MainLoop loop, CancellationToken cancellationToken)
        {
            var checksum = 0;
            for (var round = 1; round <= rounds; round++)
            {
                // Main thread here: started by RunAsync, or back from SwitchTo below.
                name = $"AsyncAcrossThreads: round {round}/{rounds}";

                await UniTask.SwitchToThreadPool();
                // Thread pool: heavy work, no Unity API.
                checksum = Churn(checksum, round, cancellationToken);

                // Back to the main thread. Throws LoopClosedException if play mode ended meanwhile,
                // so the rest of the method never runs against a dead scene, and
                // OperationCanceledException if the GameObject was destroyed.
                await loop.SwitchTo(cancellationToken);
                Debug.Log($"round {round}: checksum {checksum} at frame {Time.frameCount}");

                // Let a frame pass before the next round. The GameObject may be destroyed during that
                // frame: the loop cancels this token at the start of the next tick, before resuming us,
                // so NextFrame(token) throws and the work ends Canceled, not Faulted by a
                // MissingReferenceException when it touches `name` above.
                await loop.NextFrame(cancellationToken);
            }
            return checksum;
        }

        void OnDestroy()
        {
            _destroyed.Cancel();
            _destroyed.Dispose();
        }

        static int Churn(int seed, int round, CancellationToken cancellationToken)
        {
            var x = seed ^ round;
            for (var i = 0; i < 5_000_000; i++)
            {
                if ((i & 0xFFFF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                x = unchecked(x * 1_664_525 + 1_013_904_223);
            }
            return x;
        }
    }
}
