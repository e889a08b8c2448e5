// Stub of UnityEditor.EditorApplication.delayCall (Unity 2021.3 signature): a public static delegate field the editor
// invokes once, after the domain has loaded and inspectors updated. The stub never invokes it by itself.
namespace UnityEditor
{
    public sealed partial class EditorApplication
    {
        public static CallbackFunction delayCall;
    }
}
