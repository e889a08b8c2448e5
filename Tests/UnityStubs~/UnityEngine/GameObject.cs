// Stubs of UnityEngine.GameObject, HideFlags and the scene-object members of Object/Component
// (Unity 2021.3 signatures, only the members LoopBridge and its tests use). A MonoBehaviour added
// with AddComponent gets its Update() called by the simulated ScriptRunBehaviourUpdate system
// (UnityStubs.Engine.SimulateFrame), as the engine does. Test scaffolding only.
using System;

namespace UnityEngine
{
    [Flags]
    public enum HideFlags
    {
        None = 0,
        HideInHierarchy = 1,
        HideInInspector = 2,
        DontSaveInEditor = 4,
        NotEditable = 8,
        DontSaveInBuild = 16,
        DontUnloadUnusedAsset = 32,
        DontSave = 52,
        HideAndDontSave = 61
    }

    public sealed class GameObject : Object
    {
        readonly Transform m_Transform = new Transform();

        public GameObject() : this("New Game Object") { }

        public Transform transform => m_Transform;

        public static GameObject CreatePrimitive(PrimitiveType type) => new GameObject(type.ToString());

        public GameObject(string name)
        {
            UnityStubs.Engine.RequireMainThread("GameObject");
            this.name = name;
            UnityStubs.Engine.RegisterSceneObject(this);
        }

        public T AddComponent<T>() where T : Component
        {
            UnityStubs.Engine.RequireMainThread(nameof(AddComponent));
            var component = (T)Activator.CreateInstance(typeof(T), nonPublic: true);
            component.m_GameObject = this;
            component.name = name;
            UnityStubs.Engine.RegisterComponent(component);
            return component;
        }
    }

    public partial class Object
    {
        public HideFlags hideFlags { get; set; }

        public static void DontDestroyOnLoad(Object target)
        {
            UnityStubs.Engine.RequireMainThread(nameof(DontDestroyOnLoad));
        }
    }

    public partial class Component
    {
        internal GameObject m_GameObject;

        public GameObject gameObject => m_GameObject;
    }
}

namespace UnityEngine
{
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { componentMenu = menuName; }
        public AddComponentMenu(string menuName, int order) { componentMenu = menuName; componentOrder = order; }

        public string componentMenu { get; }
        public int componentOrder { get; }
    }
}
