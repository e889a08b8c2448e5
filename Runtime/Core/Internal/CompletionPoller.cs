#nullable enable
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// The one queue entry per loop that watches every pending
    /// <see cref="MainLoop.WhenCompleted{TPollable}(TPollable, CancellationToken)"/> handle: each tick it makes one pass
    /// over them on the main thread (one <c>IsCompleted</c> read each) and re-posts itself while any is left, so a
    /// thousand pending jobs cost one entry and one pass per tick, not a thousand entries.
    /// </summary>
    /// <remarks>
    /// <para><b>State</b> (all guarded by <see cref="gate"/>; no user code and no handle completion ever runs under it):
    /// <see cref="incoming"/> holds items added since the last pass (any thread); <see cref="active"/> the items being
    /// watched (touched only by the pass, or by the close once no pass runs); <see cref="scheduled"/> is true while the
    /// entry is in the loop's queue or running; <see cref="executing"/> is true during a pass; <see cref="closed"/> turns
    /// true once, at close, after which nothing is added.</para>
    /// <para><b>Close</b> (<see cref="MainLoop.Closing"/> fires before queued work is failed; the entry's own
    /// <see cref="Abort"/> is a second way in, whichever comes first takes the items): on the main thread every pollable is
    /// completed first, then every handle fails with <see cref="LoopClosedException"/>, so a continuation that disposes
    /// one job's buffers never runs while another job still runs. Off the main thread the handles fail at once and
    /// <c>Complete()</c> is not called (it is main-thread-only). A close that happens during a pass (from a continuation
    /// the pass ran, or from another thread meanwhile) is finished by the pass itself, on the main thread.</para>
    /// </remarks>
    internal sealed class CompletionPoller : QueueEntry
    {
        private static readonly ConditionalWeakTable<MainLoop, CompletionPoller> Pollers = new ConditionalWeakTable<MainLoop, CompletionPoller>();
        private static readonly ConditionalWeakTable<MainLoop, CompletionPoller>.CreateValueCallback Create = loop => new CompletionPoller(loop);
        private static readonly Action<object?> ClosingAction = s => ((CompletionPoller)s!).OnClosing();

        private readonly MainLoop loop;
        private readonly object gate = new object();
        private readonly List<IPolledWork> incoming = new List<IPolledWork>();
        private readonly List<IPolledWork> active = new List<IPolledWork>();
        private bool scheduled;
        private bool executing;
        private bool closed;

        private CompletionPoller(MainLoop loop)
        {
            this.loop = loop;

            // Runs OnClosing at once if the loop is already closing (no lock is held here). Two threads racing to create
            // the poller may both register; the table keeps one, and the other's OnClosing finds no items.
            loop.Closing.Register(ClosingAction, this);
        }

        /// <summary>The loop's poller (created on first use). Any thread.</summary>
        internal static CompletionPoller For(MainLoop loop) => Pollers.GetValue(loop, Create);

        /// <summary>Number of items watched or waiting to be watched (tests, diagnostics). Any thread; a moment's value.</summary>
        internal int PendingCount
        {
            get
            {
                lock (gate)
                {
                    return incoming.Count + active.Count;
                }
            }
        }

        /// <summary>Hands <paramref name="work"/> to the poller; false if the loop is closing (then the caller fails it). Any thread.</summary>
        internal bool TryAdd(IPolledWork work)
        {
            bool enqueue;
            lock (gate)
            {
                if (closed)
                {
                    return false;
                }

                incoming.Add(work);
                enqueue = !scheduled;
                scheduled = true;
            }

            // Outside the lock: on a loop closed meanwhile, EnqueueEntry aborts the entry on this thread (Abort below),
            // which fails the item just added.
            if (enqueue)
            {
                loop.EnqueueEntry(this);
            }

            return true;
        }

        /// <inheritdoc />
        internal override void Execute(MainLoop owner)
        {
            lock (gate)
            {
                if (incoming.Count > 0)
                {
                    active.AddRange(incoming);
                    incoming.Clear();
                }

                executing = true;
            }

            // Poll completes handles, so user continuations run inside this loop (on the main thread). They may add
            // items (to incoming), cancel items (a flag the item reads) or close the loop (then the rest is kept for
            // the close below); nothing they do touches 'active'.
            var kept = 0;
            for (var i = 0; i < active.Count; i++)
            {
                var work = active[i];
                if (Volatile.Read(ref closed) || !work.Poll())
                {
                    active[kept++] = work;
                }
            }

            active.RemoveRange(kept, active.Count - kept);

            bool closeNow;
            bool repost;
            lock (gate)
            {
                executing = false;
                closeNow = closed;
                repost = !closed && (active.Count > 0 || incoming.Count > 0);
                scheduled = repost;
            }

            if (closeNow)
            {
                CloseAll(onMainThread: true);
            }
            else if (repost)
            {
                // Lands behind this tick's snapshot: the next pass is on the next tick.
                loop.EnqueueEntry(this);
            }
        }

        /// <inheritdoc />
        internal override void Abort(MainLoop owner, bool onMainThread)
        {
            lock (gate)
            {
                scheduled = false;
                closed = true;
            }

            CloseAll(onMainThread);
        }

        private void OnClosing()
        {
            bool passRunning;
            lock (gate)
            {
                closed = true;
                passRunning = executing;
            }

            // A pass that is running (a continuation closed the loop, or another thread did meanwhile) sees 'closed'
            // and finishes the close itself, on the main thread.
            if (!passRunning)
            {
                CloseAll(loop.IsMainThread);
            }
        }

        /// <summary>Takes every item out and fails it: pollables completed first when on the main thread. Never throws.</summary>
        private void CloseAll(bool onMainThread)
        {
            List<IPolledWork> all;
            lock (gate)
            {
                if (incoming.Count + active.Count == 0)
                {
                    return;
                }

                all = new List<IPolledWork>(active.Count + incoming.Count);
                all.AddRange(active);
                all.AddRange(incoming);
                active.Clear();
                incoming.Clear();
            }

            if (onMainThread)
            {
                foreach (var work in all)
                {
                    work.CompleteForClose();
                }
            }

            foreach (var work in all)
            {
                work.FailClosed(loop.CreateClosedException());
            }
        }
    }
}
