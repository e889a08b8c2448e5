using System;
using System.Collections.Generic;
using System.Threading;
using Cysharp.Threading.Tasks;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// Async work: a thread submits, every 20 ms, a <see cref="MainLoop.RunAsync{T}(Func{CancellationToken, UniTask{T}}, CancellationToken)"/>
    /// item that walks an entity one step per frame for 3 to 12 frames (<c>await loop.NextFrame()</c>), so some are
    /// always mid-walk: at the close they observe the loop's cancellation and run their <c>finally</c> blocks.
    /// </summary>
    public sealed class AsyncProducer : IProducer
    {
        readonly HeadlessRunner runner;
        readonly World world;
        readonly HandleLedger ledger = new HandleLedger("async");
        readonly ManualResetEventSlim stop = new ManualResetEventSlim(false);
        readonly Thread thread;

        /// <summary>Creates the producer (not yet started).</summary>
        public AsyncProducer(HeadlessRunner runner, World world)
        {
            this.runner = runner;
            this.world = world;
            thread = new Thread(SubmitLoop) { IsBackground = true, Name = "demo async submitter" };
        }

        /// <summary>Async items started on the main thread whose <c>finally</c> has not run yet. Any thread.</summary>
        public int InFlight => world.AsyncStarted - world.AsyncFinallies;

        /// <inheritdoc />
        public IReadOnlyList<HandleLedger> Ledgers => new[] { ledger };

        /// <inheritdoc />
        public void Start() => thread.Start();

        /// <inheritdoc />
        public bool StopAndJoin(TimeSpan timeout)
        {
            stop.Set();
            return thread.Join(timeout);
        }

        /// <inheritdoc />
        public string? Describe() => $"async: {world.AsyncStarted} walks started, {world.AsyncFinallies} finally blocks ran";

        void SubmitLoop()
        {
            var loop = runner.Loop;
            for (int n = 0; !stop.Wait(20); n++)
            {
                int entity = n;
                int steps = 3 + n % 10;
                var stamp = Stamp.Now(runner);
                int id = ledger.Register();
                var handle = loop.RunAsync(ct => Walk(entity, steps, stamp, ct));
                ledger.Track(id, handle);
            }
        }

        async UniTask<int> Walk(int entity, int steps, Stamp stamp, CancellationToken cancellationToken)
        {
            world.Arrive(stamp);
            world.AsyncBegan();
            try
            {
                for (int i = 0; i < steps; i++)
                {
                    await runner.Loop.NextFrame();
                    cancellationToken.ThrowIfCancellationRequested();
                    world.Step(entity);
                }

                return steps;
            }
            finally
            {
                world.AsyncEnded();
            }
        }
    }
}
