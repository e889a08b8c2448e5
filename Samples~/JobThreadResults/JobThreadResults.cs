using System;
using System.Threading;
using UnityEngine;

namespace LoopBridge.Samples.JobThreadResults
{
    /// <summary>
    /// Worker threads count primes and hand each result back to Unity's main thread with
    /// <c>UnityMainLoop.Main.Run</c>; every worker then blocks until the main thread has applied its
    /// result. Stop play mode while they work: the loop closes, pending handles fail with
    /// <see cref="LoopClosedException"/>, and every worker wakes up and ends, nothing hangs.
    /// </summary>
    public sealed class JobThreadResults : MonoBehaviour
    {
        [SerializeField] int workerCount = 4;
        [SerializeField] int numbersPerWorker = 2_000_000;

        // Touched on the main thread only (inside Apply), so no lock is needed.
        int _totalPrimes;
        int _workersReported;

        void Start()
        {
            // Read once on the main thread: this play session's loop. A worker that outlives the
            // session keeps a closed loop, whose submissions fail at once instead of running late.
            var loop = UnityMainLoop.Main;
            for (var i = 0; i < workerCount; i++)
            {
                var index = i;
                new Thread(() => Work(loop, index)) { IsBackground = true, Name = "LoopBridge sample worker " + i }.Start();
            }
        }

        // Worker thread.
        void Work(MainLoop loop, int index)
        {
            var from = index * numbersPerWorker;
            var primes = 0;
            for (var n = from; n < from + numbersPerWorker; n++)
            {
                // The loop's Closing token is cancelled when play mode ends or the app quits.
                if ((n & 0xFFFF) == 0 && loop.Closing.IsCancellationRequested)
                    return;
                if (IsPrime(n))
                    primes++;
            }

            try
            {
                // Runs Apply on the main thread during the next frame's tick; this thread blocks
                // until then (or until the loop closes, or 10 s pass).
                var total = loop.Run(() => Apply(index, primes)).GetResult(TimeSpan.FromSeconds(10));
                // Debug.Log is one of the few Unity APIs any thread may call.
                Debug.Log($"worker {index} done; total so far {total}");
            }
            catch (LoopClosedException closed)
            {
                // Play mode ended (or the app is quitting) before the main thread took the result.
                Debug.Log($"worker {index}: result discarded, loop closed ({closed.Reason})");
            }
            catch (TimeoutException)
            {
                Debug.LogWarning($"worker {index}: the main thread did not take the result within 10 s");
            }
        }

        // Main thread: Unity's API is safe here.
        int Apply(int index, int primes)
        {
            if (!this)
                return _totalPrimes; // destroyed (scene unloaded) while the worker computed
            _totalPrimes += primes;
            _workersReported++;
            Debug.Log($"worker {index}: {primes} primes; total {_totalPrimes} ({_workersReported}/{workerCount} workers) at frame {Time.frameCount}");
            return _totalPrimes;
        }

        static bool IsPrime(int n)
        {
            if (n < 2)
                return false;
            if (n % 2 == 0)
                return n == 2;
            for (var d = 3; d * d <= n; d += 2)
            {
                if (n % d == 0)
                    return false;
            }
            return true;
        }
    }
}
