#nullable enable
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
    /// <see cref="MagazineSize"/> objects with the depot, under the depot's lock. So a burst of a million submissions
    /// costs a million plain array reads and writes plus about 16,000 short lock sections, instead of a million
    /// interlocked queue operations; and producers that rent while the main thread returns trade whole magazines.
    /// Two magazines instead of one: a thread that alternates rent and return right at a magazine boundary would
    /// otherwise trade with the depot on every call.</para>
    /// <para><b>Adaptive size.</b> Returned objects are kept, up to <see cref="PoolPolicy.MaxRetained"/>, so the pool
    /// grows to the high-water mark of objects outstanding at once and a repeated burst allocates nothing. What was
    /// not rented during a whole trim window is given back to the GC (down to <see cref="PoolPolicy.MinRetained"/>)
    /// when <see cref="PoolPolicy"/> ends the window (see there for when). A thread's own two magazines (at most
    /// 2 × <see cref="MagazineSize"/> objects) are never trimmed; they go with the thread.</para>
    /// <para><b>Threads.</b> <see cref="Rent"/> and <see cref="Return"/>: any thread. The thread cache is touched by
    /// its thread only; the depot by any thread under <see cref="Depot"/>'s lock, which never covers user code.</para>
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
        /// The shared stacks of full and empty magazines of this type. Every member takes the lock; no user code runs
        /// under it; the only allocations under it are a stack growing and a new empty magazine (first bursts only).
        /// </summary>
        internal sealed class Depot : PoolPolicy.IDepot
        {
            private readonly object gate = new object();

            // Stacks (guarded by gate). full[0..fullCount) are magazines holding MagazineSize objects each;
            // empty[0..emptyCount) are magazines holding none, kept so returning threads need not allocate one.
            private T?[]?[] full = new T?[]?[4];
            private int fullCount;
            private T?[]?[] empty = new T?[]?[4];
            private int emptyCount;

            // The fewest full (empty) magazines the stack held since the current trim window began (guarded by
            // gate): that many were never taken during the whole window, so they are idle and may be released.
            private int fullLowWater;
            private int emptyLowWater;

            // Counts of objects and magazines ever created by this pool, for tests and diagnostics (guarded by gate).
            private long magazinesCreated;

            internal Depot() => PoolPolicy.Register(this);

            /// <summary>Objects held in full magazines in the depot (not counting the threads' own magazines).</summary>
            public long RetainedObjects
            {
                get
                {
                    lock (gate)
                    {
                        return (long)fullCount * MagazineSize;
                    }
                }
            }

            /// <summary>Magazine arrays allocated so far (first bursts only, once warm).</summary>
            internal long MagazinesCreated
            {
                get
                {
                    lock (gate)
                    {
                        return magazinesCreated;
                    }
                }
            }

            /// <summary>Full magazines in the depot now.</summary>
            internal int FullMagazines
            {
                get
                {
                    lock (gate)
                    {
                        return fullCount;
                    }
                }
            }

            /// <summary>Empty magazines in the depot now.</summary>
            internal int EmptyMagazines
            {
                get
                {
                    lock (gate)
                    {
                        return emptyCount;
                    }
                }
            }

            /// <summary>A full magazine in exchange for <paramref name="emptyMagazine"/>, or null (keep yours) when the depot has none.</summary>
            internal T?[]? ExchangeEmptyForFull(T?[] emptyMagazine)
            {
                lock (gate)
                {
                    if (fullCount == 0)
                    {
                        return null;
                    }

                    var result = full[--fullCount]!;
                    full[fullCount] = null;
                    if (fullCount < fullLowWater)
                    {
                        fullLowWater = fullCount;
                    }

                    Push(ref empty, ref emptyCount, emptyMagazine, ref full);
                    return result;
                }
            }

            /// <summary>
            /// Takes <paramref name="fullMagazine"/> and gives an empty magazine back. Over <see cref="PoolPolicy.MaxRetained"/>,
            /// the objects are dropped instead (the same array comes back cleared).
            /// </summary>
            internal T?[] ExchangeFullForEmpty(T?[] fullMagazine)
            {
                var maxMagazines = PoolPolicy.MaxRetainedMagazines(MagazineSize);
                lock (gate)
                {
                    if (fullCount < maxMagazines)
                    {
                        Push(ref full, ref fullCount, fullMagazine, ref empty);
                        if (emptyCount == 0)
                        {
                            magazinesCreated++;
                            return new T?[MagazineSize]; // the first bursts only: later, emptied magazines come back here
                        }

                        var result = empty[--emptyCount]!;
                        empty[emptyCount] = null;
                        if (emptyCount < emptyLowWater)
                        {
                            emptyLowWater = emptyCount;
                        }

                        return result;
                    }
                }

                // Over the cap: this thread keeps the array and lets the GC have the objects.
                System.Array.Clear(fullMagazine, 0, fullMagazine.Length);
                return fullMagazine;
            }

            /// <inheritdoc />
            public long TrimIdle(int minRetainedObjects)
            {
                var keep = (minRetainedObjects + MagazineSize - 1) / MagazineSize;
                lock (gate)
                {
                    var release = System.Math.Min(fullLowWater, fullCount - keep);
                    var released = Release(release, ref full, ref fullCount);
                    Release(System.Math.Min(emptyLowWater, emptyCount - keep), ref empty, ref emptyCount);
                    fullLowWater = fullCount;
                    emptyLowWater = emptyCount;
                    return released * (long)MagazineSize;
                }
            }

            /// <inheritdoc />
            public long TrimAll(int minRetainedObjects)
            {
                var keep = (minRetainedObjects + MagazineSize - 1) / MagazineSize;
                lock (gate)
                {
                    var released = Release(fullCount - keep, ref full, ref fullCount);
                    Release(emptyCount - keep, ref empty, ref emptyCount);
                    fullLowWater = fullCount;
                    emptyLowWater = emptyCount;
                    return released * (long)MagazineSize;
                }
            }

            /// <summary>
            /// Pushes onto one stack. Both stacks grow together: every magazine is in one of them or in a thread, so a
            /// later burst that turns full magazines into empty ones (or back) finds room without allocating.
            /// </summary>
            private static void Push(ref T?[]?[] stack, ref int count, T?[] magazine, ref T?[]?[] other)
            {
                if (count == stack.Length)
                {
                    stack = Grow(stack, stack.Length * 2);
                    if (other.Length < stack.Length)
                    {
                        other = Grow(other, stack.Length);
                    }
                }

                stack[count++] = magazine;
            }

            private static T?[]?[] Grow(T?[]?[] stack, int length)
            {
                var grown = new T?[]?[length];
                System.Array.Copy(stack, grown, stack.Length);
                return grown;
            }

            /// <summary>Drops the top <paramref name="release"/> magazines of a stack (and shrinks a mostly unused stack array).</summary>
            private static int Release(int release, ref T?[]?[] stack, ref int count)
            {
                if (release <= 0)
                {
                    return 0;
                }

                System.Array.Clear(stack, count - release, release);
                count -= release;
                if (stack.Length > 64 && count < stack.Length / 4)
                {
                    var shrunk = new T?[]?[System.Math.Max(4, count * 2)];
                    System.Array.Copy(stack, shrunk, count);
                    stack = shrunk;
                }

                return release;
            }
        }
    }
}
