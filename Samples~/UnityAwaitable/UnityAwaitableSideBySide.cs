// Unity 2023.1+/Unity 6: the asmdef's defineConstraints drop this sample on older versions; the #if does the same
// for the stub compile check, which builds every sample in one assembly.
#if UNITY_2023_1_OR_NEWER
using System;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;

namespace LoopBridge.Samples.UnityAwaitable
{
    /// <summary>
    /// The same job written twice: with Unity's <see cref="Awaitable"/> and with LoopBridge, plus the two bridges
    /// between them. Press the buttons' context menu entries (or call the methods) in play mode, then stop play mode
    /// while a computation runs to see the difference.
    /// </summary>
    public sealed class UnityAwaitableSideBySide : MonoBehaviour
    {
        [SerializeField] int upTo = 5_000_000;

        // 1. Unity's Awaitable. If play mode ends while the background part runs, MainThreadAsync never comes
        //    back: no exception, no finally, nothing tells the caller.
        [ContextMenu("Count primes with Awaitable")]
        public async void CountWithAwaitable()
        {
            await Awaitable.BackgroundThreadAsync();
            var primes = CountPrimes(upTo, CancellationToken.None);
            await Awaitable.MainThreadAsync();
            Debug.Log($"Awaitable: {primes} primes, applied at frame {Time.frameCount}");
        }

        // 2. LoopBridge. The same shape, plus: a handle (await it, block on it from a worker, cancel it), the
        //    frame budget, owner scope (destroying this component cancels), and a close that ends the work with
        //    LoopClosedException(reason) so catch/finally run on the main thread.
        [ContextMenu("Count primes with LoopBridge")]
        public void CountWithLoopBridge()
        {
            var loop = UnityMainLoop.Main;
            loop.RunAsync(this, async ct =>
            {
                var primes = await Task.Run(() => CountPrimes(upTo, ct), ct); // like BackgroundThreadAsync
                await loop.SwitchTo();                                        // like MainThreadAsync
                Debug.Log($"LoopBridge: {primes} primes, applied at frame {Time.frameCount}");
                return primes;
            }).OnCompleted(outcome =>
            {
                if (outcome.IsClosed)
                    Debug.Log("LoopBridge: play mode ended first; the result was not applied");
            });
        }

        // 3. A LoopBridge handle awaited from an Awaitable method (AsAwaitable), and an Awaitable turned into a
        //    handle (WhenCompleted) that a worker thread can block on.
        [ContextMenu("Bridge both ways")]
        public async void BridgeBothWays()
        {
            var loop = UnityMainLoop.Main;
            var frame = await loop.Run(() => Time.frameCount).AsAwaitable();
            Debug.Log($"handle awaited as an Awaitable at frame {frame}");

            var nextFrame = loop.WhenCompleted(Awaitable.NextFrameAsync());
            await Task.Run(() => nextFrame.GetResult(TimeSpan.FromSeconds(5))); // a worker blocks on an Awaitable
            Debug.Log("a worker waited for Awaitable.NextFrameAsync through its handle");
        }

        static int CountPrimes(int limit, CancellationToken ct)
        {
            var count = 0;
            for (var n = 2; n < limit; n++)
            {
                if ((n & 0xFFFF) == 0)
                    ct.ThrowIfCancellationRequested();
                var prime = true;
                for (var d = 2; d * d <= n; d++)
                {
                    if (n % d == 0)
                    {
                        prime = false;
                        break;
                    }
                }

                if (prime)
                    count++;
            }

            return count;
        }
    }
}
#endif
