// <snippet:editor-tool>
using System.IO;
using System.Threading;
using LoopBridge;
using UnityEditor;
using UnityEngine;

public sealed class AssetCounter : EditorWindow
{
    string status = "Idle";

    [MenuItem("Tools/Asset Counter")]
    static void Open() => GetWindow<AssetCounter>("Asset Counter");

    void OnGUI()
    {
        GUILayout.Label(status);
        if (GUILayout.Button("Count"))
        {
            var loop = EditorMainLoop.Current;  // ticks in edit mode, play mode and pause
            var root = Application.dataPath;    // Unity API: read it here, on the main thread
            new Thread(() => Count(loop, root)) { IsBackground = true }.Start();
        }
    }

    // A worker thread.
    void Count(MainLoop loop, string root)
    {
        var n = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (++n % 500 == 0 && !loop.TryPost((window: this, n), s => s.window.Show($"{s.n} files...")))
            {
                return;                         // the loop closed (scripts are reloading): stop
            }
        }

        loop.TryPost((window: this, n), s => s.window.Show($"{s.n} files"));
    }

    // The main thread.
    void Show(string text)
    {
        if (!this)
        {
            return;                             // the window was closed meanwhile
        }

        status = text;
        Repaint();
    }
}
// </snippet>
