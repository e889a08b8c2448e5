// Stubs of UnityEngine's object hierarchy (Unity 2021.3 signatures, only the members LoopBridge,
// its tests and samples use). Test scaffolding only.
namespace UnityEngine
{
    public partial class Object
    {
        public string name { get; set; }

        public static implicit operator bool(Object exists) => !ReferenceEquals(exists, null) && !exists.m_Destroyed;

        public static void Destroy(Object obj)
        {
            if (ReferenceEquals(obj, null))
                return;
            obj.m_Destroyed = true;
            if (obj is GameObject go)
                UnityStubs.Engine.DestroyComponentsOf(go);
        }

        internal bool m_Destroyed;
    }

    public partial class Component : Object
    {
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; } = true;
    }

    public class MonoBehaviour : Behaviour
    {
    }

    public class ScriptableObject : Object
    {
    }
}
