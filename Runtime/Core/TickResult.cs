#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>What one <see cref="MainLoop.Tick"/> did. A small value returned by every tick; it allocates nothing.</summary>
    public readonly struct TickResult
    {
        /// <summary>Creates a summary.</summary>
        /// <param name="itemsRun">Queue entries the tick took and processed.</param>
        /// <param name="itemsLeft">Entries still queued when the tick ended.</param>
        /// <param name="elapsed">Time the tick took.</param>
        /// <param name="budgetExhausted">Whether the tick stopped because its budget was spent.</param>
        public TickResult(int itemsRun, int itemsLeft, TimeSpan elapsed, bool budgetExhausted)
        {
            ItemsRun = itemsRun;
            ItemsLeft = itemsLeft;
            Elapsed = elapsed;
            BudgetExhausted = budgetExhausted;
        }

        /// <summary>Queue entries the tick took and processed (work items, continuations, callbacks).</summary>
        public int ItemsRun { get; }

        /// <summary>Entries still queued when the tick ended; they run on a later tick, in order.</summary>
        public int ItemsLeft { get; }

        /// <summary>Wall-clock time the tick took.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>True when the tick stopped early because <see cref="MainLoopOptions.TickBudget"/> or <see cref="MainLoopOptions.MaxItemsPerTick"/> was spent.</summary>
        public bool BudgetExhausted { get; }

        /// <inheritdoc />
        public override string ToString() => $"ran {ItemsRun}, left {ItemsLeft}, {Elapsed.TotalMilliseconds:0.###} ms{(BudgetExhausted ? " (budget spent)" : "")}";
    }
}
