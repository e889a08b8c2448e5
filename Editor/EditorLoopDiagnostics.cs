#nullable enable
using System.Diagnostics;
using UnityEditor;

namespace LoopBridge
{
    /// <summary>
    /// The editor's side of <see cref="LoopDiagnostics"/>: tells the play-mode loop when play mode is paused (so it shows
    /// as <see cref="LoopActivity.Paused"/>, not stalled), sends the editor loop's reports to <c>Debug.LogWarning</c>, and
    /// checks the play-mode loop for stalls from the editor loop's ticks, which keep coming when the PlayerLoop does not
    /// (play mode paused, or the LoopBridge system removed by other code).
    /// </summary>
    /// <remarks>
    /// Rides on the editor loop's <see cref="LoopDiagnostics.TickCompleted"/> (once per editor frame, from
    /// <c>EditorApplication.update</c>) instead of subscribing editor events of its own: the editor loop is new in every
    /// domain and closes before a reload, so nothing piles up. Each editor frame costs a few reads; the stall check runs
    /// at most twice a second; nothing is allocated. Main thread.
    /// </remarks>
    public static class EditorLoopDiagnostics
    {
        static readonly long s_CheckEvery = Stopwatch.Frequency / 2;
        static readonly System.Action<LoopDiagnostics> s_OnEditorTick = OnEditorTick;
        static readonly EditorApplication.CallbackFunction s_AttachLater = AttachToEditorLoop;
        static long s_NextCheck;

        [InitializeOnLoadMethod]
        static void OnLoad()
        {
            // [InitializeOnLoadMethod]s run in no guaranteed order: if the editor loop does not exist yet, attach once the
            // editor has finished loading the domain.
            if (!AttachToEditorLoopIfPresent())
            {
                EditorApplication.delayCall -= s_AttachLater;
                EditorApplication.delayCall += s_AttachLater;
            }
        }

        static void AttachToEditorLoop() => AttachToEditorLoopIfPresent();

        static bool AttachToEditorLoopIfPresent()
        {
            // Only an open loop: a closed one is the previous domain's (its statics survive where Unity's would not),
            // and the new one is created later in this domain load.
            if (!EditorMainLoop.TryGetCurrent(out var editor) || !editor.IsOpen)
                return false;
            UnityLoopDiagnostics.Attach(editor);
            editor.Diagnostics.TickCompleted -= s_OnEditorTick;
            editor.Diagnostics.TickCompleted += s_OnEditorTick;
            return true;
        }

        static void OnEditorTick(LoopDiagnostics editor)
        {
            if (!UnityMainLoop.TryGetMain(out var play) || !play.IsOpen)
                return;
            play.Diagnostics.IsHostPaused = EditorApplication.isPaused;

            var now = Stopwatch.GetTimestamp();
            if (now < s_NextCheck)
                return;
            s_NextCheck = now + s_CheckEvery;
            play.Diagnostics.CheckStalls();
        }
    }
}
