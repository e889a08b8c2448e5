using System;
using System.Collections.Generic;
using System.Threading;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// One worker thread that reads the scene through the loop and blocks in <c>GetResult(timeout)</c> for every read,
    /// as a legacy synchronous API would. When the loop closes, the blocked wait wakes with
    /// <see cref="LoopClosedException"/> instead of hanging, and the worker ends.
    /// </summary>
    public sealed class BlockingWorker : IProducer
    {
        static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(5);

        readonly HeadlessRunner runner;
        readonly World world;
        readonly HandleLedger ledger = new HandleLedger("blocking");
        readonly Thread thread;
        int blocked;
        int timeouts;
        int reads;

        /// <summary>Creates the worker (not yet started).</summary>
        public BlockingWorker(HeadlessRunner runner, World world)
        {
            this.runner = runner;
            this.world = world;
            thread = new Thread(WorkLoop) { IsBackground = true, Name = "demo blocked worker" };
        }

        /// <summary>Whether the worker is blocked in a wait right now. Any thread.</summary>
        public bool IsBlocked => Volatile.Read(ref blocked) != 0;

        /// <inheritdoc />
        public IReadOnlyList<HandleLedger> Ledgers => new[] { ledger };

        /// <inheritdoc />
        public void Start() => thread.Start();

        /// <inheritdoc />
        public bool StopAndJoin(TimeSpan timeout) => thread.Join(timeout); // it ends by itself once the loop is closed

        /// <inheritdoc />
        public string? Describe()
            => $"blocking: {Volatile.Read(ref reads)} blocking reads" + (timeouts > 0 ? $", {timeouts} waits timed out and were retried" : string.Empty);

        void WorkLoop()
        {
            var loop = runner.Loop;
            while (true)
            {
                int id = ledger.Register();
                var handle = loop.Run(Stamp.Now(runner), world.Checksum);
                Volatile.Write(ref blocked, 1);
                try
                {
                    while (true)
                    {
                        try
                        {
                            handle.GetResult(WaitTimeout);
                            ledger.Complete(id, Cysharp.Threading.Tasks.UniTaskStatus.Succeeded, null);
                            Interlocked.Increment(ref reads);
                            break;
                        }
                        catch (TimeoutException)
                        {
                            // The main thread is busier than expected (a huge burst): the handle is still pending; wait again.
                            Interlocked.Increment(ref timeouts);
                        }
                    }
                }
                catch (Exception e)
                {
                    ledger.Complete(id, e);
                    if (e is LoopClosedException)
                    {
                        return;
                    }
                }
                finally
                {
                    Volatile.Write(ref blocked, 0);
                }
            }
        }
    }
}
