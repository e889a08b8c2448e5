// Stubs of UnityEngine's object hierarchy (Unity 2021.3 signatures, only the members LoopBridge,
// its tests and samples use). Test scaffolding only.
namespace UnityEngine
{
    public partial class Object
    {
        public string name { get; set; }

        public static implicit operator bool(Object exists) => !ReferenceEquals(exists, null) && !exists.m_Destroyed;

        public static void Destroy(Object obj) { if (!ReferenceEquals(obj, null)) { obj.m_Destroyed = true; obj.OnStubDestroyed(); } }

        // Lets parts of the stub react to Destroy (MonoBehaviour.destroyCancellationToken).
        internal virtual void OnStubDestroyed() { }

        internal bool m_Destroyed;
    }

    public partial class Component : Object
    {
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; } = true;
    }

    public partial class MonoBehaviour : Behaviour
    {
    }

    public class ScriptableObject : Object
    {
    }
}
