// Stubs of the UnityEngine IMGUI and math types the LoopBridge Monitor window uses (Unity 2021.3 signatures, only the
// members used): Rect, Color, Vector2, GUILayoutUtility and more of GUILayout. Layout calls return fixed rectangles
// and draw nothing.
namespace UnityEngine
{
    public struct Rect
    {
        float m_XMin;
        float m_YMin;
        float m_Width;
        float m_Height;

        public Rect(float x, float y, float width, float height)
        {
            m_XMin = x;
            m_YMin = y;
            m_Width = width;
            m_Height = height;
        }

        public float x { get => m_XMin; set => m_XMin = value; }
        public float y { get => m_YMin; set => m_YMin = value; }
        public float width { get => m_Width; set => m_Width = value; }
        public float height { get => m_Height; set => m_Height = value; }
        public float xMax => m_XMin + m_Width;
        public float yMax => m_YMin + m_Height;
    }

    public struct Color
    {
        public float r;
        public float g;
        public float b;
        public float a;

        public Color(float r, float g, float b, float a)
        {
            this.r = r;
            this.g = g;
            this.b = b;
            this.a = a;
        }

        public Color(float r, float g, float b) : this(r, g, b, 1f) {}
    }

    public struct Vector2
    {
        public float x;
        public float y;

        public Vector2(float x, float y)
        {
            this.x = x;
            this.y = y;
        }

        public static Vector2 zero => new Vector2(0f, 0f);
    }

    public class GUILayoutUtility
    {
        public static Rect GetRect(float width, float height, params GUILayoutOption[] options) => new Rect(0f, 0f, width, height);
    }

    public partial class GUILayout
    {
        public static GUILayoutOption ExpandWidth(bool expand) => new GUILayoutOption();
        public static GUILayoutOption Height(float height) => new GUILayoutOption();
        public static GUILayoutOption Width(float width) => new GUILayoutOption();
        public static void BeginHorizontal(params GUILayoutOption[] options) {}
        public static void EndHorizontal() {}
    }
}
