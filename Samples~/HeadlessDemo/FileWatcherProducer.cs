using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// A <see cref="FileSystemWatcher"/> on a fresh temp folder whose events (raised on thread-pool threads) are
    /// submitted to the loop, like an asset hot-reload; a writer thread creates a file every 100 ms.
    /// </summary>
    public sealed class FileWatcherProducer : IProducer
    {
        readonly HeadlessRunner runner;
        readonly World world;
        readonly HandleLedger ledger = new HandleLedger("files");
        readonly string folder = Path.Combine(Path.GetTempPath(), "loopbridge-demo-" + Guid.NewGuid().ToString("N"));
        readonly ManualResetEventSlim stop = new ManualResetEventSlim(false);
        readonly Thread writer;
        readonly FileSystemWatcher watcher;
        int written;
        int seen;
        int watcherErrors;

        /// <remarks>
        /// Event handlers currently inside their body: a watcher may still be delivering an event while it is
        /// disposed, so the stop waits for this to drop to zero before the ledger is audited.
        /// </remarks>
        int handlersRunning;
        int stopped;

        /// <summary>Creates the folder and the watcher (not yet raising events).</summary>
        public FileWatcherProducer(HeadlessRunner runner, World world)
        {
            this.runner = runner;
            this.world = world;
            Directory.CreateDirectory(folder);
            watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName, IncludeSubdirectories = false };
            watcher.Created += OnCreated;
            watcher.Error += (_, _) => Interlocked.Increment(ref watcherErrors);
            writer = new Thread(WriteLoop) { IsBackground = true, Name = "demo file writer" };
        }

        /// <inheritdoc />
        public IReadOnlyList<HandleLedger> Ledgers => new[] { ledger };

        /// <inheritdoc />
        public void Start()
        {
            watcher.EnableRaisingEvents = true;
            writer.Start();
        }

        /// <inheritdoc />
        public bool StopAndJoin(TimeSpan timeout)
        {
            stop.Set();
            bool joined = writer.Join(timeout);
            Interlocked.Exchange(ref stopped, 1); // a full fence: pairs with the handlers' increment, then read
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
            var spin = new SpinWait();
            var deadline = DateTime.UtcNow + timeout;
            while (Volatile.Read(ref handlersRunning) != 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    joined = false;
                    break;
                }

                spin.SpinOnce();
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; the account is what matters.
            }

            return joined;
        }

        /// <inheritdoc />
        public string? Describe()
            => $"files: {Volatile.Read(ref written)} written, {Volatile.Read(ref seen)} seen by the watcher"
               + (watcherErrors > 0 ? $", {watcherErrors} watcher errors" : string.Empty);

        void OnCreated(object sender, FileSystemEventArgs e)
        {
            Interlocked.Increment(ref handlersRunning);
            try
            {
                if (Volatile.Read(ref stopped) != 0)
                {
                    return;
                }

                Interlocked.Increment(ref seen);
                int id = ledger.Register();
                var handle = runner.Loop.Run((e.Name ?? string.Empty, Stamp.Now(runner)), world.LoadFile);
                ledger.Track(id, handle);
            }
            finally
            {
                Interlocked.Decrement(ref handlersRunning);
            }
        }

        void WriteLoop()
        {
            for (int n = 0; !stop.Wait(100); n++)
            {
                File.WriteAllText(Path.Combine(folder, $"level-{n:D4}.json"), "{ \"spawn\": " + n + " }");
                Interlocked.Increment(ref written);
            }
        }
    }
}
