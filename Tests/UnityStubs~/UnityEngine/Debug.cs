// Stub of UnityEngine.Debug and UnityEngine.LogType (Unity 2021.3 signatures, only the members
// LoopBridge uses). Every call is recorded in UnityStubs.Engine.Logs.
using System;

namespace UnityEngine
{
    public enum LogType
    {
        Error = 0,
        Assert = 1,
        Warning = 2,
        Log = 3,
        Exception = 4
    }

    public partial class Debug
    {
        public static void Log(object message) => UnityStubs.Engine.RecordLog(LogType.Log, message, null, null);
        public static void Log(object message, Object context) => UnityStubs.Engine.RecordLog(LogType.Log, message, null, context);
        public static void LogWarning(object message) => UnityStubs.Engine.RecordLog(LogType.Warning, message, null, null);
        public static void LogWarning(object message, Object context) => UnityStubs.Engine.RecordLog(LogType.Warning, message, null, context);
        public static void LogError(object message) => UnityStubs.Engine.RecordLog(LogType.Error, message, null, null);
        public static void LogError(object message, Object context) => UnityStubs.Engine.RecordLog(LogType.Error, message, null, context);
        public static void LogException(Exception exception) => UnityStubs.Engine.RecordLog(LogType.Exception, null, exception, null);
        public static void LogException(Exception exception, Object context) => UnityStubs.Engine.RecordLog(LogType.Exception, null, exception, context);
    }
}
