using System.Reflection;
using NUnit.Framework;
using UnityStubs;

namespace LoopBridge.Tests.Glue
{
    /// <summary>
    /// Base of the glue tests: every test starts from a fresh simulated editor in edit mode with
    /// LoopBridge.Editor initialised (as after a domain load), and ends with a domain reload that
    /// closes every loop the test left open. The test thread is the engine's main thread.
    /// </summary>
    public abstract class GlueTestBase
    {
        /// <summary>The assemblies the simulated engine scans for [InitializeOnLoad*] and [RuntimeInitializeOnLoadMethod].</summary>
        protected static readonly Assembly[] Glue = { typeof(UnityMainLoop).Assembly, typeof(EditorMainLoop).Assembly };

        [SetUp]
        public void StartEditor()
        {
            EditorEngine.Reset();
            EditorEngine.RunInitializeOnLoad(Glue);
        }

        [TearDown]
        public void StopEditor()
        {
            // Closes both loops (DomainReload) and removes the handlers; what the editor does
            // before unloading the domain. Statics survive in-process; the next SetUp re-initialises.
            EditorEngine.RaiseBeforeAssemblyReload();
            EditorEngine.Reset();
        }

        /// <summary>
        /// Enters play mode the way Unity does by default: with a domain reload (Enter Play Mode Options off).
        /// Tests of "Enter Play Mode Options with domain reload disabled" pass <c>reloadDomain: false</c> explicitly.
        /// </summary>
        protected static void EnterPlayMode(bool reloadDomain = true) => EditorEngine.EnterPlayMode(reloadDomain, Glue);

        protected static void ExitPlayMode() => EditorEngine.ExitPlayMode();

        /// <summary>LoopBridge systems anywhere in the installed player loop.</summary>
        protected static int LoopBridgeSystems() => Engine.CountSystems(t => t.FullName == typeof(LoopBridgeTick).FullName);
    }
}
