#nullable enable
using System.Collections.Generic;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        // Created by the constructor (one wiring line: `diagnostics = new LoopDiagnostics(this, clock, name);`), never null.
        private readonly LoopDiagnostics diagnostics;

        /// <summary>
        /// The loop's live diagnostics: queue depth and age, latency histograms, tick time against budget, pending work,
        /// close history, and stall and hang reports. Always on and allocation-free; see <see cref="LoopDiagnostics"/> for
        /// what it costs. Any thread.
        /// </summary>
        public LoopDiagnostics Diagnostics => diagnostics;

        /// <summary>Adds the tracked pending handles (TrackHandles) to <paramref name="into"/>. Any thread.</summary>
        internal void CollectPendingWork(List<LoopPendingWork> into, long now)
        {
            if (tracked == null)
            {
                return;
            }

            lock (tracked)
            {
                foreach (var item in tracked)
                {
                    into.Add(new LoopPendingWork(item.Describe(), item.InRegistry, System.Math.Max(0, now - Volatile.Read(ref item.SubmitTick)), item.CallSite));
                }
            }
        }
    }
}
