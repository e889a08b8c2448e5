// Stubs of GameObject, Transform, Vector3 and PrimitiveType (Unity 2021.3 signatures, only the members
// the samples use). Test scaffolding only.
namespace UnityEngine
{
    public enum PrimitiveType
    {
        Sphere = 0,
        Capsule = 1,
        Cylinder = 2,
        Cube = 3,
        Plane = 4,
        Quad = 5,
    }

    public struct Vector3
    {
        public float x;
        public float y;
        public float z;

        public Vector3(float x, float y, float z)
        {
            this.x = x;
            this.y = y;
            this.z = z;
        }

        public static Vector3 one => new Vector3(1f, 1f, 1f);
    }

    public class Transform : Component
    {
        public Vector3 localPosition { get; set; }

        public Vector3 localScale { get; set; } = Vector3.one;

        public void SetParent(Transform parent, bool worldPositionStays) => this.parent = parent;

        public Transform parent { get; set; }
    }

    public partial class Component
    {
        Transform m_Transform;

        public Transform transform => m_Transform ??= this as Transform ?? new Transform();
    }
}
