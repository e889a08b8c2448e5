#nullable enable
using System.Collections.Concurrent;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The process-wide pool of one kind of pooled object: per thread, two small magazines (arrays of objects) in
    /// front of a shared depot of full and empty magazines, sized by <see cref="PoolPolicy"/>.
    /// </summary>
    /// <remarks>
    /// <para><b>Why magazines</b> (Bonwick's design, the one behind many kernel allocators): a thread rents from and
    /// returns to its own magazine with no shared memory and no interlocked operation at all; only when its two
    /// magazines are both empty (rent) or both full (return) does it trade a whole magazine of
    /// <see cref="MagazineSize"/> objects with the shared depot (lock-free). So a burst of a million submissions
    /// costs a million plain array reads and writes plus about 16,000 magazine exchanges, instead of a million
    /// interlocked queue operations; and producers that rent while the main thread returns trade whole magazines.
    /// Two magazines instead of one: a thread that alternates rent and return right at a magazine boundary would
    /// otherwise trade with the depot on every call.</para>
    /// <para><b>Adaptive size.</b> Returned objects are kept, up to <see cref="PoolPolicy.MaxRetained"/>, so the pool
    /// grows to the high-water mark of objects outstanding at once and a repeated burst allocates nothing. What was
    /// not rented during a whole trim window is given back to the GC (down to <see cref="PoolPolicy.MinRetained"/>)
    /// when <see cref="PoolPolicy"/> ends the window (see there for when). A thread's own two magazines (at most
    /// 2 × <see cref="MagazineSize"/> objects) are never trimmed; they go with the thread.</para>
    /// <para><b>Threads.</b> <see cref="Rent"/> and <see cref="Return"/>: any thread. The thread cache is touched by
    /// its thread only; the depot by any thread, lock-free.</para>
    /// </remarks>
    internal static class ItemPool<T> where T : class, new()
    {
        /// <summary>Objects per magazine: the unit a thread trades with the depot.</summary>
        internal const int MagazineSize = 64;

        // One thread-static reference per pool (the magazines and counts behind it): a thread static of a generic type
        // is reached through a runtime helper, so one read per Rent/Return instead of several matters on the hot path.
        [System.ThreadStatic]
        private static ThreadCache? threadCache;

        /// <summary>The shared depot of this type (registered with <see cref="PoolPolicy"/> for trimming).</summary>
        internal static readonly Depot Shared = new Depot();

        /// <summary>A pooled object, or a new one when the pool has none. Any thread; allocation-free once warm.</summary>
        internal static T Rent()
        {
            var cache = threadCache ??= new ThreadCache();
            var count = cache.Count;
            if (count > 0)
            {
                var items = cache.Loaded;
                cache.Count = --count;
                var item = items[count]!;
                items[count] = null;
                return item;
            }

            return RentSlow(cache);
        }

        /// <summary>Gives an object back (the caller has cleared it and holds no reference to it). Any thread.</summary>
        internal static void Return(T item)
        {
            var cache = threadCache ??= new ThreadCache();
            var count = cache.Count;
            if (count < MagazineSize)
            {
                cache.Loaded[count] = item;
                cache.Count = count + 1;
                return;
            }

            ReturnSlow(cache, item);
        }

        private static T RentSlow(ThreadCache cache)
        {
            // The loaded magazine is empty. The previous one is either full or empty (never in between).
            if (cache.PreviousCount == 0)
            {
                var full = Shared.ExchangeEmptyForFull(cache.Previous);
                if (full == null)
                {
                    return new T();
                }

                cache.Previous = full;
                cache.PreviousCount = MagazineSize;
            }

            cache.Swap();
            var index = --cache.Count;
            var item = cache.Loaded[index]!;
            cache.Loaded[index] = null;
            return item;
        }

        private static void ReturnSlow(ThreadCache cache, T item)
        {
            // The loaded magazine is full. The previous one is either full or empty.
            if (cache.PreviousCount == MagazineSize)
            {
                cache.Previous = Shared.ExchangeFullForEmpty(cache.Previous);
                cache.PreviousCount = 0;
            }

            cache.Swap();
            cache.Loaded[cache.Count++] = item;
        }

        /// <summary>A thread's two magazines (touched by that thread only).</summary>
        private sealed class ThreadCache
        {
            /// <summary>The magazine Rent and Return use; <see cref="Count"/> objects from index 0.</summary>
            internal T?[] Loaded = new T?[MagazineSize];

            /// <summary>Objects in <see cref="Loaded"/>.</summary>
            internal int Count;

            /// <summary>The other magazine: always either full (<see cref="MagazineSize"/>) or empty (0).</summary>
            internal T?[] Previous = new T?[MagazineSize];

            /// <summary>Objects in <see cref="Previous"/>: 0 or <see cref="MagazineSize"/>.</summary>
            internal int PreviousCount;

            internal void Swap()
            {
                var m = Loaded;
                Loaded = Previous;
                Previous = m;
                var c = Count;
                Count = PreviousCount;
                PreviousCount = c;
            }
        }

        /// <summary>
        /// The shared store of full and empty magazines of this type: two lock-free queues and their counts. No lock:
        /// a lock here was the burst's hot spot (a producer preempted while holding it stalled every other producer;
        /// on 2 cores with 4 producers that is most of the time). One exchange moves a whole magazine, so its few
        /// interlocked operations are paid once per <see cref="MagazineSize"/> objects.
        /// </summary>
        /// <remarks>
        /// The queues only grow while the pool does (first bursts); a queue's last segment is reused as a ring once
        /// drained, so a repeated burst moves magazines through them without allocating. Counts may lag the queues by
        /// an operation in flight; trimming and the cap only need them approximately.
        /// </remarks>
        internal sealed class Depot : PoolPolicy.IDepot
        {
            // Magazines holding MagazineSize objects each, and magazines holding none (kept so a returning thread
            // need not allocate one).
            private ConcurrentQueue<T?[]> full = new ConcurrentQueue<T?[]>();
            private ConcurrentQueue<T?[]> empty = new ConcurrentQueue<T?[]>();
            private int fullCount;
            private int emptyCount;

            // The fewest full (empty) magazines the depot held since the current trim window began: that many were
            // never taken during the whole window, so they are idle and may be released. Lowered by compare-and-swap.
            private int fullLowWater;
            private int emptyLowWater;

            // Magazine arrays ever allocated by returning threads (first bursts only, once warm).
            private long magazinesCreated;

            internal Depot() => PoolPolicy.Register(this);

            /// <summary>Objects held in full magazines in the depot (not counting the threads' own magazines).</summary>
            public long RetainedObjects => (long)Volatile.Read(ref fullCount) * MagazineSize;

            /// <summary>Magazine arrays allocated so far.</summary>
            internal long MagazinesCreated => Interlocked.Read(ref magazinesCreated);

            /// <summary>Full magazines in the depot now.</summary>
            internal int FullMagazines => Volatile.Read(ref fullCount);

            /// <summary>Empty magazines in the depot now.</summary>
            internal int EmptyMagazines => Volatile.Read(ref emptyCount);

            /// <summary>A full magazine in exchange for <paramref name="emptyMagazine"/>, or null (keep yours) when the depot has none.</summary>
            internal T?[]? ExchangeEmptyForFull(T?[] emptyMagazine)
            {
                if (!Volatile.Read(ref full).TryDequeue(out var result))
                {
                    return null;
                }

                LowerTo(ref fullLowWater, Interlocked.Decrement(ref fullCount));
                Interlocked.Increment(ref emptyCount);
                Volatile.Read(ref empty).Enqueue(emptyMagazine);
                return result;
            }

            /// <summary>
            /// Takes <paramref name="fullMagazine"/> and gives an empty magazine back. Over <see cref="PoolPolicy.MaxRetained"/>,
            /// the objects are dropped instead (the same array comes back cleared).
            /// </summary>
            internal T?[] ExchangeFullForEmpty(T?[] fullMagazine)
            {
                if (Interlocked.Increment(ref fullCount) > PoolPolicy.MaxRetainedMagazines(MagazineSize))
                {
                    Interlocked.Decrement(ref fullCount);
                    System.Array.Clear(fullMagazine, 0, fullMagazine.Length); // this thread keeps the array; the GC gets the objects
                    return fullMagazine;
                }

                Volatile.Read(ref full).Enqueue(fullMagazine);
                if (Volatile.Read(ref empty).TryDequeue(out var result))
                {
                    LowerTo(ref emptyLowWater, Interlocked.Decrement(ref emptyCount));
                    return result;
                }

                var created = Interlocked.Increment(ref magazinesCreated);
                if (created >= 32 && (created & (created - 1)) == 0)
                {
                    var capacity = (int)System.Math.Min(created * 2, 1 << 20);
                    Grow(ref full, capacity);
                    Grow(ref empty, capacity);
                }

                return new T?[MagazineSize]; // first bursts only: later, magazines emptied by renting threads come back here
            }

            /// <summary>
            /// Replaces a magazine queue by one with room for <paramref name="capacity"/> magazines in one segment. Called
            /// while the pool grows (first bursts), each time the number of magazines doubles: otherwise a queue would grow
            /// its segments again during the next burst (a drained queue keeps only its last segment, and the empty queue
            /// fills for the first time in the second burst, when renting threads hand back their emptied magazines).
            /// A magazine enqueued on the old queue while it is being replaced may be lost to the GC (its count then
            /// stays one too high); it can only happen during these few growth steps.
            /// </summary>
            private static void Grow(ref ConcurrentQueue<T?[]> queue, int capacity)
            {
                var fill = new T?[capacity][];
                var placeholder = System.Array.Empty<T?>();
                for (var i = 0; i < fill.Length; i++)
                {
                    fill[i] = placeholder;
                }

                // The constructor sizes its first segment to the collection; draining it leaves that segment for reuse.
                var grown = new ConcurrentQueue<T?[]>(fill);
                while (grown.TryDequeue(out _))
                {
                }

                var old = Interlocked.Exchange(ref queue, grown);
                while (old.TryDequeue(out var magazine))
                {
                    grown.Enqueue(magazine);
                }
            }

            /// <inheritdoc />
            public long TrimIdle(int minRetainedObjects)
            {
                var keep = (minRetainedObjects + MagazineSize - 1) / MagazineSize;
                var released = Release(Volatile.Read(ref full), ref fullCount, System.Math.Min(Interlocked.Exchange(ref fullLowWater, int.MaxValue), Volatile.Read(ref fullCount) - keep));
                Release(Volatile.Read(ref empty), ref emptyCount, System.Math.Min(Interlocked.Exchange(ref emptyLowWater, int.MaxValue), Volatile.Read(ref emptyCount) - keep));
                StartWindow();
                return released * (long)MagazineSize;
            }

            /// <inheritdoc />
            public long TrimAll(int minRetainedObjects)
            {
                var keep = (minRetainedObjects + MagazineSize - 1) / MagazineSize;
                var released = Release(Volatile.Read(ref full), ref fullCount, Volatile.Read(ref fullCount) - keep);
                Release(Volatile.Read(ref empty), ref emptyCount, Volatile.Read(ref emptyCount) - keep);
                StartWindow();
                return released * (long)MagazineSize;
            }

            private void StartWindow()
            {
                // A rent racing with this only lowers the mark further: it is never missed.
                Volatile.Write(ref fullLowWater, Volatile.Read(ref fullCount));
                Volatile.Write(ref emptyLowWater, Volatile.Read(ref emptyCount));
            }

            private static void LowerTo(ref int mark, int value)
            {
                var current = Volatile.Read(ref mark);
                while (value < current)
                {
                    var seen = Interlocked.CompareExchange(ref mark, value, current);
                    if (seen == current)
                    {
                        return;
                    }

                    current = seen;
                }
            }

            /// <summary>Takes up to <paramref name="release"/> magazines out of a queue and drops them.</summary>
            private static int Release(ConcurrentQueue<T?[]> queue, ref int count, int release)
            {
                var released = 0;
                while (released < release && queue.TryDequeue(out _))
                {
                    Interlocked.Decrement(ref count);
                    released++;
                }

                return released;
            }
        }
    }
}
