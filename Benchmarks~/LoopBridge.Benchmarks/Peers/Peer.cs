using System;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// One main-thread dispatcher under test, seen by the scenario drivers. A dispatcher is
    /// created on the benchmark's main thread and ticked there (unless <see cref="FrameBased"/>
    /// is false: then it runs its own thread and <see cref="Tick"/> is never called).
    /// </summary>
    internal interface IPeer : IDisposable
    {
        /// <summary>The pattern's name in the result tables.</summary>
        string Name { get; }

        /// <summary>True when the benchmark's main thread drains it by calling <see cref="Tick"/>.</summary>
        bool FrameBased { get; }

        /// <summary>True when the pattern has a notion of close that completes outstanding handles.</summary>
        bool CanClose { get; }

        /// <summary>Runs what is queued (the pattern's own drain rule). Main thread only.</summary>
        /// <returns>How many items ran.</returns>
        int Tick();

        /// <summary>
        /// What the pattern does when the engine shuts down. LoopBridge closes the loop with
        /// <c>CloseReason.EngineShutdown</c>; the other patterns have no close: ticking simply stops.
        /// </summary>
        void Close();

        /// <summary>Calls back the visitor with the peer's concrete handle type (no boxing of handles).</summary>
        TResult Accept<TResult>(IPeerVisitor<TResult> visitor);
    }

    /// <summary>Double dispatch from <see cref="IPeer"/> to the generic scenario code.</summary>
    internal interface IPeerVisitor<TResult>
    {
        TResult Visit<THandle>(Peer<THandle> peer);
    }

    /// <summary>
    /// A dispatcher whose submissions return <typeparamref name="THandle"/> (a Task, a UniTask or
    /// a LoopHandle). The workload is fixed to <c>int -> int</c> with the argument passed as
    /// state, so every pattern can use its allocation-free form if it has one.
    /// </summary>
    internal abstract class Peer<THandle> : IPeer
    {
        public abstract string Name { get; }
        public virtual bool FrameBased => true;
        public virtual bool CanClose => false;
        public abstract int Tick();
        public virtual void Close() { }
        public virtual void Dispose() { }

        /// <summary>Submits <paramref name="fn"/>(<paramref name="arg"/>) to run on the main thread. Any thread.</summary>
        public abstract THandle Submit(int arg, Func<int, int> fn);

        /// <summary>True once the handle has a result, exception or cancellation. Does not consume it.</summary>
        public abstract bool IsCompleted(in THandle handle);

        /// <summary>Consumes a completed handle: its result, or throws its exception.</summary>
        public abstract int GetResult(in THandle handle);

        /// <summary>
        /// Blocks the calling worker thread until the handle completes, the way a user of the
        /// pattern blocks; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
        /// </summary>
        public abstract int WaitResult(in THandle handle, TimeSpan timeout);

        public TResult Accept<TResult>(IPeerVisitor<TResult> visitor) => visitor.Visit(this);
    }
}
