using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// Thread-pool jobs: each of N producers computes on the thread pool (even ones value-noise tiles, odd ones paths
    /// for their agent) and hands every result to the main thread with <see cref="MainLoop.Run{TState}(TState, Action{TState}, CancellationToken)"/>.
    /// A path request that a newer one for the same agent supersedes before it ran is cancelled by its token.
    /// </summary>
    public sealed class JobProducer : IProducer
    {
        readonly HeadlessRunner runner;
        readonly World world;
        readonly int producers;
        readonly HandleLedger noise = new HandleLedger("jobs.noise");
        readonly HandleLedger paths = new HandleLedger("jobs.path");
        readonly CancellationTokenSource stop = new CancellationTokenSource();
        readonly List<Task> tasks = new List<Task>();

        /// <summary>Creates <paramref name="producers"/> job producers feeding <paramref name="world"/>.</summary>
        public JobProducer(HeadlessRunner runner, World world, int producers)
        {
            this.runner = runner;
            this.world = world;
            this.producers = producers;
        }

        /// <inheritdoc />
        public IReadOnlyList<HandleLedger> Ledgers => new[] { noise, paths };

        /// <inheritdoc />
        public void Start()
        {
            for (int i = 0; i < producers; i++)
            {
                int index = i;
                tasks.Add(Task.Run(() => index % 2 == 0 ? NoiseLoop(index) : PathLoop(index)));
            }
        }

        /// <inheritdoc />
        public bool StopAndJoin(TimeSpan timeout)
        {
            stop.Cancel();
            return Task.WaitAll(tasks.ToArray(), timeout);
        }

        /// <inheritdoc />
        public string? Describe() => null;

        async Task NoiseLoop(int index)
        {
            int seed = index * 1_000_000;
            var loop = runner.Loop;
            while (!stop.IsCancellationRequested)
            {
                float mean = Computations.NoiseTileMean(seed++, 24);
                int id = noise.Register();
                var handle = loop.Run((mean, Stamp.Now(runner)), world.ApplyNoise);
                noise.Track(id, handle);
                await Task.Delay(2).ConfigureAwait(false);
            }
        }

        async Task PathLoop(int index)
        {
            int seed = index * 1_000_000;
            var loop = runner.Loop;
            CancellationTokenSource? previous = null;
            while (!stop.IsCancellationRequested)
            {
                int length = Computations.PathLength(seed++, 32);

                // A newer path for the same agent makes the older request worthless: cancel it. If it already ran this
                // is a no-op; if not, it never runs and its handle completes as cancelled. (The sources are not
                // disposed: the loop may still hold their tokens, and an undisposed source without a timer costs nothing.)
                previous?.Cancel();
                var current = new CancellationTokenSource();
                int id = paths.Register();
                var handle = loop.Run((index, length, Stamp.Now(runner)), world.ApplyPath, current.Token);
                paths.Track(id, handle);
                previous = current;
                await Task.Delay(2).ConfigureAwait(false);
            }
        }
    }
}
