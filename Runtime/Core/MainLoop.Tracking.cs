#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>Pending handles (<see cref="MainLoopOptions.TrackHandles"/> only, else null). Guarded by locking itself; never held while user code runs.</summary>
        private readonly HashSet<LoopWorkItem>? tracked;

        /// <summary>Whether this loop records pending handles (<see cref="MainLoopOptions.TrackHandles"/>).</summary>
        internal bool IsTrackingHandles => tracked != null;

        /// <summary>
        /// Lists the handles of this loop that have not completed, one line each: what the work is and the call site
        /// that submitted it. It needs <see cref="MainLoopOptions.TrackHandles"/> (recording every call site has a
        /// cost); without it, the loop does not know its pending handles one by one, so this throws rather than
        /// answer something else. <see cref="QueueDepth"/> and <see cref="MainLoopStatistics.RunningAsync"/> give
        /// counts at no cost. Any thread; a moment's list.
        /// </summary>
        /// <returns>One line per pending handle; empty when none.</returns>
        /// <exception cref="InvalidOperationException">The loop was created without <see cref="MainLoopOptions.TrackHandles"/>.</exception>
        public IReadOnlyList<string> GetPendingHandles()
        {
            if (tracked == null)
            {
                throw new InvalidOperationException(
                    $"{name} does not track its handles: create it with MainLoopOptions.TrackHandles = true to list pending handles with their call sites " +
                    "(QueueDepth and Statistics.RunningAsync give counts without tracking).");
            }

            var lines = new List<string>();
            lock (tracked)
            {
                foreach (var item in tracked)
                {
                    lines.Add(item.CallSite == null ? item.Describe() : $"{item.Describe()} submitted at{Environment.NewLine}{item.CallSite}");
                }
            }

            return lines;
        }

        /// <summary>Records a new submission with its call site (tracking loops only).</summary>
        private void Track(LoopWorkItem item)
        {
            item.CallSite = new StackTrace(2, true).ToString();
            lock (tracked!)
            {
                tracked.Add(item);
            }
        }

        private void Untrack(LoopWorkItem item)
        {
            lock (tracked!)
            {
                tracked.Remove(item);
            }
        }
    }
}
