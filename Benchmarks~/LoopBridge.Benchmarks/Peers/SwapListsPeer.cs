using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace LoopBridge.Benchmarks.Peers
{
    /// <summary>
    /// How Unity's <c>UnitySynchronizationContext</c> drains: producers add to a list under a
    /// <c>lock</c>; the tick swaps it with a second list under the lock and runs the swapped-out
    /// list outside it. Results through a <see cref="TaskCompletionSource{TResult}"/>.
    /// </summary>
    internal sealed class SwapListsPeer : TaskPeer
    {
        private readonly object _gate = new object();
        private List<Action> _pending = new List<Action>(64);
        private List<Action> _running = new List<Action>(64);

        public override string Name => "lock + two swapped lists + TCS";

        public override Task<int> Submit(int arg, Func<int, int> fn)
        {
            var tcs = new TaskCompletionSource<int>();
            Action action = Wrap(arg, fn, tcs);
            lock (_gate)
            {
                _pending.Add(action);
            }
            return tcs.Task;
        }

        public override int Tick()
        {
            lock (_gate)
            {
                var swap = _running;
                _running = _pending;
                _pending = swap;
            }
            var run = _running;
            int n = run.Count;
            for (int i = 0; i < n; i++)
            {
                run[i].Invoke();
            }
            run.Clear();
            return n;
        }
    }
}
