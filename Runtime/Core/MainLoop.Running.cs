#nullable enable
using System.Collections.Generic;
using System.Threading;
using LoopBridge.Internal;

namespace LoopBridge
{
    public sealed partial class MainLoop
    {
        /// <summary>Guards the registry fields below (and the registry links of the items in it). Never held while user code runs.</summary>
        private readonly object registryGate = new object();

        /// <summary>The most recently started async work still running (a doubly linked list through the items), or null.</summary>
        private LoopWorkItem? runningHead;

        /// <summary>Items in the registry. Written under <see cref="registryGate"/>; read without it as a moment's value.</summary>
        private int runningCount;

        /// <summary>Set once by the close's finish: from then on no async work may start.</summary>
        private bool registryClosed;

        /// <summary>Started async work not yet ended (what the close's grace period waits for). Any thread; a moment's value.</summary>
        private int RunningCount => Volatile.Read(ref runningCount);

        /// <summary>Registers started async work; false once the close has failed the running work (then it must not start).</summary>
        internal bool TryAddRunning(LoopWorkItem item)
        {
            lock (registryGate)
            {
                if (registryClosed)
                {
                    return false;
                }

                item.RegistryNext = runningHead;
                if (runningHead != null)
                {
                    runningHead.RegistryPrevious = item;
                }

                runningHead = item;
                item.InRegistry = true;
                Volatile.Write(ref runningCount, runningCount + 1);
            }

            return true;
        }

        /// <summary>Async work ended (or was failed by the close and has now really ended): forget it. Any thread.</summary>
        internal void RemoveRunning(LoopWorkItem item)
        {
            lock (registryGate)
            {
                if (!item.InRegistry)
                {
                    return;
                }

                Unlink(item);
                Volatile.Write(ref runningCount, runningCount - 1);
            }

            // Wakes a grace period waiting for started work to end (the signal is never disposed, so a late set is harmless).
            if (Volatile.Read(ref stateWord) != 0)
            {
                Volatile.Read(ref closeInfo)?.Signal.Set();
            }
        }

        /// <summary>Closes the registry and empties it: the running work that the close now fails (null when none).</summary>
        private List<LoopWorkItem>? TakeAllRunning()
        {
            List<LoopWorkItem>? running = null;
            lock (registryGate)
            {
                registryClosed = true;
                for (var item = runningHead; item != null;)
                {
                    var next = item.RegistryNext;
                    // Pinned: the close fails it after reporting it (user code), and the work may end
                    // and its item be recycled meanwhile; the pin keeps this use alive until the close is done with it.
                    item.PinForClose();
                    (running ??= new List<LoopWorkItem>()).Add(item);
                    Unlink(item);
                    item = next;
                }

                Volatile.Write(ref runningCount, 0);
            }

            return running;
        }

        private void Unlink(LoopWorkItem item)
        {
            if (item.RegistryPrevious != null)
            {
                item.RegistryPrevious.RegistryNext = item.RegistryNext;
            }
            else
            {
                runningHead = item.RegistryNext;
            }

            if (item.RegistryNext != null)
            {
                item.RegistryNext.RegistryPrevious = item.RegistryPrevious;
            }

            item.RegistryPrevious = null;
            item.RegistryNext = null;
            item.InRegistry = false;
        }
    }
}
