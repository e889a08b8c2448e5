// Stubs of UnityEngine's object hierarchy (Unity 2021.3 signatures, only the members LoopBridge,
// its tests and samples use). Test scaffolding only.
using System;

namespace UnityEngine
{
    public partial class Object
    {
        string m_Name;

        // Like Unity, touching a destroyed object throws MissingReferenceException.
        public string name
        {
            get { ThrowIfDestroyed(); return m_Name; }
            set { ThrowIfDestroyed(); m_Name = value; }
        }

        void ThrowIfDestroyed()
        {
            if (m_Destroyed)
                throw new MissingReferenceException($"The object of type '{GetType().Name}' has been destroyed but you are still trying to access it.");
        }

        public static implicit operator bool(Object exists) => !ReferenceEquals(exists, null) && !exists.m_Destroyed;

        public static void Destroy(Object obj)
        {
            if (ReferenceEquals(obj, null))
                return;
            obj.m_Destroyed = true;
            obj.OnStubDestroyed();
            if (obj is GameObject go)
                UnityStubs.Engine.DestroyComponentsOf(go);
        }

        // Lets parts of the stub react to Destroy (MonoBehaviour.destroyCancellationToken).
        internal virtual void OnStubDestroyed() { }

        internal bool m_Destroyed;
    }

    public class MissingReferenceException : SystemException
    {
        public MissingReferenceException() {}
        public MissingReferenceException(string message) : base(message) {}
        public MissingReferenceException(string message, System.Exception innerException) : base(message, innerException) {}
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
