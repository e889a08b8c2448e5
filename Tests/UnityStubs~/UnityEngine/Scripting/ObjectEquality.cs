// Stub of UnityEngine.Object's equality (UnityCsReference Runtime/Export/Scripting/UnityEngineObject.bindings.cs):
// a destroyed object compares equal to null, which is how code (LoopBridge's owner-scoped work
// among it) notices that an object was destroyed. Test scaffolding only.
namespace UnityEngine
{
    public partial class Object
    {
        public static bool operator ==(Object x, Object y)
        {
            var xNull = ReferenceEquals(x, null) || x.m_Destroyed;
            var yNull = ReferenceEquals(y, null) || y.m_Destroyed;
            if (xNull || yNull)
                return xNull && yNull;
            return ReferenceEquals(x, y);
        }

        public static bool operator !=(Object x, Object y) => !(x == y);

        public override bool Equals(object other) => other is Object o ? this == o : other == null && this == null;

        public override int GetHashCode() => base.GetHashCode();
    }
}
