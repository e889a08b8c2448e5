using System;
using System.Collections.Generic;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>A source of work for the loop, running on its own threads, with one ledger per kind of work.</summary>
    public interface IProducer
    {
        /// <summary>The ledgers of the handles this producer submitted.</summary>
        IReadOnlyList<HandleLedger> Ledgers { get; }

        /// <summary>Starts producing. Called once, from the console thread.</summary>
        void Start();

        /// <summary>
        /// Stops producing and waits (up to <paramref name="timeout"/>) until no thread of the producer can submit any
        /// more; returns <see langword="false"/> on timeout. Called once, after the loop was closed.
        /// </summary>
        bool StopAndJoin(TimeSpan timeout);

        /// <summary>A line about what the producer did beyond its handles (datagrams sent, files written), or <see langword="null"/>.</summary>
        string? Describe();
    }
}
