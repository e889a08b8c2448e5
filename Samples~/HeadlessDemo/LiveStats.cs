namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// One published sample of the live statistics: built on the main thread, read by the console thread.
    /// Immutable, so it crosses threads by a single reference write.
    /// </summary>
    public sealed class LiveStats
    {
        /// <summary>Creates a sample.</summary>
        public LiveStats(double seconds, long frames, double fps, int p50Frames, double p50Ms, int p99Frames, double p99Ms, double longestTickMs)
        {
            Seconds = seconds;
            Frames = frames;
            Fps = fps;
            P50Frames = p50Frames;
            P50Ms = p50Ms;
            P99Frames = p99Frames;
            P99Ms = p99Ms;
            LongestTickMs = longestTickMs;
        }

        /// <summary>Seconds since the runner started.</summary>
        public double Seconds { get; }

        /// <summary>Frames run so far.</summary>
        public long Frames { get; }

        /// <summary>Frames per second as measured by the runner.</summary>
        public double Fps { get; }

        /// <summary>Median submit→run latency in frames over the sample's window.</summary>
        public int P50Frames { get; }

        /// <summary>Median submit→run latency in milliseconds over the sample's window.</summary>
        public double P50Ms { get; }

        /// <summary>99th-percentile submit→run latency in frames over the sample's window.</summary>
        public int P99Frames { get; }

        /// <summary>99th-percentile submit→run latency in milliseconds over the sample's window.</summary>
        public double P99Ms { get; }

        /// <summary>The longest tick of the loop in the sample's window, in milliseconds.</summary>
        public double LongestTickMs { get; }
    }
}
