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
    /// inserted at the front of the <see cref="Timing"/> phase (default <c>Update</c>) and ticks the
    /// loop once per frame, inside the Profiler marker <c>"LoopBridge.Tick"</c>. What is guaranteed
    /// is "before <c>ScriptRunBehaviourUpdate</c> in <c>Update</c>" (before every
    /// <c>MonoBehaviour.Update</c>), not "first": packages that install later, UniTask among them,
    /// put their own systems in front of it. Nothing else ticks this loop, so it never runs twice in
    /// a frame, and it does not run while the editor is paused (editor tools use the editor loop of
    /// <c>LoopBridge.Editor</c>, which keeps ticking).</para>
    /// <para><b>Watchdog.</b> If the system disappears from the player loop while the session runs
    /// and is not paused (a package called <c>PlayerLoop.SetPlayerLoop</c> with a loop that does not
    /// keep it, such as <c>PlayerLoop.GetDefaultPlayerLoop()</c>), it is noticed within about two
    /// frames by a hidden MonoBehaviour (see <see cref="PlayerLoopWatchdog"/> for why that and not a
    /// second PlayerLoopSystem), reinstalled, and one warning per session names the likely cause.
    /// <see cref="IsInstalled"/> tells whether it is in place now.</para>
    /// <para><b>Recompile during play</b> ("Recompile And Continue Playing"): the reload closes the
    /// play-mode loop with <see cref="CloseReason.DomainReload"/> (its handles fail, blocked workers
    /// wake), and the new domain starts a fresh, open loop at once, so <see cref="Main"/> keeps working
    /// for the rest of the session (LoopBridge.Editor does this; Unity does not run
    /// <c>RuntimeInitializeOnLoadMethod</c>s again after such a reload).</para>
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

        // Watchdog state, main thread only. s_LastTickFrame: Time.frameCount of the last tick of an open
        // loop (or of the session start / last reinstall). s_NextCheckFrame: no player-loop scan before
        // this frame (set after a scan found the system in place). s_WarnedRemoved: the one warning per
        // session has been logged. s_Watchdog: this session's watchdog component, or null/destroyed.
        static int s_LastTickFrame;
        static int s_NextCheckFrame;
        static bool s_WarnedRemoved;
        static PlayerLoopWatchdog? s_Watchdog;

        /// <summary>
        /// Frames the watchdog waits before it reads the player loop again after finding the system in
        /// place although a frame passed without a tick (a <see cref="Timing"/> phase such as
        /// <c>FixedUpdate</c> does not run every frame).
        /// </summary>
        internal const int WatchdogRecheckFrames = 60;

        /// <summary>
        /// The play-mode loop of the current (or, after it ended, the last) play session.
        /// </summary>
        /// <remarks>
        /// Any thread. Exists from <see cref="RuntimeInitializeLoadType.SubsystemRegistration"/> of the
        /// first play session (or player start) in this domain. After it closed, it still returns that
        /// closed loop (submissions fail at once with <see cref="LoopClosedException"/>, rather than a
        /// <see cref="NullReferenceException"/>) until the next play session (or a recompile during play) replaces it with a new, open
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
        /// True when the LoopBridge system of this domain is in Unity's current player loop, so the
        /// play-mode loop is ticked every frame. False before the first play session, after the loop
        /// closed on the main thread, and while another package's <c>SetPlayerLoop</c> has removed it
        /// (until the watchdog reinstalls it, about two frames later).
        /// </summary>
        /// <remarks>Main thread only (it reads the player loop, which also copies it: do not poll it every frame).</remarks>
        /// <exception cref="UnityException">Called off the main thread (raised by Unity's PlayerLoop API).</exception>
        public static bool IsInstalled => PlayerLoopEditing.CountCurrentDomain(PlayerLoop.GetCurrentPlayerLoop()) > 0;

        /// <summary>
        /// The PlayerLoop phase at whose front the system that ticks the loop is inserted: a type from
        /// <c>UnityEngine.PlayerLoop</c> (default <c>typeof(UnityEngine.PlayerLoop.Update)</c>), or any
        /// other system type present in the current player loop. Reset to the default at the start of
        /// each play session.
        /// </summary>
        /// <remarks>
        /// Main thread only (Unity's PlayerLoop API is). Assigning moves the LoopBridge system at
        /// once, without duplicating it; assigning the current value re-inserts it at once (the
        /// watchdog would also do so within about two frames after other code replaced the whole
        /// player loop).
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
        static void OnSubsystemRegistration() => StartSession();

        /// <summary>
        /// Creates this session's watchdog once scene objects can exist. Unity calls it on the main
        /// thread when a player or play mode starts.
        /// </summary>
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.BeforeSceneLoad)]
        static void OnBeforeSceneLoad() => EnsureWatchdog();

        /// <summary>
        /// After a domain reload during play mode ("Recompile And Continue Playing"), where Unity runs
        /// no <c>RuntimeInitializeOnLoadMethod</c>: starts a fresh loop unless an open one exists (a new
        /// domain has none; the reload closed the previous one). LoopBridge.Editor calls it on the main thread from its domain-load hook when
        /// <c>EditorApplication.isPlaying</c>.
        /// </summary>
        internal static void RecoverAfterDomainReload()
        {
            var loop = s_Loop;
            if (loop != null && loop.IsOpen)
                return;
            StartSession();
            EnsureWatchdog();
        }

        static void StartSession()
        {
            // Detach first: the previous loop's Closed handler must see it is no longer current.
            var previous = s_Loop;
            s_Loop = null;
            Application.quitting -= OnQuitting;
            previous?.Close(CloseReason.ExitingPlayMode);
            s_Timing = typeof(UnityEngine.PlayerLoop.Update);
            s_LastTickFrame = Time.frameCount;
            s_NextCheckFrame = 0;
            s_WarnedRemoved = false;

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
            if (loop == null || loop.State == LoopState.Closed)
                return; // inert once closed; a close started on another thread is finished by this tick
            s_LastTickFrame = Time.frameCount;
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

        /// <summary>
        /// Called by <see cref="PlayerLoopWatchdog"/> once per frame from <c>ScriptRunBehaviourUpdate</c>
        /// (so never while paused). When a whole frame passed without a tick of the open loop and the
        /// system is gone from the player loop, reinstalls it and warns once per session.
        /// </summary>
        internal static void OnWatchdogUpdate(PlayerLoopWatchdog watchdog)
        {
            if (!ReferenceEquals(watchdog, s_Watchdog))
            {
                // A watchdog that survived a domain reload during play, while the new domain made its own.
                if (s_Watchdog)
                {
                    UnityEngine.Object.Destroy(watchdog.gameObject);
                    return;
                }
                s_Watchdog = watchdog;
            }

            var loop = s_Loop;
            var frame = Time.frameCount;
            // At this point of frame F the tick of F (Timing before Update's scripts) or of F-1 (a later
            // phase) has run; anything older means a whole frame went by without one.
            if (loop == null || !loop.IsOpen || s_LastTickFrame >= frame - 1 || frame < s_NextCheckFrame)
                return;
            if (IsInstalled)
            {
                // In place but not ticked every frame (e.g. Timing = FixedUpdate): look again later.
                s_NextCheckFrame = frame + WatchdogRecheckFrames;
                return;
            }

            var stalledSince = s_LastTickFrame;
            Install(s_Timing);
            s_LastTickFrame = frame; // ticks resume next frame; no second scan before that
            if (s_WarnedRemoved)
                return;
            s_WarnedRemoved = true;
            Debug.LogWarning(
                $"LoopBridge: the play-mode loop's PlayerLoopSystem ({nameof(LoopBridgeTick)}) was removed from Unity's player loop " +
                $"while play mode ran (no tick since frame {stalledSince}, now frame {frame}), so work submitted to UnityMainLoop.Main " +
                $"was not running. LoopBridge reinstalled it in {s_Timing.Name}; queued work runs from the next frame. " +
                "Suspect a package or script that calls PlayerLoop.SetPlayerLoop with a loop that drops the systems already installed " +
                "(for example SetPlayerLoop(PlayerLoop.GetDefaultPlayerLoop())); it should insert into PlayerLoop.GetCurrentPlayerLoop() instead. " +
                "This warning is shown once per play session.");
        }

        /// <summary>Creates the hidden watchdog GameObject of this session, unless a live one exists.</summary>
        static void EnsureWatchdog()
        {
            if (s_Watchdog)
                return;
            // Not HideAndDontSave: such objects outlive play mode in the editor. This one is destroyed with the session.
            var host = new GameObject("LoopBridge PlayerLoop watchdog") { hideFlags = HideFlags.HideInHierarchy | HideFlags.NotEditable };
            UnityEngine.Object.DontDestroyOnLoad(host);
            s_Watchdog = host.AddComponent<PlayerLoopWatchdog>();
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
