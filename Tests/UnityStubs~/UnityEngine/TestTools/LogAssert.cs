// Stub of the Unity Test Framework's UnityEngine.TestTools.LogAssert (the members our Unity tests
// use). In Unity an unexpected error or exception log fails the running test; headlessly the
// [UnityTest] methods that call this never run, they only compile.
using System.Text.RegularExpressions;

namespace UnityEngine.TestTools
{
    public static class LogAssert
    {
        public static void Expect(LogType type, string message) {}
        public static void Expect(LogType type, Regex message) {}
        public static void NoUnexpectedReceived() {}
        public static bool ignoreFailingMessages { get; set; }
    }
}
