#nullable enable
using System;
using System.Diagnostics;
using System.Threading;

namespace LoopBridge
{
    /// <summary>
    /// How many pooled handle sources LoopBridge keeps between submissions, and when it gives them back to the GC.
    /// Process-wide: the pools are shared by every <see cref="MainLoop"/> (a handle's source can be rented by one
    /// thread and returned by another, whatever loop it ran on), so their policy is not a per-loop option.
    /// </summary>
    /// <remarks>
    /// <para><b>What it does.</b> Every submission rents a source object (about 180 bytes) and returns it when the
    /// handle is consumed. Returned objects are kept, up to <see cref="MaxRetained"/> per kind of submission, so the
    /// pool grows to the largest number of handles outstanding at once and a game that bursts again (a spawn wave, a
    /// loading screen's callbacks) allocates nothing after the first burst. Objects that were not needed for a whole
    /// trim window (at least <see cref="TrimDelay"/> long) are released, down to <see cref="MinRetained"/>: a one-off
    /// burst gives its memory back once bursts stop, while bursts that come more often than <see cref="TrimDelay"/>
    /// keep theirs.</para>
    /// <para><b>When the window ends.</b> After a garbage collection that happens at least <see cref="TrimDelay"/>
    /// after the window began (a finalizer-based notification, like <c>ArrayPool</c>'s; it works on CoreCLR, Mono and
    /// IL2CPP, where <c>GC.RegisterForFullGCNotification</c> does not), unless <see cref="TrimOnGarbageCollection"/>
    /// is off; and whenever <see cref="Trim"/> is called. So memory comes back between <see cref="TrimDelay"/> and
    /// twice that after the last use, at the next collection.</para>
    /// <para><b>Per kind.</b> Each kind of pooled object (for example <c>Run(state, Func&lt;TState, T&gt;)</c> for one
    /// <c>TState</c> and <c>T</c>) has its own pool, and the limits apply to each. Each thread also keeps up to
    /// 128 objects per kind for itself (two magazines of 64), outside these limits; they are freed with the thread.</para>
    /// <para><b>Threads.</b> Every member is safe from any thread. A change applies from the next rent, return or
    /// trim; objects already pooled stay until trimmed.</para>
    /// </remarks>
    public static class PoolPolicy
    {
        /// <summary>The default <see cref="MinRetained"/>: 1,024 objects per kind.</summary>
        public const int DefaultMinRetained = 1024;

        /// <summary>The default <see cref="MaxRetained"/>: 1,048,576 objects per kind (about 180 MB for the commonest kind).</summary>
        public const int DefaultMaxRetained = 1 << 20;

        /// <summary>The default <see cref="TrimDelay"/>: 3 seconds.</summary>
        public static readonly TimeSpan DefaultTrimDelay = TimeSpan.FromSeconds(3);

        private static readonly object RegistryGate = new object();

        // Copy-on-write list of every kind's depot (written under RegistryGate, read without a lock).
        private static IDepot[] depots = Array.Empty<IDepot>();

        private static int minRetained = DefaultMinRetained;
        private static int maxRetained = DefaultMaxRetained;
        private static long trimDelayTicks = DefaultTrimDelay.Ticks;
        private static int trimOnGc = 1;

        // Stopwatch timestamp at which the current trim window began; a window is ended by the thread that moves it on
        // with a compare-and-swap, so two triggers at once trim once.
        private static long windowStart = Stopwatch.GetTimestamp();
        private static bool sentinelStarted;

        /// <summary>
        /// Objects per kind that trimming always leaves in the pool (default <see cref="DefaultMinRetained"/>): the
        /// steady size. Any thread.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public static int MinRetained
        {
            get => Volatile.Read(ref minRetained);
            set
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "MinRetained must be 0 or positive.");
                }

                Volatile.Write(ref minRetained, value);
            }
        }

        /// <summary>
        /// The most objects per kind the pool keeps (default <see cref="DefaultMaxRetained"/>); objects returned beyond it
        /// are left to the GC, so a burst larger than this allocates the excess every time. Rounded down to whole
        /// magazines of 64. Zero keeps nothing but the threads' own magazines. Any thread.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public static int MaxRetained
        {
            get => Volatile.Read(ref maxRetained);
            set
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRetained must be 0 or positive.");
                }

                Volatile.Write(ref maxRetained, value);
            }
        }

        /// <summary>
        /// The shortest trim window (default <see cref="DefaultTrimDelay"/>): objects not rented during a whole window
        /// are released. Bursts that come more often than this keep their objects; after the last burst, its objects
        /// are released between one and two delays later, at the next garbage collection. <see cref="TimeSpan.Zero"/>
        /// ends a window at every collection; <see cref="TimeSpan.MaxValue"/> never ends one (only <see cref="Trim"/>
        /// releases). Any thread.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
        public static TimeSpan TrimDelay
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref trimDelayTicks));
            set
            {
                if (value < TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "TrimDelay must be zero or positive.");
                }

                Interlocked.Exchange(ref trimDelayTicks, value.Ticks);
            }
        }

        /// <summary>
        /// Whether a garbage collection ends a trim window that is at least <see cref="TrimDelay"/> old (default true).
        /// Off, only <see cref="Trim"/> releases pooled objects. Any thread.
        /// </summary>
        public static bool TrimOnGarbageCollection
        {
            get => Volatile.Read(ref trimOnGc) != 0;
            set => Volatile.Write(ref trimOnGc, value ? 1 : 0);
        }

        /// <summary>
        /// Objects the pools of every kind keep now, outside the threads' own magazines. A moment's value; any thread.
        /// </summary>
        public static long RetainedCount
        {
            get
            {
                long sum = 0;
                foreach (var depot in Volatile.Read(ref depots))
                {
                    sum += depot.RetainedObjects;
                }

                return sum;
            }
        }

        /// <summary>
        /// Releases now every pooled object above <see cref="MinRetained"/> per kind, used recently or not (for example
        /// after a loading screen whose burst will not come back), and starts a new trim window. Any thread; the
        /// released objects are collected by the next garbage collection.
        /// </summary>
        /// <returns>How many objects were released.</returns>
        public static long Trim()
        {
            Interlocked.Exchange(ref windowStart, Stopwatch.GetTimestamp());
            var min = MinRetained;
            long released = 0;
            foreach (var depot in Volatile.Read(ref depots))
            {
                released += depot.TrimAll(min);
            }

            return released;
        }

        /// <summary>
        /// Ends the current trim window now, whatever its age: releases the objects of every kind that were not rented
        /// during it (down to <see cref="MinRetained"/>), then starts a new window. The deterministic trigger for tests;
        /// the time-based triggers call it through <see cref="TrimIfDue"/>.
        /// </summary>
        /// <returns>How many objects were released.</returns>
        internal static long EndTrimWindow()
        {
            Interlocked.Exchange(ref windowStart, Stopwatch.GetTimestamp());
            return TrimIdle();
        }

        /// <summary>
        /// Ends the trim window if it began at least <see cref="TrimDelay"/> before <paramref name="nowTimestamp"/>
        /// (a <see cref="Stopwatch.GetTimestamp"/> value). Cheap when it is not due (two reads). Any thread.
        /// </summary>
        /// <returns>How many objects were released (0 when not due).</returns>
        internal static long TrimIfDue(long nowTimestamp)
        {
            var start = Interlocked.Read(ref windowStart);
            var delay = Interlocked.Read(ref trimDelayTicks);
            var elapsedTicks = (nowTimestamp - start) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency);
            if (elapsedTicks < delay || Interlocked.CompareExchange(ref windowStart, nowTimestamp, start) != start)
            {
                return 0;
            }

            return TrimIdle();
        }

        private static long TrimIdle()
        {
            var min = MinRetained;
            long released = 0;
            foreach (var depot in Volatile.Read(ref depots))
            {
                released += depot.TrimIdle(min);
            }

            return released;
        }

        /// <summary>The most whole magazines of <paramref name="magazineSize"/> objects <see cref="MaxRetained"/> allows.</summary>
        internal static int MaxRetainedMagazines(int magazineSize) => Volatile.Read(ref maxRetained) / magazineSize;

        /// <summary>Adds a kind's depot to the ones trimming visits (once per kind, from its static initializer).</summary>
        internal static void Register(IDepot depot)
        {
            lock (RegistryGate)
            {
                var grown = new IDepot[depots.Length + 1];
                Array.Copy(depots, grown, depots.Length);
                grown[depots.Length] = depot;
                Volatile.Write(ref depots, grown);
                if (!sentinelStarted)
                {
                    sentinelStarted = true;
                    GcSentinel.Start();
                }
            }
        }

        /// <summary>One kind's shared depot, as trimming sees it. Every member takes the depot's own lock.</summary>
        internal interface IDepot
        {
            /// <summary>Objects kept in the depot now.</summary>
            long RetainedObjects { get; }

            /// <summary>Releases what stayed unused since the last trim (keeping at least <paramref name="minRetainedObjects"/>) and starts a new window.</summary>
            long TrimIdle(int minRetainedObjects);

            /// <summary>Releases everything above <paramref name="minRetainedObjects"/> and starts a new window.</summary>
            long TrimAll(int minRetainedObjects);
        }

        /// <summary>
        /// An unreachable object whose finalizer runs after each garbage collection that finds it (once it has been
        /// promoted, after each full collection on CoreCLR and SGen; after every collection on Boehm), and re-registers
        /// itself. The same idea as the runtime's Gen2GcCallback behind <c>ArrayPool</c>'s trimming.
        /// </summary>
        private sealed class GcSentinel
        {
            internal static void Start() => _ = new GcSentinel();

            ~GcSentinel()
            {
                // The process or the domain (Unity's domain reload) is going away: stop, so the finalizer queue drains.
                if (Environment.HasShutdownStarted || AppDomain.CurrentDomain.IsFinalizingForUnload())
                {
                    return;
                }

                if (TrimOnGarbageCollection)
                {
                    TrimIfDue(Stopwatch.GetTimestamp());
                }

                GC.ReRegisterForFinalize(this);
            }
        }
    }
}
