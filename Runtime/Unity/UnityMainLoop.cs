#nullable enable
using System;
using System.Diagnostics.CodeAnalysis;
using Unity.Profiling;
using UnityEngine;
using UnityEngine.LowLevel;

namespace LoopBridge
{
    /// <summary>
    /// The play-mode loop: the <see cref="MainLoop"/> that Unity's PlayerLoop ticks once per frame,
    /// in players and in the editor's play mode. Submit to it from any thread
    /// (<c>UnityMainLoop.Main.Run(...)</c>) to run work on Unity's main thread.
    /// </summary>
    /// <remarks>
    /// <para><b>Life cycle.</b> A new, open loop is created on the main thread at
    /// <see cref="RuntimeInitializeLoadType.SubsystemRegistration"/>, before the first scene loads,
    /// every time a player or play mode starts, including with Enter Play Mode Options and domain
    /// reload disabled: all static state is reset there, and a loop a previous play session left
    /// open is closed first (<see cref="CloseReason.ExitingPlayMode"/>).</para>
    /// <para><b>Ticking.</b> A <c>PlayerLoopSystem</c> of type <see cref="LoopBridgeTick"/> is
    /// inserted as the first system of the <see cref="Timing"/> phase (default <c>Update</c>) and
    /// ticks the loop once per frame, inside the Profiler marker <c>"LoopBridge.Tick"</c>. Nothing
    /// else ticks this loop, so it never runs twice in a frame, and it does not run while the
    /// editor is paused (editor tools use the editor loop of <c>LoopBridge.Editor</c>, which
    /// keeps ticking).</para>
    /// <para><b>Closing.</b> <c>Application.quitting</c> closes it with
    /// <see cref="CloseReason.EngineShutdown"/>; in the editor, LoopBridge.Editor closes it with
    /// <see cref="CloseReason.ExitingPlayMode"/> when play mode ends and with
    /// <see cref="CloseReason.DomainReload"/> before a domain reload; user code may
    /// <see cref="MainLoop.Dispose"/> it. Closing fails every outstanding handle, so blocked worker
    /// threads wake up. A close on the main thread removes the system from the PlayerLoop at once.
    /// A close from another thread, or from work running inside the loop's own tick (where editing
    /// the PlayerLoop that is executing is not safe), leaves the system in place but inert (it no
    /// longer ticks anything); <c>Application.quitting</c> or the next play session removes it.</para>
    /// <para><b>Errors.</b> Exceptions from fire-and-forget work (<see cref="MainLoop.UnhandledException"/>)
    /// are logged with <c>Debug.LogException</c>.</para>
    /// </remarks>
    public static class UnityMainLoop
    {
        /// <summary>The name of the Profiler marker around every tick of the play-mode loop.</summary>
        public const string ProfilerMarkerName = "LoopBridge.Tick";

        /// <summary>The loop's name (<see cref="MainLoopOptions.Name"/>), as it appears in logs and statistics.</summary>
        public const string LoopName = "Unity player loop";

        // Created once and cached: ProfilerMarker creation registers a native marker, and
        // Auto() on a cached marker returns a struct, so a tick allocates nothing.
        static readonly ProfilerMarker s_TickMarker = new ProfilerMarker(ProfilerMarkerName);

        // One delegate for the lifetime of the domain: the PlayerLoopSystem keeps a reference to it,
        // and a fresh method-group conversion per install would allocate.
        static readonly PlayerLoopSystem.UpdateFunction s_Update = OnPlayerLoopUpdate;

        // Written only on the main thread (initialisation, Timing), read from any thread.
        static volatile MainLoop? s_Loop;
        static Type s_Timing = typeof(UnityEngine.PlayerLoop.Update);

        // True while OnPlayerLoopUpdate runs (main thread only): the PlayerLoop is executing our
        // system, so it must not be edited; a close from inside the tick leaves the system inert.
        static bool s_Ticking;

        /// <summary>
        /// The play-mode loop of the current (or, after it ended, the last) play session.
        /// </summary>
        /// <remarks>
        /// Any thread. Exists from <see cref="RuntimeInitializeLoadType.SubsystemRegistration"/> of the
        /// first play session (or player start) in this domain. After it closed, it still returns that
        /// closed loop (submissions fail at once with <see cref="LoopClosedException"/>, rather than a
        /// <see cref="NullReferenceException"/>) until the next play session replaces it with a new, open
        /// loop: do not cache it across play sessions.
        /// </remarks>
        /// <exception cref="InvalidOperationException">
        /// No play session has started in this domain (for example in the editor's edit mode: use
        /// <c>EditorMainLoop.Current</c> of the LoopBridge.Editor assembly there).
        /// </exception>
        public static MainLoop Main
        {
            get
            {
                return s_Loop ?? throw new InvalidOperationException(
                    "LoopBridge: there is no play-mode loop yet. It is created when a player or play mode starts " +
                    "(RuntimeInitializeLoadType.SubsystemRegistration); in edit mode use EditorMainLoop.Current from LoopBridge.Editor.");
            }
        }

        /// <summary>
        /// Gets the loop <see cref="Main"/> would return, without throwing.
        /// </summary>
        /// <param name="loop">The play-mode loop (possibly already closed), or null.</param>
        /// <returns>False when no play session has started in this domain.</returns>
        /// <remarks>Any thread.</remarks>
        public static bool TryGetMain([NotNullWhen(true)] out MainLoop? loop)
        {
            loop = s_Loop;
            return loop != null;
        }

        /// <summary>
        /// The PlayerLoop phase whose first system ticks the loop: a type from
        /// <c>UnityEngine.PlayerLoop</c> (default <c>typeof(UnityEngine.PlayerLoop.Update)</c>), or any
        /// other system type present in the current player loop. Reset to the default at the start of
        /// each play session.
        /// </summary>
        /// <remarks>
        /// Main thread only (Unity's PlayerLoop API is). Assigning moves the LoopBridge system at
        /// once, without duplicating it; assigning the current value re-inserts it, which is how to
        /// restore it after other code replaced the whole player loop.
        /// </remarks>
        /// <exception cref="ArgumentNullException">The value is null.</exception>
        /// <exception cref="ArgumentException">No system of that type exists in the current player loop, or it is <see cref="LoopBridgeTick"/> itself.</exception>
        public static Type Timing
        {
            get => s_Timing;
            set
            {
                if (value == null)
                    throw new ArgumentNullException(nameof(value));
                if (PlayerLoopEditing.IsLoopBridgeSystem(value))
                    throw new ArgumentException("LoopBridge: the timing must be a phase of the player loop, not the LoopBridge system itself.", nameof(value));
                if (!PlayerLoopEditing.Contains(PlayerLoop.GetCurrentPlayerLoop(), value))
                    throw new ArgumentException($"LoopBridge: the current player loop has no system of type {value.FullName}.", nameof(value));
                s_Timing = value;
                var loop = s_Loop;
                if (loop != null && loop.IsOpen)
                    Install(value);
            }
        }

        /// <summary>
        /// Starts a play session's loop. Unity calls it on the main thread before the first scene
        /// loads; with domain reload disabled the statics of the previous session are still here, so
        /// everything is reset explicitly.
        /// </summary>
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.SubsystemRegistration)]
        static void OnSubsystemRegistration()
        {
            // Detach first: the previous loop's Closed handler must see it is no longer current.
            var previous = s_Loop;
            s_Loop = null;
            Application.quitting -= OnQuitting;
            previous?.Close(CloseReason.ExitingPlayMode);
            s_Timing = typeof(UnityEngine.PlayerLoop.Update);

            var loop = new MainLoop(new MainLoopOptions { Name = LoopName });
            loop.UnhandledException += ReportUnhandledException;
            loop.Closed += OnLoopClosed;
            s_Loop = loop;
            // -= then +=: subscribed exactly once however often this runs in one domain.
            Application.quitting -= OnQuitting;
            Application.quitting += OnQuitting;
            Install(s_Timing);
        }

        /// <summary>Ticks the play-mode loop; the updateDelegate of the LoopBridge PlayerLoopSystem.</summary>
        static void OnPlayerLoopUpdate()
        {
            var loop = s_Loop;
            if (loop == null || !loop.IsOpen)
                return; // inert once closed (see the remarks on closes from other threads)
            using (s_TickMarker.Auto())
            {
                s_Ticking = true;
                try
                {
                    loop.Tick();
                }
                finally
                {
                    s_Ticking = false;
                }
            }
        }

        static void OnQuitting()
        {
            Application.quitting -= OnQuitting;
            s_Loop?.Close(CloseReason.EngineShutdown);
            Uninstall(); // idempotent; also removes an inert system left by an earlier close
        }

        static void OnLoopClosed(MainLoop loop, CloseReason reason)
        {
            loop.Closed -= OnLoopClosed;
            if (!ReferenceEquals(loop, s_Loop))
                return; // a previous session's loop, already detached
            // Application.quitting stays subscribed while an inert system may remain, so quitting
            // still removes it; OnQuitting is harmless on a closed loop.
            if (loop.IsMainThread && !s_Ticking)
            {
                Application.quitting -= OnQuitting;
                Uninstall();
            }
        }

        static void ReportUnhandledException(Exception exception) => Debug.LogException(exception);

        /// <summary>
        /// Puts exactly one LoopBridge system into the installed player loop, as the first system of
        /// <paramref name="timing"/>; every other copy (this domain's or a stale one) is removed.
        /// </summary>
        static void Install(Type timing)
        {
            var cleaned = PlayerLoopEditing.RemoveAll(PlayerLoop.GetCurrentPlayerLoop());
            var system = new PlayerLoopSystem { type = typeof(LoopBridgeTick), updateDelegate = s_Update };
            if (!PlayerLoopEditing.TryInsert(cleaned, timing, system, out var installed))
            {
                // Only reachable when other code installed a loop without this phase.
                Debug.LogWarning($"LoopBridge: the player loop has no {timing.FullName} phase; ticking at the end of the frame instead.");
                var top = cleaned.subSystemList ?? Array.Empty<PlayerLoopSystem>();
                var extended = new PlayerLoopSystem[top.Length + 1];
                Array.Copy(top, extended, top.Length);
                extended[top.Length] = system;
                installed = cleaned;
                installed.subSystemList = extended;
            }
            PlayerLoop.SetPlayerLoop(installed);
        }

        /// <summary>Removes every LoopBridge system from the installed player loop (no call to Unity when there is none).</summary>
        static void Uninstall()
        {
            var current = PlayerLoop.GetCurrentPlayerLoop();
            if (PlayerLoopEditing.Count(current) != 0)
                PlayerLoop.SetPlayerLoop(PlayerLoopEditing.RemoveAll(current));
        }
    }
}
