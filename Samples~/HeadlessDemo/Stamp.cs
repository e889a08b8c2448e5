using System.Diagnostics;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>When a work item was submitted: a <see cref="Stopwatch"/> timestamp and the runner's frame count.</summary>
    public readonly struct Stamp
    {
        /// <summary>Creates a stamp.</summary>
        public Stamp(long timestamp, long frame)
        {
            Timestamp = timestamp;
            Frame = frame;
        }

        /// <summary>The <see cref="Stopwatch"/> timestamp at submission.</summary>
        public long Timestamp { get; }

        /// <summary>The runner's <see cref="HeadlessRunner.FrameCount"/> at submission.</summary>
        public long Frame { get; }

        /// <summary>Stamps a submission made now, from any thread.</summary>
        public static Stamp Now(HeadlessRunner runner) => new Stamp(Stopwatch.GetTimestamp(), runner.FrameCount);
    }
}
