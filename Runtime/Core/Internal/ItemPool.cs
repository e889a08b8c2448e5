#nullable enable
using System.Collections.Concurrent;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The pool of one kind of pooled object: a small cache per thread in front of a shared lock-free queue.
    /// </summary>
    /// <remarks>
    /// Unlike a pool whose gate fails under contention (and then allocates), renting here never allocates while the
    /// shared queue has items, whatever the number of threads: <c>ConcurrentQueue</c> reuses its segment once it has
    /// grown to the steady-state size. The per-thread slot makes the single-thread path (submit, tick, get result on
    /// one thread; or a worker's submit-then-block round trip) touch no shared memory at all, and lets a producer that
    /// consumes its own handles keep a few in flight without touching the shared queue.
    /// The shared queue keeps at most <see cref="MaxRetained"/> objects, so a burst does not pin memory forever.
    /// </remarks>
    internal static class ItemPool<T> where T : class, new()
    {
        /// <summary>Most objects kept in the shared queue.</summary>
        internal const int MaxRetained = 16384;

        /// <summary>Objects cached per thread.</summary>
        private const int ThreadCacheSize = 16;

        // One thread-static reference per pool (array and count behind it): a thread static of a generic type is
        // reached through a runtime helper, so one read per Rent/Return instead of several matters on the hot path.
        [System.ThreadStatic]
        private static ThreadCache? threadCache;

        private static readonly ConcurrentQueue<T> Shared = new ConcurrentQueue<T>();
        private static int sharedCount;

        internal static T Rent()
        {
            var cache = threadCache ??= new ThreadCache();
            if (cache.Count > 0)
            {
                var index = --cache.Count;
                var local = cache.Items[index]!;
                cache.Items[index] = null;
                return local;
            }

            if (Shared.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref sharedCount);
                return item;
            }

            return new T();
        }

        internal static void Return(T item)
        {
            // Only a thread that rents this type keeps a cache of it (the cache is created by Rent): a thread that
            // only releases objects (the main thread finishing work that workers submitted) hands them straight to
            // the shared queue, where the submitting threads find them, instead of hoarding them.
            var cache = threadCache;
            if (cache != null && cache.Count < ThreadCacheSize)
            {
                cache.Items[cache.Count++] = item;
                return;
            }

            if (Interlocked.Increment(ref sharedCount) <= MaxRetained)
            {
                Shared.Enqueue(item);
            }
            else
            {
                Interlocked.Decrement(ref sharedCount);
            }
        }

        /// <summary>A thread's cache of pooled objects (touched by that thread only).</summary>
        private sealed class ThreadCache
        {
            internal readonly T?[] Items = new T?[ThreadCacheSize];
            internal int Count;
        }
    }
}
