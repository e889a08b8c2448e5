// Stubs of UnityEngine.GUILayout and GUILayoutOption (Unity 2021.3 signatures, only the members the
// Unity samples use). GUI calls do nothing.
namespace UnityEngine
{
    public sealed class GUILayoutOption
    {
        internal GUILayoutOption() {}
    }

    public partial class GUILayout
    {
        public static void Label(string text, params GUILayoutOption[] options) {}
        public static bool Button(string text, params GUILayoutOption[] options) => false;
    }
}
