// Stubs of UnityEditor.EditorWindow, EditorGUILayout and UnityEngine's GUILayout (Unity 2021.3
// signatures, only the members the Unity samples use). GUI calls do nothing.
using UnityEngine;

namespace UnityEditor
{
    public partial class EditorWindow : ScriptableObject
    {
        public static T GetWindow<T>() where T : EditorWindow => GetWindow<T>(false, null, true);
        public static T GetWindow<T>(string title) where T : EditorWindow => GetWindow<T>(false, title, true);
        public static T GetWindow<T>(bool utility, string title, bool focus) where T : EditorWindow
        {
            UnityStubs.Engine.RequireMainThread(nameof(GetWindow));
            var window = (T)System.Activator.CreateInstance(typeof(T));
            window.name = title;
            return window;
        }

        public void Repaint()
        {
            UnityStubs.Engine.RequireMainThread(nameof(Repaint));
            RepaintCount++;
        }

        public void Close() => Destroy(this);

        internal int RepaintCount;
    }

    public sealed partial class EditorGUILayout
    {
        public static string TextField(string label, string text, params GUILayoutOption[] options) => text;
        public static void LabelField(string label, params GUILayoutOption[] options) {}
    }
}
