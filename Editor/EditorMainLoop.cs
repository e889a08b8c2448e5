#nullable enable
using System;
using System.Diagnostics.CodeAnalysis;
using Unity.Profiling;
using UnityEditor;

namespace LoopBridge
{
    /// <summary>
    /// The editor loop: a <see cref="MainLoop"/> for editor tools, ticked from
    /// <c>EditorApplication.update</c> in edit mode, in play mode and while play mode is paused.
    /// Also the editor's side of the play-mode loop's life cycle (see <see cref="UnityMainLoop"/>).
    /// </summary>
    /// <remarks>
    /// <para><b>Two loops.</b> The editor loop is separate from the play-mode loop
    /// (<see cref="UnityMainLoop.Main"/>): each is ticked by exactly one driver, so no loop runs
    /// twice in a frame. The editor never ticks the play-mode loop; the PlayerLoop never ticks the
    /// editor loop. Work for scene objects in play mode belongs on the play-mode loop (it stops with
    /// play mode); work for editor windows and assets belongs here.</para>
    /// <para><b>Life cycle.</b> Created on the main thread when the editor loads a domain
    /// (<c>[InitializeOnLoadMethod]</c>). Closed with <see cref="CloseReason.DomainReload"/> at
    /// <c>AssemblyReloadEvents.beforeAssemblyReload</c> (script changes, and entering play mode
    /// unless domain reload is disabled) and with <see cref="CloseReason.EngineShutdown"/> when the
    /// editor quits; the next domain creates a new one.</para>
    /// <para><b>Play-mode hooks.</b> Leaving play mode (<c>PlayModeStateChange.ExitingPlayMode</c>)
    /// closes the play-mode loop with <see cref="CloseReason.ExitingPlayMode"/>, and only that loop;
    /// a domain reload closes it with <see cref="CloseReason.DomainReload"/>. Worker threads
    /// blocked on either loop's handles wake up, so a reload never waits on them.</para>
    /// <para><b>Recompile during play.</b> A domain loaded while play mode runs ("Recompile And
    /// Continue Playing") also starts a fresh play-mode loop (the reload closed the previous one with
    /// <see cref="CloseReason.DomainReload"/>), so <see cref="UnityMainLoop.Main"/> keeps working.</para>
    /// <para><b>Cadence.</b> Unity documents <c>EditorApplication.update</c> as "not called at a fixed
    /// rate": when the editor is idle and unfocused it may run only a few times per second, so
    /// editor-loop latency can approach a second. Do not rely on it for timing.</para>
    /// <para>Every editor event is subscribed exactly once per domain, and removed when the domain
    /// reloads, so handlers never pile up, with or without domain reload.</para>
    /// </remarks>
    public static class EditorMainLoop
    {
        /// <summary>The name of the Profiler marker around every tick of the editor loop.</summary>
        public const string ProfilerMarkerName = "LoopBridge.EditorTick";

        /// <summary>The editor loop's name (<see cref="MainLoopOptions.Name"/>).</summary>
        public const string LoopName = "Unity editor loop";

        static readonly ProfilerMarker s_TickMarker = new ProfilerMarker(ProfilerMarkerName);

        // Written on the main thread only (domain load), read from any thread.
        static volatile MainLoop? s_Loop;

        /// <summary>The editor loop of this domain.</summary>
        /// <remarks>
        /// Any thread. Exists from the moment the editor loaded the domain. After it closed (domain
        /// reload, editor quit) it still returns the closed loop, whose submissions fail at once with
        /// <see cref="LoopClosedException"/>; the next domain has a new one, so do not keep it in
        /// state that survives a reload.
        /// </remarks>
        /// <exception cref="InvalidOperationException">Called before the editor initialised LoopBridge.Editor (for example from another [InitializeOnLoad] type that ran first).</exception>
        public static MainLoop Current
        {
            get
            {
                return s_Loop ?? throw new InvalidOperationException(
                    "LoopBridge: the editor loop is created by [InitializeOnLoadMethod] of LoopBridge.Editor and does not exist yet.");
            }
        }

        /// <summary>Gets the loop <see cref="Current"/> would return, without throwing.</summary>
        /// <param name="loop">The editor loop (possibly already closed), or null.</param>
        /// <returns>False before the editor initialised LoopBridge.Editor in this domain.</returns>
        /// <remarks>Any thread.</remarks>
        public static bool TryGetCurrent([NotNullWhen(true)] out MainLoop? loop)
        {
            loop = s_Loop;
            return loop != null;
        }

        /// <summary>
        /// Domain load: creates the editor loop (unless an open one already exists) and subscribes
        /// every editor event once. Idempotent; the editor calls it on the main thread.
        /// </summary>
        [InitializeOnLoadMethod]
        static void OnDomainLoaded()
        {
            var loop = s_Loop;
            if (loop == null || !loop.IsOpen)
            {
                loop = new MainLoop(new MainLoopOptions { Name = LoopName });
                loop.UnhandledException += ReportUnhandledException;
                s_Loop = loop;
            }
            Unsubscribe();
            EditorApplication.update += OnEditorUpdate;
            EditorApplication.playModeStateChanged += OnPlayModeStateChanged;
            EditorApplication.quitting += OnEditorQuitting;
            AssemblyReloadEvents.beforeAssemblyReload += OnBeforeAssemblyReload;

            // "Recompile And Continue Playing": this domain replaces one that ran play mode, and Unity
            // runs no RuntimeInitializeOnLoadMethod now, so the play-mode loop is restarted here.
            if (EditorApplication.isPlaying)
                UnityMainLoop.RecoverAfterDomainReload();
        }

        static void Unsubscribe()
        {
            // Removing a handler that is not subscribed is a no-op, so this is safe to repeat.
            EditorApplication.update -= OnEditorUpdate;
            EditorApplication.playModeStateChanged -= OnPlayModeStateChanged;
            EditorApplication.quitting -= OnEditorQuitting;
            AssemblyReloadEvents.beforeAssemblyReload -= OnBeforeAssemblyReload;
        }

        static void OnEditorUpdate()
        {
            var loop = s_Loop;
            if (loop == null || loop.State == LoopState.Closed)
                return; // a close started on another thread is finished by this tick
            using (s_TickMarker.Auto())
            {
                loop.Tick();
            }
        }

        static void OnPlayModeStateChanged(PlayModeStateChange change)
        {
            if (change == PlayModeStateChange.ExitingPlayMode && UnityMainLoop.TryGetMain(out var playLoop))
                playLoop.Close(CloseReason.ExitingPlayMode);
        }

        static void OnBeforeAssemblyReload()
        {
            // Both loops, so no worker thread blocked on either keeps the reload waiting. The play
            // loop first: its work may be waiting on editor-loop work, never the other way round.
            if (UnityMainLoop.TryGetMain(out var playLoop))
                playLoop.Close(CloseReason.DomainReload);
            s_Loop?.Close(CloseReason.DomainReload);
            Unsubscribe();
        }

        static void OnEditorQuitting()
        {
            if (UnityMainLoop.TryGetMain(out var playLoop))
                playLoop.Close(CloseReason.EngineShutdown);
            s_Loop?.Close(CloseReason.EngineShutdown);
            Unsubscribe();
        }

        static void ReportUnhandledException(Exception exception) => UnityEngine.Debug.LogException(exception);
    }
}
