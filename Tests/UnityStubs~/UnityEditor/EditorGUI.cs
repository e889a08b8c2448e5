// Stubs of the UnityEditor IMGUI members the LoopBridge Monitor window uses (Unity 2021.3 signatures, only the members
// used): EditorGUI.DrawRect, more of EditorGUILayout, and UnityEditorInternal.InternalEditorUtility's "open file at
// line". GUI calls do nothing; opening a file is recorded for glue tests.
using UnityEngine;

namespace UnityEditor
{
    public sealed partial class EditorGUI
    {
        public static void DrawRect(Rect rect, Color color) {}
    }

    public sealed partial class EditorGUILayout
    {
        public static void LabelField(string label, string label2, params GUILayoutOption[] options) {}
        public static bool Foldout(bool foldout, string content) => foldout;
        public static Vector2 BeginScrollView(Vector2 scrollPosition, params GUILayoutOption[] options) => scrollPosition;
        public static void EndScrollView() {}
    }
}

namespace UnityEditorInternal
{
    public partial class InternalEditorUtility
    {
        public static bool OpenFileAtLineExternal(string filename, int line)
        {
            LastOpenedFile = filename;
            LastOpenedLine = line;
            return true;
        }

        internal static string LastOpenedFile;
        internal static int LastOpenedLine;
    }
}
