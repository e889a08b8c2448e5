using System;
using System.IO;
using System.Threading;
using UnityEditor;
using UnityEngine;

namespace LoopBridge.Samples.EditorTool
{
    /// <summary>
    /// An editor window that scans a folder on a worker thread and reports progress on the main
    /// thread through the editor loop (<see cref="EditorMainLoop"/>), which ticks in edit mode,
    /// play mode and pause alike. A domain reload (a script change) closes the editor loop: the
    /// worker sees its Closing token cancelled and stops, so the reload never waits on it.
    /// </summary>
    public sealed class FileScanWindow : EditorWindow
    {
        string _folder = "Assets";
        string _status = "Idle";
        CancellationTokenSource _scan;

        [MenuItem("Window/LoopBridge Samples/File Scanner")]
        static void Open() => GetWindow<FileScanWindow>("File Scanner");

        void OnGUI()
        {
            _folder = EditorGUILayout.TextField("Folder", _folder);
            GUILayout.Label(_status);
            if (_scan == null)
            {
                if (GUILayout.Button("Scan"))
                    StartScan();
            }
            else if (GUILayout.Button("Cancel"))
            {
                _scan.Cancel();
            }
        }

        void OnDisable() => _scan?.Cancel();

        // Main thread.
        void StartScan()
        {
            var loop = EditorMainLoop.Current;
            // Stops on Cancel, when the window closes, and when the editor loop closes (domain reload).
            var scan = CancellationTokenSource.CreateLinkedTokenSource(loop.Closing);
            _scan = scan;
            _status = "Scanning...";
            var root = Path.GetFullPath(_folder);
            new Thread(() => Scan(loop, root, scan)) { IsBackground = true, Name = "LoopBridge file scan" }.Start();
        }

        // Worker thread: no Unity API here, only file I/O and hand-overs to the main thread.
        void Scan(MainLoop loop, string root, CancellationTokenSource scan)
        {
            string outcome;
            var files = 0;
            long bytes = 0;
            try
            {
                foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    scan.Token.ThrowIfCancellationRequested();
                    files++;
                    bytes += new FileInfo(path).Length;
                    if (files % 500 == 0)
                    {
                        var progress = $"Scanning... {files} files, {bytes / 1024} KiB";
                        // Fire and forget; false once the loop has closed, so stop.
                        if (!loop.TryPost(() => Show(scan, progress, finished: false)))
                            return;
                    }
                }
                outcome = $"{files} files, {bytes / 1024} KiB in {root}";
            }
            catch (OperationCanceledException)
            {
                outcome = $"Cancelled after {files} files";
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                outcome = "Failed: " + e.Message;
            }
            loop.TryPost(() => Show(scan, outcome, finished: true));
        }

        // Main thread (run by the editor loop's tick).
        void Show(CancellationTokenSource scan, string status, bool finished)
        {
            if (!this || _scan != scan)
                return; // window closed, or a newer scan started
            _status = status;
            if (finished)
            {
                _scan = null;
                scan.Dispose();
            }
            Repaint();
        }
    }
}
