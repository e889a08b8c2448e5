using System;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// The exactly-once account of one producer: every submission gets a slot, every completion increments its slot
    /// and one outcome counter. A slot left at 0 is a handle that never completed (missing); a slot above 1 is a
    /// handle completed twice (double). Thread-safe: producers register from their threads, completions arrive on
    /// the main thread or, for blocking waits, on the waiting worker.
    /// </summary>
    public sealed class HandleLedger
    {
        const int SegmentBits = 12;
        const int SegmentSize = 1 << SegmentBits;

        readonly object grow = new object();
        int[]?[] segments = new int[]?[16];
        int submitted;
        long ran;
        long faulted;
        long cancelled;
        long failedByClose;
        long completions;

        /// <summary>Creates the ledger of the producer called <paramref name="name"/>.</summary>
        public HandleLedger(string name) => Name = name;

        /// <summary>The producer's name, as printed in the account.</summary>
        public string Name { get; }

        /// <summary>Handles submitted so far.</summary>
        public int Submitted => Volatile.Read(ref submitted);

        /// <summary>Completions recorded so far (with doubles, if any).</summary>
        public long Completions => Interlocked.Read(ref completions);

        /// <summary>Completions that ran to success.</summary>
        public long Ran => Interlocked.Read(ref ran);

        /// <summary>Completions that faulted with an exception of the work itself.</summary>
        public long Faulted => Interlocked.Read(ref faulted);

        /// <summary>Completions cancelled by their own token (or <c>Cancel()</c>) before running.</summary>
        public long Cancelled => Interlocked.Read(ref cancelled);

        /// <summary>Completions failed by the loop's close (<see cref="LoopClosedException"/>).</summary>
        public long FailedByClose => Interlocked.Read(ref failedByClose);

        /// <summary>Reserves the slot of a new submission; call it just before submitting.</summary>
        public int Register()
        {
            int id = Interlocked.Increment(ref submitted) - 1;
            int segment = id >> SegmentBits;
            if (segment >= Volatile.Read(ref segments).Length || Volatile.Read(ref segments)[segment] == null)
            {
                lock (grow)
                {
                    var current = segments;
                    if (segment >= current.Length)
                    {
                        Array.Resize(ref current, Math.Max(current.Length * 2, segment + 1));
                    }

                    current[segment] ??= new int[SegmentSize];
                    Volatile.Write(ref segments, current);
                }
            }

            return id;
        }

        /// <summary>Records the outcome of the handle in slot <paramref name="id"/>.</summary>
        public void Complete(int id, UniTaskStatus status, Exception? exception)
        {
            int[] segment = Volatile.Read(ref segments)[id >> SegmentBits]!;
            Interlocked.Increment(ref segment[id & (SegmentSize - 1)]);
            if (status == UniTaskStatus.Succeeded)
            {
                Interlocked.Increment(ref ran);
            }
            else if (IsLoopClosed(exception))
            {
                Interlocked.Increment(ref failedByClose);
            }
            else if (status == UniTaskStatus.Canceled || exception is OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
            }
            else
            {
                Interlocked.Increment(ref faulted);
            }

            // Last: Completions is the "finished" signal the session waits on (Completions == Submitted) before it
            // prints the account, so every count above must already be visible when it moves.
            Interlocked.Increment(ref completions);
        }

        /// <summary>Records the outcome of a blocking wait that threw <paramref name="exception"/>.</summary>
        public void Complete(int id, Exception exception)
            => Complete(id, exception is OperationCanceledException ? UniTaskStatus.Canceled : UniTaskStatus.Faulted, exception);

        /// <summary>Registers <paramref name="handle"/> and counts its completion through its completion callback.</summary>
        public void Track<T>(int id, LoopHandle<T> handle)
            => handle.OnCompleted(outcome => Complete(id, outcome.Status, outcome.Exception));

        /// <summary>Registers <paramref name="handle"/> and counts its completion through its completion callback.</summary>
        public void Track(int id, LoopHandle handle)
            => handle.OnCompleted(outcome => Complete(id, outcome.Status, outcome.Exception));

        /// <summary>Counts the slots never completed and the slots completed more than once.</summary>
        public (int Missing, int Double) Audit()
        {
            int count = Submitted;
            var current = Volatile.Read(ref segments);
            int missing = 0, twice = 0;
            for (int id = 0; id < count; id++)
            {
                int[]? segment = current[id >> SegmentBits];
                int value = segment == null ? 0 : Volatile.Read(ref segment[id & (SegmentSize - 1)]);
                if (value == 0)
                {
                    missing++;
                }
                else if (value > 1)
                {
                    twice++;
                }
            }

            return (missing, twice);
        }

        static bool IsLoopClosed(Exception? exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is LoopClosedException)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
