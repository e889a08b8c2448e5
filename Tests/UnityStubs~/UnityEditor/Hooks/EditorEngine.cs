using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using UnityEditor;
using UnityEngine;

namespace UnityStubs
{
    /// <summary>
    /// Test hooks of the UnityEditor stub: plays the editor's part (editor frames, entering and
    /// leaving play mode, pause, domain reload) in the order Unity 2021.3 does it. Not part of
    /// Unity's API. A stub cannot unload a domain: statics survive <see cref="ReloadDomain"/>, which
    /// makes it a harsher test of re-initialisation than the real editor.
    /// </summary>
    public static class EditorEngine
    {
        internal static Action s_Quitting;
        internal static Action<PauseState> s_PauseStateChanged;
        internal static Action<PlayModeStateChange> s_PlayModeStateChanged;
        internal static AssemblyReloadEvents.AssemblyReloadCallback s_BeforeAssemblyReload;
        internal static AssemblyReloadEvents.AssemblyReloadCallback s_AfterAssemblyReload;

        /// <summary>EditorApplication.isPaused.</summary>
        public static bool IsPaused { get; private set; }

        /// <summary>Last value assigned to EditorApplication.isPlaying (a request; nothing happens until a test acts on it).</summary>
        public static bool? RequestedPlayMode { get; private set; }

        /// <summary>Handlers currently in EditorApplication.update.</summary>
        public static int UpdateHandlerCount => EditorApplication.update?.GetInvocationList().Length ?? 0;

        /// <summary>Handlers subscribed to EditorApplication.playModeStateChanged.</summary>
        public static int PlayModeStateChangedHandlerCount => s_PlayModeStateChanged?.GetInvocationList().Length ?? 0;

        /// <summary>Handlers subscribed to AssemblyReloadEvents.beforeAssemblyReload.</summary>
        public static int BeforeAssemblyReloadHandlerCount => s_BeforeAssemblyReload?.GetInvocationList().Length ?? 0;

        /// <summary>Handlers subscribed to EditorApplication.quitting.</summary>
        public static int EditorQuittingHandlerCount => s_Quitting?.GetInvocationList().Length ?? 0;

        /// <summary>A fresh editor in edit mode: <see cref="Engine.Reset"/> plus every editor event cleared.</summary>
        public static void Reset()
        {
            Engine.Reset();
            EditorApplication.update = null;
            s_Quitting = null;
            s_PauseStateChanged = null;
            s_PlayModeStateChanged = null;
            s_BeforeAssemblyReload = null;
            s_AfterAssemblyReload = null;
            IsPaused = false;
            RequestedPlayMode = null;
        }

        /// <summary>
        /// What the editor does when a domain loads: runs the class constructor of every
        /// [InitializeOnLoad] class and every [InitializeOnLoadMethod] method in the given assemblies
        /// (default: every loaded assembly referencing UnityEngine). Returns how many ran.
        /// </summary>
        public static int RunInitializeOnLoad(params Assembly[] assemblies)
        {
            if (assemblies == null || assemblies.Length == 0)
                assemblies = Engine.UnityAssemblies();
            var ran = 0;
            foreach (var assembly in assemblies)
            foreach (var type in assembly.GetTypes())
            {
                if (type.IsDefined(typeof(InitializeOnLoadAttribute), false))
                {
                    RuntimeHelpers.RunClassConstructor(type.TypeHandle);
                    ran++;
                }
            }
            foreach (var method in Engine.FindMethods(typeof(InitializeOnLoadMethodAttribute), assemblies))
            {
                method.Invoke(null, null);
                ran++;
            }
            return ran;
        }

        /// <summary>Raises EditorApplication.update once on the calling thread.</summary>
        public static void RaiseEditorUpdate() => EditorApplication.update?.Invoke();

        /// <summary>
        /// One editor frame: in play mode and not paused, the player loop runs
        /// (<see cref="Engine.SimulateFrame"/>); then, in every mode, EditorApplication.update is raised.
        /// </summary>
        public static void EditorFrame()
        {
            if (Engine.IsPlaying && !IsPaused)
                Engine.SimulateFrame();
            RaiseEditorUpdate();
        }

        /// <summary>Raises EditorApplication.playModeStateChanged.</summary>
        public static void RaisePlayModeStateChanged(PlayModeStateChange change) => s_PlayModeStateChanged?.Invoke(change);

        /// <summary>Raises AssemblyReloadEvents.beforeAssemblyReload.</summary>
        public static void RaiseBeforeAssemblyReload() => s_BeforeAssemblyReload?.Invoke();

        /// <summary>Raises EditorApplication.quitting (the editor itself is closing).</summary>
        public static void RaiseEditorQuitting() => s_Quitting?.Invoke();

        /// <summary>
        /// A domain reload: beforeAssemblyReload, then the [InitializeOnLoad] pass of the new domain,
        /// then afterAssemblyReload. Statics survive (see the type remarks).
        /// </summary>
        public static void ReloadDomain(params Assembly[] assemblies)
        {
            RaiseBeforeAssemblyReload();
            RunInitializeOnLoad(assemblies);
            s_AfterAssemblyReload?.Invoke();
        }

        /// <summary>
        /// "Recompile And Continue Playing": a domain reload while play mode runs. Scene objects survive and play mode
        /// goes on, but the RuntimeInitializeOnLoadMethod passes do NOT run again (Unity runs them only when play
        /// mode or a player starts).
        /// </summary>
        public static void RecompileDuringPlay(params Assembly[] assemblies)
        {
            if (!Engine.IsPlaying)
                throw new InvalidOperationException("stub: RecompileDuringPlay needs play mode");
            ReloadDomain(assemblies);
        }

        /// <summary>
        /// Enter play mode: ExitingEditMode; a domain reload when <paramref name="reloadDomain"/>
        /// (Unity's default; false = Enter Play Mode Options with domain reload disabled); play mode
        /// on; the RuntimeInitializeOnLoadMethod passes in engine order; EnteredPlayMode.
        /// </summary>
        public static void EnterPlayMode(bool reloadDomain = false, params Assembly[] assemblies)
        {
            RaisePlayModeStateChanged(PlayModeStateChange.ExitingEditMode);
            if (reloadDomain)
                ReloadDomain(assemblies);
            Engine.IsPlaying = true;
            IsPaused = false;
            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.SubsystemRegistration, assemblies);
            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.AfterAssembliesLoaded, assemblies);
            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.BeforeSplashScreen, assemblies);
            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.BeforeSceneLoad, assemblies);
            Engine.RunRuntimeInitializeMethods(RuntimeInitializeLoadType.AfterSceneLoad, assemblies);
            RaisePlayModeStateChanged(PlayModeStateChange.EnteredPlayMode);
        }

        /// <summary>
        /// Leave play mode: ExitingPlayMode, then Application.quitting (the editor raises it when
        /// play mode stops), every scene object destroyed, play mode and pause off, EnteredEditMode.
        /// </summary>
        public static void ExitPlayMode()
        {
            RaisePlayModeStateChanged(PlayModeStateChange.ExitingPlayMode);
            Engine.RaiseQuitting();
            Engine.DestroyAllSceneObjects();
            Engine.IsPlaying = false;
            IsPaused = false;
            RaisePlayModeStateChanged(PlayModeStateChange.EnteredEditMode);
        }

        /// <summary>EditorApplication.isPaused = <paramref name="paused"/>: raises pauseStateChanged when it changes.</summary>
        public static void SetPaused(bool paused)
        {
            if (IsPaused == paused)
                return;
            IsPaused = paused;
            s_PauseStateChanged?.Invoke(paused ? PauseState.Paused : PauseState.Unpaused);
        }

        internal static void RequestPlayMode(bool playing) => RequestedPlayMode = playing;
    }
}
