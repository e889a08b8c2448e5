using System;
using System.Diagnostics;
using System.Threading;
using LoopBridge.Benchmarks.Peers;

namespace LoopBridge.Benchmarks.Scenarios
{
    /// <summary>The account of every handle after one close trial.</summary>
    internal sealed class CloseResult
    {
        public int Succeeded;
        public int FailedClosedWithReason;
        public int FailedOther;
        public int Pending;
        public string OtherFailure = "";

        /// <summary>How the blocked worker's wait ended: "woke: LoopClosedException(EngineShutdown)", "still blocked", ...</summary>
        public string Worker = "";

        /// <summary>True when the blocked worker woke up before its bounded wait ran out.</summary>
        public bool WorkerWoke;

        /// <summary>From the <c>Close()</c> call to the worker running again, in milliseconds.</summary>
        public double WakeMs = double.NaN;
    }

    /// <summary>
    /// Scenario E, one trial: <c>pending</c> items are queued and never ticked, and one more worker
    /// submits an item and blocks on its result. Then the engine "shuts down": the pattern's close
    /// (<see cref="IPeer.Close"/>) runs on the main thread. Afterwards every queued handle is
    /// counted as succeeded, failed (with <see cref="LoopClosedException"/> and the close reason, or
    /// anything else) or still pending, and the blocked worker's outcome and wake-up delay are
    /// recorded. The worker waits at most <c>bound</c>, so the benchmark never hangs on a pattern
    /// that cannot close.
    /// </summary>
    internal sealed class CloseWithPending : IPeerVisitor<CloseResult>
    {
        private readonly int _pending;
        private readonly TimeSpan _bound;

        public CloseWithPending(int pending, TimeSpan bound)
        {
            _pending = pending;
            _bound = bound;
        }

        public CloseResult Visit<THandle>(Peer<THandle> peer)
        {
            var result = new CloseResult();
            var handles = new THandle[_pending];
            var fn = Harness.Work.AddOne;
            var producer = new Thread(() =>
            {
                for (int i = 0; i < handles.Length; i++) handles[i] = peer.Submit(i, fn);
            }) { IsBackground = true, Name = "close producer" };
            producer.Start();
            producer.Join();

            using var waiting = new ManualResetEventSlim();
            long wokeAt = 0;
            string outcome = "";
            bool woke = false;
            var blocked = new Thread(() =>
            {
                var handle = peer.Submit(-1, fn);
                waiting.Set();
                try
                {
                    peer.WaitResult(handle, _bound);
                    outcome = "woke: got a result";
                    woke = true;
                }
                catch (TimeoutException)
                {
                    outcome = $"still blocked after {_bound.TotalMilliseconds:0} ms (gave up)";
                }
                catch (LoopClosedException e)
                {
                    outcome = $"woke: LoopClosedException({e.Reason})";
                    woke = true;
                }
                catch (Exception e)
                {
                    outcome = "woke: " + e.GetType().Name;
                    woke = true;
                }
                wokeAt = Stopwatch.GetTimestamp();
            }) { IsBackground = true, Name = "blocked worker" };
            blocked.Start();
            waiting.Wait();
            Thread.Sleep(20); // let the worker reach its blocking wait

            long closedAt = Stopwatch.GetTimestamp();
            peer.Close();
            if (!blocked.Join(_bound + TimeSpan.FromSeconds(5)))
            {
                throw new TimeoutException(peer.Name + ": the blocked worker did not return from its bounded wait");
            }
            result.Worker = outcome;
            result.WorkerWoke = woke;
            if (woke) result.WakeMs = (wokeAt - closedAt) * 1000.0 / Stopwatch.Frequency;

            foreach (var handle in handles)
            {
                if (!peer.IsCompleted(handle))
                {
                    result.Pending++;
                    continue;
                }
                try
                {
                    peer.GetResult(handle);
                    result.Succeeded++;
                }
                catch (LoopClosedException e) when (e.Reason == CloseReason.EngineShutdown)
                {
                    result.FailedClosedWithReason++;
                }
                catch (Exception e)
                {
                    result.FailedOther++;
                    result.OtherFailure = e.GetType().Name;
                }
            }
            return result;
        }
    }
}
