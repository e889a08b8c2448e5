// Stub of the Unity Test Framework's UnityEngine.TestTools.UnityTestAttribute. In Unity it is an
// NUnit test builder; here it is a plain attribute on purpose, so headless NUnit never runs
// [UnityTest] coroutines (they need real frames) and only compiles them.
using System;

namespace UnityEngine.TestTools
{
    [AttributeUsage(AttributeTargets.Method)]
    public class UnityTestAttribute : Attribute
    {
    }
}
