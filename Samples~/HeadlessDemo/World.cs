using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// The simulated game: entities that move every frame and the effects of the producers' results. Main thread only
    /// (like an engine's scene), except the counters documented as any-thread. It also keeps the latency statistics
    /// and publishes a <see cref="LiveStats"/> sample at a fixed interval.
    /// </summary>
    public sealed class World
    {
        const int EntityCount = 2_000;

        /// <remarks>
        /// A tick stops starting items once its budget is spent, so a full tick always ends a little past it (by the
        /// item that was running): only an overrun beyond this counts as over budget.
        /// </remarks>
        static readonly TimeSpan OverrunTolerance = TimeSpan.FromMilliseconds(1);

        readonly HeadlessRunner runner;
        readonly TimeSpan budget;
        readonly long sampleInterval;
        readonly float[] x = new float[EntityCount];
        readonly float[] y = new float[EntityCount];
        readonly float[] vx = new float[EntityCount];
        readonly float[] vy = new float[EntityCount];
        readonly LatencyHistogram window = new LatencyHistogram();
        readonly long startTimestamp = Stopwatch.GetTimestamp();
        long lastSample;
        TimeSpan windowLongestTick;
        LiveStats? latest;
        int burstRemaining;
        long burstFirstFrame = -1;
        long burstLastFrame = -1;
        int asyncStarted;
        int asyncFinallies;

        /// <summary>
        /// Creates the world of <paramref name="runner"/>, whose loop has the tick <paramref name="budget"/> (zero: none),
        /// publishing a sample every <paramref name="sampleInterval"/>.
        /// </summary>
        public World(HeadlessRunner runner, TimeSpan budget, TimeSpan sampleInterval)
        {
            this.runner = runner;
            this.budget = budget;
            this.sampleInterval = (long)(sampleInterval.TotalSeconds * Stopwatch.Frequency);
            lastSample = startTimestamp;
            var random = new Random(42);
            for (int i = 0; i < EntityCount; i++)
            {
                x[i] = (float)random.NextDouble() * 100;
                y[i] = (float)random.NextDouble() * 100;
                vx[i] = (float)random.NextDouble() - 0.5f;
                vy[i] = (float)random.NextDouble() - 0.5f;
            }

            runner.FrameStarted += OnFrame;
        }

        /// <summary>Submit→run latency of every item that ran, for the final summary (main thread; read after the runner stopped).</summary>
        public LatencyHistogram Total { get; } = new LatencyHistogram();

        /// <summary>Signalled each time a new <see cref="Latest"/> sample is published. Any thread.</summary>
        public SemaphoreSlim SampleReady { get; } = new SemaphoreSlim(0);

        /// <summary>The latest published sample, or <see langword="null"/> before the first. Any thread.</summary>
        public LiveStats? Latest => Volatile.Read(ref latest);

        /// <summary>Ticks observed (each frame looks at the previous frame's tick). Read after the runner stopped.</summary>
        public long TicksObserved { get; private set; }

        /// <summary>Observed ticks that overran the budget by more than 1 ms. Read after the runner stopped.</summary>
        public long TicksOverBudget { get; private set; }

        /// <summary>Noise tiles applied to the terrain.</summary>
        public int NoiseTiles { get; private set; }

        /// <summary>Paths handed to agents.</summary>
        public int PathsApplied { get; private set; }

        /// <summary>Network position updates applied.</summary>
        public int DatagramsApplied { get; private set; }

        /// <summary>Files picked up by the hot-reload watcher.</summary>
        public int FilesLoaded { get; private set; }

        /// <summary>Async work items that started. Any thread.</summary>
        public int AsyncStarted => Volatile.Read(ref asyncStarted);

        /// <summary>Async work items whose <c>finally</c> block ran. Any thread.</summary>
        public int AsyncFinallies => Volatile.Read(ref asyncFinallies);

        /// <summary>Frames from the first to the last burst item, or -1 while the burst has not fully run. Read after the runner stopped.</summary>
        public long BurstFrames => burstLastFrame < 0 ? -1 : burstLastFrame - burstFirstFrame + 1;

        /// <summary>Declares a burst of <paramref name="count"/> items, before any of them is submitted. Any thread, once.</summary>
        public void ExpectBurst(int count) => Volatile.Write(ref burstRemaining, count);

        /// <summary>Records the submit→run latency of an item that is running now.</summary>
        public void Arrive(in Stamp stamp)
        {
            long frames = runner.FrameCount - stamp.Frame;
            double ms = (Stopwatch.GetTimestamp() - stamp.Timestamp) * 1000.0 / Stopwatch.Frequency;
            window.Record(frames, ms);
            Total.Record(frames, ms);
        }

        /// <summary>Applies a noise tile computed on the thread pool.</summary>
        public void ApplyNoise((float Mean, Stamp Stamp) result)
        {
            Arrive(result.Stamp);
            NoiseTiles++;
            int i = NoiseTiles % EntityCount;
            vy[i] = Math.Clamp(vy[i] + (result.Mean - 0.5f) * 0.01f, -1f, 1f);
        }

        /// <summary>Hands a path computed on the thread pool to its agent; returns the path's length.</summary>
        public int ApplyPath((int Agent, int Length, Stamp Stamp) result)
        {
            Arrive(result.Stamp);
            PathsApplied++;
            vx[result.Agent % EntityCount] = result.Length > 0 ? 1f / result.Length : 0f;
            return result.Length;
        }

        /// <summary>Applies a position update received over UDP: "pos ENTITY X Y"; throws <see cref="FormatException"/> on anything else.</summary>
        public void ApplyDatagram((string Payload, Stamp Stamp) message)
        {
            Arrive(message.Stamp);
            string[] parts = message.Payload.Split(' ');
            if (parts.Length != 4 || parts[0] != "pos")
            {
                throw new FormatException($"malformed datagram '{message.Payload}'");
            }

            int entity = int.Parse(parts[1], CultureInfo.InvariantCulture) % EntityCount;
            x[entity] = float.Parse(parts[2], CultureInfo.InvariantCulture);
            y[entity] = float.Parse(parts[3], CultureInfo.InvariantCulture);
            DatagramsApplied++;
        }

        /// <summary>Hot-reloads a file that the watcher saw appear.</summary>
        public void LoadFile((string Name, Stamp Stamp) file)
        {
            Arrive(file.Stamp);
            FilesLoaded++;
        }

        /// <summary>Reads a checksum of the scene, for the blocked worker.</summary>
        public float Checksum(Stamp stamp)
        {
            Arrive(stamp);
            float sum = 0;
            for (int i = 0; i < EntityCount; i += 16)
            {
                sum += x[i] + y[i];
            }

            return sum;
        }

        /// <summary>Runs one item of the burst: a little work per item, so a big burst takes several frames within the budget.</summary>
        public void SpawnParticle(Stamp stamp)
        {
            Arrive(stamp);
            float a = stamp.Timestamp & 1023;
            for (int i = 0; i < 400; i++)
            {
                a = MathF.Sqrt(a * a + i);
            }

            x[(int)a % EntityCount] += 0.001f;
            if (burstFirstFrame < 0)
            {
                burstFirstFrame = runner.FrameCount;
            }

            if (--burstRemaining == 0)
            {
                burstLastFrame = runner.FrameCount;
            }
        }

        /// <summary>Moves one entity by one step (async work, one step per frame).</summary>
        public void Step(int entity)
        {
            entity %= EntityCount;
            x[entity] += vx[entity];
            y[entity] += vy[entity];
        }

        /// <summary>Counts an async work item that started. Any thread.</summary>
        public void AsyncBegan() => Interlocked.Increment(ref asyncStarted);

        /// <summary>Counts an async work item whose <c>finally</c> block ran. Any thread.</summary>
        public void AsyncEnded() => Interlocked.Increment(ref asyncFinallies);

        void OnFrame(HeadlessRunner sender)
        {
            for (int i = 0; i < EntityCount; i++)
            {
                x[i] += vx[i] * 0.016f;
                y[i] += vy[i] * 0.016f;
            }

            // The previous frame's tick: the loop's own measure, comparable with its budget.
            TimeSpan lastTick = sender.Loop.Statistics.LastTick;
            if (sender.FrameCount > 1)
            {
                TicksObserved++;
                if (budget > TimeSpan.Zero && lastTick > budget + OverrunTolerance)
                {
                    TicksOverBudget++;
                }
            }

            if (lastTick > windowLongestTick)
            {
                windowLongestTick = lastTick;
            }

            long now = Stopwatch.GetTimestamp();
            if (now - lastSample >= sampleInterval)
            {
                Volatile.Write(ref latest, new LiveStats(
                    (now - startTimestamp) / (double)Stopwatch.Frequency,
                    sender.FrameCount,
                    sender.FramesPerSecond,
                    window.FramesAt(0.50),
                    window.MillisecondsAt(0.50),
                    window.FramesAt(0.99),
                    window.MillisecondsAt(0.99),
                    windowLongestTick.TotalMilliseconds));
                window.Clear();
                windowLongestTick = TimeSpan.Zero;
                lastSample = now;
                SampleReady.Release();
            }
        }
    }
}
