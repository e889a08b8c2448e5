// Stub of UnityEditor.AssemblyReloadEvents (Unity 2021.3 signatures).
namespace UnityEditor
{
    public static class AssemblyReloadEvents
    {
        public delegate void AssemblyReloadCallback();

        public static event AssemblyReloadCallback beforeAssemblyReload
        {
            add => UnityStubs.EditorEngine.s_BeforeAssemblyReload += value;
            remove => UnityStubs.EditorEngine.s_BeforeAssemblyReload -= value;
        }

        public static event AssemblyReloadCallback afterAssemblyReload
        {
            add => UnityStubs.EditorEngine.s_AfterAssemblyReload += value;
            remove => UnityStubs.EditorEngine.s_AfterAssemblyReload -= value;
        }
    }
}
