using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using UnityEngine;
using UnityEngine.LowLevel;

namespace UnityStubs
{
    /// <summary>
    /// Test hooks of the UnityEngine stub: the simulated engine state behind the stubbed API and the
    /// levers tests pull to play the engine's part (frames, quitting, RuntimeInitializeOnLoadMethod).
    /// Not part of Unity's API: production code must never use it. Main-thread identity is the
    /// thread that last called <see cref="Reset"/>.
    /// </summary>
    public static class Engine
    {
        static readonly object s_Gate = new object();
        static readonly List<LogEntry> s_Logs = new List<LogEntry>();
        static readonly List<string> s_MarkerNames = new List<string>();
        static int[] s_MarkerBegins = new int[64];
        static int[] s_MarkerEnds = new int[64];
        static PlayerLoopSystem s_CurrentLoop;
        static PlayerLoopSystem? s_LastSetLoop;
        static int s_SetPlayerLoopCalls;
        static int s_FrameCount;
        static readonly List<UnityEngine.Object> s_SceneObjects = new List<UnityEngine.Object>();
        static readonly List<(Component Component, Action Update)> s_Behaviours = new List<(Component, Action)>();

        internal static Action s_Quitting;

        static Engine() => Reset();

        /// <summary>Raised after every Debug.Log* call (on the calling thread), for tests that wait on a log.</summary>
        public static event Action<LogEntry> Logged;

        /// <summary>The thread the stubbed engine treats as its main thread.</summary>
        public static int MainThreadId { get; private set; }

        /// <summary>Application.isPlaying.</summary>
        public static bool IsPlaying { get; set; }

        /// <summary>Application.isEditor (default true: the glue is mostly exercised as in the editor).</summary>
        public static bool IsEditor { get; set; } = true;

        /// <summary>Application.dataPath.</summary>
        public static string DataPath { get; set; } = "/stub/Assets";

        /// <summary>Time.frameCount: the number of <see cref="SimulateFrame"/> calls since <see cref="Reset"/>.</summary>
        public static int FrameCount => Volatile.Read(ref s_FrameCount);

        /// <summary>How many times PlayerLoop.SetPlayerLoop was called since <see cref="Reset"/>.</summary>
        public static int SetPlayerLoopCalls => Volatile.Read(ref s_SetPlayerLoopCalls);

        /// <summary>A copy of the loop last passed to PlayerLoop.SetPlayerLoop, or null.</summary>
        public static PlayerLoopSystem? LastSetPlayerLoop { get { lock (s_Gate) return s_LastSetLoop.HasValue ? Copy(s_LastSetLoop.Value) : (PlayerLoopSystem?)null; } }

        /// <summary>Number of handlers subscribed to Application.quitting.</summary>
        public static int QuittingHandlerCount => s_Quitting?.GetInvocationList().Length ?? 0;

        /// <summary>A snapshot of every Debug.Log* call since <see cref="Reset"/>.</summary>
        public static IReadOnlyList<LogEntry> Logs { get { lock (s_Gate) return s_Logs.ToArray(); } }

        /// <summary>The exceptions passed to Debug.LogException since <see cref="Reset"/>.</summary>
        public static IReadOnlyList<Exception> LoggedExceptions { get { lock (s_Gate) return s_Logs.Where(l => l.Exception != null).Select(l => l.Exception).ToArray(); } }

        /// <summary>
        /// Back to a fresh engine: the calling thread becomes the main thread, the default player loop
        /// is installed, Application.quitting loses its handlers, logs and frame counter are cleared,
        /// every scene object is destroyed.
        /// </summary>
        public static void Reset()
        {
            lock (s_Gate)
            {
                MainThreadId = Thread.CurrentThread.ManagedThreadId;
                IsPlaying = false;
                IsEditor = true;
                s_Quitting = null;
                s_Logs.Clear();
                s_CurrentLoop = BuildDefaultLoop();
                s_LastSetLoop = null;
                s_SetPlayerLoopCalls = 0;
                s_FrameCount = 0;
                Logged = null;
                // A fresh engine: objects of the previous one are gone (destroyed), not merely forgotten.
                foreach (var o in s_SceneObjects)
                    o.m_Destroyed = true;
                s_SceneObjects.Clear();
                s_Behaviours.Clear();
            }
        }

        /// <summary>
        /// One engine frame: runs every updateDelegate of the installed player loop, depth first in
        /// list order, on the calling thread (which must be the main thread); the ScriptRunBehaviourUpdate
        /// system, where present, calls Update() of every live MonoBehaviour added with AddComponent. An
        /// exception thrown by a delegate is logged with Debug.LogException, as the engine does, and the frame goes on.
        /// </summary>
        public static void SimulateFrame()
        {
            RequireMainThread(nameof(SimulateFrame));
            PlayerLoopSystem loop;
            lock (s_Gate) loop = s_CurrentLoop;
            Interlocked.Increment(ref s_FrameCount);
            Run(loop);
        }

        /// <summary>
        /// Destroys every GameObject and component created since <see cref="Reset"/>, DontDestroyOnLoad ones included,
        /// as the editor does when play mode ends.
        /// </summary>
        public static void DestroyAllSceneObjects()
        {
            UnityEngine.Object[] all;
            lock (s_Gate) all = s_SceneObjects.ToArray();
            foreach (var o in all)
                UnityEngine.Object.Destroy(o);
            lock (s_Gate)
            {
                s_SceneObjects.Clear();
                s_Behaviours.Clear();
            }
        }

        /// <summary>Live (not destroyed) components of type <typeparamref name="T"/> (exact or derived).</summary>
        public static IReadOnlyList<T> FindComponents<T>() where T : Component
        {
            lock (s_Gate) return s_SceneObjects.OfType<T>().Where(c => c).ToArray();
        }

        /// <summary>Raises Application.quitting on the calling thread.</summary>
        public static void RaiseQuitting() => s_Quitting?.Invoke();

        /// <summary>
        /// Invokes every static method marked [RuntimeInitializeOnLoadMethod(loadType)] in the given
        /// assemblies (default: every loaded assembly that references UnityEngine), as the engine does
        /// when play mode or the player starts. Returns how many methods ran.
        /// </summary>
        public static int RunRuntimeInitializeMethods(RuntimeInitializeLoadType loadType, params Assembly[] assemblies)
        {
            var ran = 0;
            foreach (var method in FindMethods(typeof(RuntimeInitializeOnLoadMethodAttribute), assemblies))
            {
                if (method.GetCustomAttribute<RuntimeInitializeOnLoadMethodAttribute>().loadType != loadType)
                    continue;
                method.Invoke(null, null);
                ran++;
            }
            return ran;
        }

        /// <summary>Every static method carrying <paramref name="attribute"/> in the given (or all Unity-referencing) assemblies.</summary>
        public static IEnumerable<MethodInfo> FindMethods(Type attribute, params Assembly[] assemblies)
        {
            if (assemblies == null || assemblies.Length == 0)
                assemblies = UnityAssemblies();
            const BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            return assemblies
                .SelectMany(a => a.GetTypes())
                .SelectMany(t => t.GetMethods(flags))
                .Where(m => m.IsDefined(attribute, false))
                .ToArray();
        }

        /// <summary>Loaded assemblies that reference UnityEngine (the ones Unity would scan), the stubs themselves excluded.</summary>
        public static Assembly[] UnityAssemblies()
        {
            return AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic && a.GetName().Name != "UnityEngine" && a.GetName().Name != "UnityEditor"
                            && a.GetReferencedAssemblies().Any(r => r.Name == "UnityEngine"))
                .ToArray();
        }

        /// <summary>Number of systems, anywhere in the installed player loop, whose type satisfies <paramref name="match"/>.</summary>
        public static int CountSystems(Func<Type, bool> match)
        {
            PlayerLoopSystem loop;
            lock (s_Gate) loop = s_CurrentLoop;
            return Count(loop, match);
        }

        /// <summary>The path ("Update/ScriptRunBehaviourUpdate") of every system in the installed loop whose type satisfies <paramref name="match"/>.</summary>
        public static IReadOnlyList<string> FindSystems(Func<Type, bool> match)
        {
            PlayerLoopSystem loop;
            lock (s_Gate) loop = s_CurrentLoop;
            var found = new List<string>();
            Find(loop, "", match, found);
            return found;
        }

        /// <summary>How many samples of the marker called <paramref name="name"/> began and ended so far.</summary>
        public static (int Begun, int Ended) ProfilerSamples(string name)
        {
            lock (s_Gate)
            {
                var i = s_MarkerNames.IndexOf(name);
                return i < 0 ? (0, 0) : (Volatile.Read(ref s_MarkerBegins[i]), Volatile.Read(ref s_MarkerEnds[i]));
            }
        }

        /// <summary>Number of ProfilerMarker instances created with <paramref name="name"/> (markers are meant to be created once and cached).</summary>
        public static int MarkersCreated(string name) { lock (s_Gate) return s_MarkerCreations.TryGetValue(name, out var n) ? n : 0; }

        static readonly Dictionary<string, int> s_MarkerCreations = new Dictionary<string, int>();

        // ---- called by the stubbed API ----

        internal static void RequireMainThread(string api)
        {
            if (Thread.CurrentThread.ManagedThreadId != MainThreadId)
                throw new UnityException(api + " can only be called from the main thread.");
        }

        internal static PlayerLoopSystem DefaultPlayerLoop => BuildDefaultLoop();

        internal static PlayerLoopSystem CurrentPlayerLoop { get { lock (s_Gate) return Copy(s_CurrentLoop); } }

        internal static void StorePlayerLoop(PlayerLoopSystem loop)
        {
            lock (s_Gate)
            {
                s_CurrentLoop = Copy(loop);
                s_LastSetLoop = Copy(loop);
                s_SetPlayerLoopCalls++;
            }
        }

        internal static void RegisterSceneObject(UnityEngine.Object obj) { lock (s_Gate) s_SceneObjects.Add(obj); }

        internal static void RegisterComponent(Component component)
        {
            // Unity calls a MonoBehaviour's Update by name, whatever its access; bound once, so a frame allocates nothing.
            var update = component is MonoBehaviour
                ? component.GetType().GetMethod("Update", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, Type.EmptyTypes, null)
                : null;
            lock (s_Gate)
            {
                s_SceneObjects.Add(component);
                if (update != null)
                    s_Behaviours.Add((component, (Action)Delegate.CreateDelegate(typeof(Action), component, update)));
            }
        }

        internal static void DestroyComponentsOf(GameObject go)
        {
            Component[] owned;
            lock (s_Gate) owned = s_SceneObjects.OfType<Component>().Where(c => ReferenceEquals(c.gameObject, go)).ToArray();
            foreach (var c in owned)
                c.m_Destroyed = true;
        }

        /// <summary>The native ScriptRunBehaviourUpdate system: Update() of every live, enabled MonoBehaviour.</summary>
        static void RunBehaviourUpdates()
        {
            int count;
            lock (s_Gate) count = s_Behaviours.Count;
            for (var i = 0; i < count; i++)
            {
                (Component Component, Action Update) entry;
                lock (s_Gate)
                {
                    if (i >= s_Behaviours.Count)
                        break;
                    entry = s_Behaviours[i];
                }
                if (!entry.Component || !((Behaviour)entry.Component).enabled)
                    continue;
                try
                {
                    entry.Update();
                }
                catch (Exception e)
                {
                    RecordLog(LogType.Exception, null, e, null);
                }
            }
        }

        internal static void RecordLog(LogType type, object message, Exception exception, UnityEngine.Object context)
        {
            var entry = new LogEntry(type, message, exception, Thread.CurrentThread.ManagedThreadId);
            Action<LogEntry> logged;
            lock (s_Gate)
            {
                s_Logs.Add(entry);
                logged = Logged;
            }
            logged?.Invoke(entry);
        }

        internal static IntPtr CreateMarker(string name)
        {
            lock (s_Gate)
            {
                s_MarkerCreations[name] = s_MarkerCreations.TryGetValue(name, out var n) ? n + 1 : 1;
                var i = s_MarkerNames.IndexOf(name);
                if (i < 0)
                {
                    s_MarkerNames.Add(name);
                    i = s_MarkerNames.Count - 1;
                    if (i >= s_MarkerBegins.Length)
                        throw new InvalidOperationException("stub: too many profiler markers");
                }
                return new IntPtr(i + 1);
            }
        }

        internal static void BeginSample(IntPtr marker) => Interlocked.Increment(ref s_MarkerBegins[(int)marker - 1]);

        internal static void EndSample(IntPtr marker) => Interlocked.Increment(ref s_MarkerEnds[(int)marker - 1]);

        // ---- helpers ----

        static void Run(PlayerLoopSystem system)
        {
            // Native systems are recognised by type (in Unity they carry an updateFunction pointer).
            if (system.type == typeof(UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate))
                RunBehaviourUpdates();
            if (system.updateDelegate != null)
            {
                try
                {
                    system.updateDelegate();
                }
                catch (Exception e)
                {
                    RecordLog(LogType.Exception, null, e, null);
                }
            }
            if (system.subSystemList == null)
                return;
            foreach (var sub in system.subSystemList)
                Run(sub);
        }

        static int Count(PlayerLoopSystem system, Func<Type, bool> match)
        {
            var n = system.type != null && match(system.type) ? 1 : 0;
            if (system.subSystemList != null)
                foreach (var sub in system.subSystemList)
                    n += Count(sub, match);
            return n;
        }

        static void Find(PlayerLoopSystem system, string path, Func<Type, bool> match, List<string> found)
        {
            var here = system.type == null ? path : (path.Length == 0 ? system.type.Name : path + "/" + system.type.Name);
            if (system.type != null && match(system.type))
                found.Add(here);
            if (system.subSystemList != null)
                foreach (var sub in system.subSystemList)
                    Find(sub, here, match, found);
        }

        static PlayerLoopSystem Copy(PlayerLoopSystem system)
        {
            var copy = system;
            if (system.subSystemList != null)
                copy.subSystemList = system.subSystemList.Select(Copy).ToArray();
            return copy;
        }

        static PlayerLoopSystem Leaf<T>() => new PlayerLoopSystem { type = typeof(T) };

        static PlayerLoopSystem Phase<T>(params PlayerLoopSystem[] subs) => new PlayerLoopSystem { type = typeof(T), subSystemList = subs };

        static PlayerLoopSystem BuildDefaultLoop()
        {
            // The shape of Unity 2021.3's default loop (top-level phases in engine order), abridged.
            return new PlayerLoopSystem
            {
                subSystemList = new[]
                {
                    Phase<UnityEngine.PlayerLoop.TimeUpdate>(Leaf<UnityEngine.PlayerLoop.TimeUpdate.WaitForLastPresentationAndUpdateTime>()),
                    Phase<UnityEngine.PlayerLoop.Initialization>(
                        Leaf<UnityEngine.PlayerLoop.Initialization.AsyncUploadTimeSlicedUpdate>(),
                        Leaf<UnityEngine.PlayerLoop.Initialization.SynchronizeState>(),
                        Leaf<UnityEngine.PlayerLoop.Initialization.SynchronizeInputs>()),
                    Phase<UnityEngine.PlayerLoop.EarlyUpdate>(
                        Leaf<UnityEngine.PlayerLoop.EarlyUpdate.PollPlayerConnection>(),
                        Leaf<UnityEngine.PlayerLoop.EarlyUpdate.UpdatePreloading>(),
                        Leaf<UnityEngine.PlayerLoop.EarlyUpdate.UpdateInputManager>()),
                    Phase<UnityEngine.PlayerLoop.FixedUpdate>(
                        Leaf<UnityEngine.PlayerLoop.FixedUpdate.ScriptRunBehaviourFixedUpdate>(),
                        Leaf<UnityEngine.PlayerLoop.FixedUpdate.PhysicsFixedUpdate>()),
                    Phase<UnityEngine.PlayerLoop.PreUpdate>(
                        Leaf<UnityEngine.PlayerLoop.PreUpdate.PhysicsUpdate>(),
                        Leaf<UnityEngine.PlayerLoop.PreUpdate.SendMouseEvents>()),
                    Phase<UnityEngine.PlayerLoop.Update>(
                        Leaf<UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate>(),
                        Leaf<UnityEngine.PlayerLoop.Update.DirectorUpdate>(),
                        Leaf<UnityEngine.PlayerLoop.Update.ScriptRunDelayedDynamicFrameRate>(),
                        Leaf<UnityEngine.PlayerLoop.Update.ScriptRunDelayedTasks>()),
                    Phase<UnityEngine.PlayerLoop.PreLateUpdate>(
                        Leaf<UnityEngine.PlayerLoop.PreLateUpdate.DirectorUpdateAnimationBegin>(),
                        Leaf<UnityEngine.PlayerLoop.PreLateUpdate.ScriptRunBehaviourLateUpdate>()),
                    Phase<UnityEngine.PlayerLoop.PostLateUpdate>(
                        Leaf<UnityEngine.PlayerLoop.PostLateUpdate.UpdateAllRenderers>(),
                        Leaf<UnityEngine.PlayerLoop.PostLateUpdate.FinishFrameRendering>(),
                        Leaf<UnityEngine.PlayerLoop.PostLateUpdate.TriggerEndOfFrameCallbacks>()),
                }
            };
        }
    }
}
