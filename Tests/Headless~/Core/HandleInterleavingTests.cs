using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using LoopBridge.Internal;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Systematic interleaving tests of the handle protocol. <see cref="LoopWorkItem.InterleavingPoint"/> is called at
    /// every step of the protocol (consumer claim, continuation registration, completion claim, publish, release,
    /// recycle, cancel); <see cref="Interleaver"/> pauses each controlled thread there and lets exactly one run at a
    /// time, in the order a schedule says. Two-thread scenarios explore every schedule (depth-first); three-thread
    /// scenarios run a fixed set of seeded random schedules. After each schedule the outcome is checked: the handle
    /// completed exactly once, at most one consumer got the outcome, nobody got default(T), and the pooled source was
    /// recycled exactly once (no extra release, no early recycle).
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public class HandleInterleavingTests
    {
        private const int Value = 42;

        private static readonly FieldInfo SourceField = typeof(LoopHandle<int>).GetField("source", BindingFlags.NonPublic | BindingFlags.Instance);
        private static readonly FieldInfo RefsField = typeof(LoopWorkItem).GetField("refs", BindingFlags.NonPublic | BindingFlags.Instance);

        public enum MainOp
        {
            Tick,
            Close,
        }

        public enum ConsumerOp
        {
            GetResult,
            Await,
            Callback,
            Cancel,
            Preserve,
            Status,
        }

        [TearDown]
        public void RemoveHook() => LoopWorkItem.InterleavingPoint = null;

        private static IEnumerable<TestCaseData> TwoThreadScenarios()
        {
            foreach (MainOp main in Enum.GetValues(typeof(MainOp)))
            {
                foreach (ConsumerOp op in Enum.GetValues(typeof(ConsumerOp)))
                {
                    yield return new TestCaseData(main, op).SetName($"Interleave_{main}_With_{op}");
                }
            }
        }

        [TestCaseSource(nameof(TwoThreadScenarios))]
        public void EverySchedule_TwoThreads_HandleCompletesOnceAndIsRecycledOnce(MainOp main, ConsumerOp op)
        {
            var explored = Explore(new[] { op }, main, exhaustive: true, maxSchedules: 20000);
            Assert.That(explored, Is.GreaterThan(1), "the scenario has more than one schedule");
            TestContext.WriteLine($"{explored} schedules explored");
        }

        private static IEnumerable<TestCaseData> ThreeThreadScenarios()
        {
            yield return new TestCaseData(MainOp.Tick, ConsumerOp.GetResult, ConsumerOp.GetResult).SetName("Interleave_Tick_RacingGetResults");
            yield return new TestCaseData(MainOp.Tick, ConsumerOp.Await, ConsumerOp.GetResult).SetName("Interleave_Tick_AwaitRacingGetResult");
            yield return new TestCaseData(MainOp.Tick, ConsumerOp.Callback, ConsumerOp.Await).SetName("Interleave_Tick_CallbackRacingAwait");
            yield return new TestCaseData(MainOp.Tick, ConsumerOp.GetResult, ConsumerOp.Cancel).SetName("Interleave_Tick_GetResultAndCancel");
            yield return new TestCaseData(MainOp.Close, ConsumerOp.GetResult, ConsumerOp.Await).SetName("Interleave_Close_GetResultRacingAwait");
            yield return new TestCaseData(MainOp.Tick, ConsumerOp.Preserve, ConsumerOp.GetResult).SetName("Interleave_Tick_PreserveRacingGetResult");
        }

        [TestCaseSource(nameof(ThreeThreadScenarios))]
        public void SeededSchedules_ThreeThreads_HandleCompletesOnceAndIsRecycledOnce(MainOp main, ConsumerOp a, ConsumerOp b)
        {
            var explored = Explore(new[] { a, b }, main, exhaustive: false, maxSchedules: 400);
            Assert.That(explored, Is.EqualTo(400));
        }

        /// <summary>The explorer can fail: a planted check-then-act race (two claims where one must win) is found.</summary>
        [Test]
        public void Explorer_FindsAPlantedRace()
        {
            var interleaver = new Interleaver();
            var found = false;
            var schedules = 0;
            interleaver.ExploreAll(maxSchedules: 1000, (prefix, trace) =>
            {
                schedules++;
                var claimed = 0;
                var winners = 0;
                void RacyClaim()
                {
                    var seen = Volatile.Read(ref claimed);
                    interleaver.Point("read");
                    if (seen == 0)
                    {
                        Volatile.Write(ref claimed, 1); // the bug: check and act are two steps
                        Interlocked.Increment(ref winners);
                    }
                }

                interleaver.Run(prefix, trace, new Action[] { null, null }, new Action[] { RacyClaim, RacyClaim });
                if (winners > 1)
                {
                    found = true;
                }
            });

            Assert.That(found, Is.True, $"the planted race was not found in {schedules} schedules");
        }

        /// <summary>Explores schedules of one scenario; returns how many ran. Fails on the first bad outcome.</summary>
        private static int Explore(ConsumerOp[] consumers, MainOp main, bool exhaustive, int maxSchedules)
        {
            var interleaver = new Interleaver();
            var count = 0;
            Action<IReadOnlyList<int>, List<(int Choice, int Count)>> once = (prefix, trace) =>
            {
                count++;
                RunOnce(interleaver, prefix, trace, consumers, main);
            };

            if (exhaustive)
            {
                interleaver.ExploreAll(maxSchedules, once);
                Assert.That(count, Is.LessThan(maxSchedules), "the exhaustive exploration did not finish within its bound");
            }
            else
            {
                interleaver.ExploreRandom(maxSchedules, seed: 12345, once);
            }

            return count;
        }

        private static void RunOnce(Interleaver interleaver, IReadOnlyList<int> prefix, List<(int Choice, int Count)> trace, ConsumerOp[] consumers, MainOp main)
        {
            var loop = new MainLoop(new MainLoopOptions { Name = "interleaving" });
            var unhandled = new ConcurrentQueue<Exception>();
            loop.UnhandledException += ex => unhandled.Enqueue(ex);
            var handle = loop.Run(() => Value);
            var source = (LoopWorkItem)SourceField.GetValue(handle);
            var generation = source.Generation;
            var outcomes = new ConcurrentQueue<string>();
            var contexts = new QueueingContext[consumers.Length];

            var prologues = new Action[consumers.Length + 1];
            var bodies = new Action[consumers.Length + 1];
            prologues[0] = loop.BindToCurrentThread;
            bodies[0] = main == MainOp.Tick ? () => loop.Tick() : (Action)loop.Dispose;
            for (var i = 0; i < consumers.Length; i++)
            {
                var op = consumers[i];
                var context = contexts[i] = new QueueingContext();
                prologues[i + 1] = () => SynchronizationContext.SetSynchronizationContext(context);
                bodies[i + 1] = () => Consume(handle, op, outcomes);
            }

            LoopWorkItem.InterleavingPoint = interleaver.Point;
            try
            {
                interleaver.Run(prefix, trace, prologues, bodies);
            }
            finally
            {
                LoopWorkItem.InterleavingPoint = null;
            }

            // Settle: continuations the consumers' contexts received run here; callbacks delivered to the main thread
            // run on the next tick; a handle nobody consumed is consumed here so its source can go back to the pool.
            loop.BindToCurrentThread();
            foreach (var context in contexts)
            {
                context.RunAll();
            }

            if (loop.IsOpen)
            {
                loop.Tick();
                loop.Tick();
            }

            var schedule = string.Join(",", trace.ConvertAll(t => t.Choice));
            var all = new List<string>(outcomes);
            var winners = all.FindAll(o => o.StartsWith("ok:", StringComparison.Ordinal) || o.StartsWith("outcome:", StringComparison.Ordinal));
            var description = $"{main} vs {string.Join("+", consumers)}, schedule [{schedule}]: {string.Join("; ", all)}";
            Assert.That(winners.Count, Is.LessThanOrEqualTo(1), "more than one consumer got the outcome: " + description);
            foreach (var o in all)
            {
                Assert.That(o, Does.Not.StartWith("BUG"), description);
            }

            var consumedByTest = false;
            if (winners.Count == 0 && !all.Exists(o => o == "preserved"))
            {
                // Nobody consumed it (timed out, rejected, or not a consumer): the handle must still be consumable.
                try
                {
                    var v = handle.GetResult(TimeSpan.Zero);
                    Assert.That(v, Is.EqualTo(Value), description);
                }
                catch (OperationCanceledException)
                {
                }

                consumedByTest = true;
            }

            loop.Dispose();
            Assert.That(loop.Statistics.Completed, Is.EqualTo(1), "the handle completed exactly once: " + description);
            Assert.That(unhandled, Is.Empty, description);
            if (all.Exists(o => o == "preserved"))
            {
                Assert.That(source.Generation, Is.EqualTo(generation), "a preserved source is never recycled: " + description);
            }
            else
            {
                Assert.That(source.Generation, Is.EqualTo(generation + 1), $"recycled exactly once (test consumed: {consumedByTest}): " + description);
                Assert.That((int)RefsField.GetValue(source), Is.EqualTo(0), "no extra release: " + description);
            }
        }

        private static void Consume(LoopHandle<int> handle, ConsumerOp op, ConcurrentQueue<string> outcomes)
        {
            switch (op)
            {
                case ConsumerOp.GetResult:
                    try
                    {
                        var v = handle.GetResult(TimeSpan.Zero);
                        outcomes.Enqueue(v == Value ? "ok:get" : $"BUG: GetResult returned {v}");
                    }
                    catch (TimeoutException)
                    {
                        outcomes.Enqueue("timeout");
                    }
                    catch (InvalidOperationException ex)
                    {
                        outcomes.Enqueue("rejected:get:" + ex.Message.Substring(0, 30));
                    }
                    catch (OperationCanceledException)
                    {
                        outcomes.Enqueue("outcome:canceled-get");
                    }

                    break;
                case ConsumerOp.Await:
                    try
                    {
                        var awaiter = handle.GetAwaiter();
                        awaiter.OnCompleted(() =>
                        {
                            try
                            {
                                var v = awaiter.GetResult();
                                outcomes.Enqueue(v == Value ? "ok:await" : $"BUG: await returned {v}");
                            }
                            catch (OperationCanceledException)
                            {
                                outcomes.Enqueue("outcome:canceled-await");
                            }
                            catch (Exception ex)
                            {
                                outcomes.Enqueue("BUG: await threw " + ex);
                            }
                        });
                    }
                    catch (InvalidOperationException)
                    {
                        outcomes.Enqueue("rejected:await");
                    }

                    break;
                case ConsumerOp.Callback:
                    try
                    {
                        handle.OnCompleted(o => outcomes.Enqueue(o.IsSucceeded
                            ? (o.Result == Value ? "ok:callback" : $"BUG: callback got {o.Result}")
                            : "outcome:" + o.Status));
                    }
                    catch (InvalidOperationException)
                    {
                        outcomes.Enqueue("rejected:callback");
                    }

                    break;
                case ConsumerOp.Cancel:
                    outcomes.Enqueue("cancel:" + handle.Cancel());
                    break;
                case ConsumerOp.Preserve:
                    try
                    {
                        handle.Preserve();
                        outcomes.Enqueue("preserved");
                    }
                    catch (InvalidOperationException)
                    {
                        outcomes.Enqueue("rejected:preserve");
                    }

                    break;
                case ConsumerOp.Status:
                    try
                    {
                        var st = handle.Status;
                        var done = handle.IsCompleted;
                        outcomes.Enqueue($"status:{st}:{done}");
                    }
                    catch (Exception ex)
                    {
                        outcomes.Enqueue("BUG: Status threw " + ex);
                    }

                    break;
            }
        }

        /// <summary>A SynchronizationContext that keeps posted continuations until the test runs them (so a consumer's await never resumes on an uncontrolled thread).</summary>
        private sealed class QueueingContext : SynchronizationContext
        {
            private readonly ConcurrentQueue<(SendOrPostCallback, object)> posted = new ConcurrentQueue<(SendOrPostCallback, object)>();

            public override void Post(SendOrPostCallback d, object state) => posted.Enqueue((d, state));

            public void RunAll()
            {
                while (posted.TryDequeue(out var p))
                {
                    p.Item1(p.Item2);
                }
            }
        }
    }

    /// <summary>
    /// Runs a few actions on their own threads one step at a time: a controlled thread pauses at each
    /// <see cref="Point"/> until the scheduler picks it. Which thread runs next is given by a schedule (a list of
    /// choices among the threads that are paused); explored depth-first (every schedule) or by seeded random choices.
    /// A thread paused at a "spin" point (waiting for another thread to finish a step) is only picked when no other
    /// thread can run, so spin-waits cannot livelock the exploration.
    /// </summary>
    internal sealed class Interleaver
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

        private readonly object gate = new object();
        private int[] threadIds = Array.Empty<int>();
        private bool[] paused = Array.Empty<bool>();
        private bool[] finished = Array.Empty<bool>();
        private string[] points = Array.Empty<string>();
        private int running = -1;

        /// <summary>The hook: pauses a controlled thread until the scheduler picks it. Other threads pass through.</summary>
        public void Point(string name)
        {
            var me = Array.IndexOf(threadIds, Environment.CurrentManagedThreadId);
            if (me < 0)
            {
                return;
            }

            lock (gate)
            {
                paused[me] = true;
                points[me] = name;
                running = -1;
                Monitor.PulseAll(gate);
                while (running != me)
                {
                    if (!Monitor.Wait(gate, HangGuard))
                    {
                        throw new TimeoutException("interleaver: a controlled thread was never resumed");
                    }
                }

                paused[me] = false;
            }
        }

        /// <summary>Every schedule, depth-first, up to <paramref name="maxSchedules"/>.</summary>
        public void ExploreAll(int maxSchedules, Action<IReadOnlyList<int>, List<(int Choice, int Count)>> runOnce)
        {
            var prefix = new List<int>();
            for (var n = 0; n < maxSchedules; n++)
            {
                var trace = new List<(int Choice, int Count)>();
                runOnce(prefix, trace);
                var i = trace.Count - 1;
                while (i >= 0 && trace[i].Choice + 1 >= trace[i].Count)
                {
                    i--;
                }

                if (i < 0)
                {
                    return;
                }

                prefix = new List<int>();
                for (var k = 0; k < i; k++)
                {
                    prefix.Add(trace[k].Choice);
                }

                prefix.Add(trace[i].Choice + 1);
            }
        }

        /// <summary><paramref name="schedules"/> schedules of seeded random choices.</summary>
        public void ExploreRandom(int schedules, int seed, Action<IReadOnlyList<int>, List<(int Choice, int Count)>> runOnce)
        {
            var random = new Random(seed);
            for (var n = 0; n < schedules; n++)
            {
                var prefix = new List<int>();
                for (var k = 0; k < 64; k++)
                {
                    prefix.Add(random.Next(1000));
                }

                runOnce(prefix, new List<(int Choice, int Count)>());
            }
        }

        /// <summary>
        /// Runs <paramref name="bodies"/> on one thread each (after its prologue, which runs unscheduled), picking at
        /// each step the thread <paramref name="prefix"/> says (modulo the choices available; 0 past its end), and
        /// records the choices made in <paramref name="trace"/>. Rethrows a body's exception.
        /// </summary>
        public void Run(IReadOnlyList<int> prefix, List<(int Choice, int Count)> trace, Action[] prologues, Action[] bodies)
        {
            var n = bodies.Length;
            var failures = new Exception[n];
            var started = new CountdownEvent(n);
            lock (gate)
            {
                threadIds = new int[n];
                paused = new bool[n];
                finished = new bool[n];
                points = new string[n];
                running = -1;
                for (var i = 0; i < n; i++)
                {
                    threadIds[i] = -1;
                }
            }

            var threads = new Thread[n];
            for (var i = 0; i < n; i++)
            {
                var index = i;
                threads[i] = new Thread(() =>
                {
                    lock (gate)
                    {
                        threadIds[index] = Environment.CurrentManagedThreadId;
                    }

                    try
                    {
                        prologues[index]?.Invoke();
                        started.Signal();
                        Point("start");
                        bodies[index]();
                    }
                    catch (Exception ex)
                    {
                        failures[index] = ex;
                    }
                    finally
                    {
                        lock (gate)
                        {
                            finished[index] = true;
                            running = -1;
                            Monitor.PulseAll(gate);
                        }
                    }
                }) { IsBackground = true, Name = "interleaved-" + i };
                threads[i].Start();
            }

            Assert.That(started.Wait(HangGuard), Is.True, "interleaver: threads did not start");
            var depth = 0;
            lock (gate)
            {
                while (true)
                {
                    // Quiescent: nobody running, every thread paused or finished.
                    while (running != -1 || !AllPausedOrFinished())
                    {
                        if (!Monitor.Wait(gate, HangGuard))
                        {
                            throw new AssertionException($"interleaver: a thread blocked outside a point (schedule so far: {Describe(trace)})");
                        }
                    }

                    var runnable = new List<int>();
                    for (var i = 0; i < n; i++)
                    {
                        if (paused[i] && points[i] != "spin")
                        {
                            runnable.Add(i);
                        }
                    }

                    if (runnable.Count == 0)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            if (paused[i])
                            {
                                runnable.Add(i);
                            }
                        }
                    }

                    if (runnable.Count == 0)
                    {
                        break;
                    }

                    var choice = depth < prefix.Count ? prefix[depth] % runnable.Count : 0;
                    trace.Add((choice, runnable.Count));
                    depth++;
                    Assert.That(depth, Is.LessThan(500), "interleaver: no progress (livelock?) " + Describe(trace));
                    running = runnable[choice];
                    Monitor.PulseAll(gate);
                }

                threadIds = Array.Empty<int>();
            }

            foreach (var t in threads)
            {
                Assert.That(t.Join(HangGuard), Is.True, "interleaver: a thread did not finish");
            }

            foreach (var f in failures)
            {
                if (f != null)
                {
                    throw new AssertionException($"interleaved body threw (schedule {Describe(trace)}): {f}");
                }
            }
        }

        private bool AllPausedOrFinished()
        {
            for (var i = 0; i < paused.Length; i++)
            {
                if (!paused[i] && !finished[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static string Describe(List<(int Choice, int Count)> trace) => string.Join(",", trace.ConvertAll(t => $"{t.Choice}/{t.Count}"));
    }
}
