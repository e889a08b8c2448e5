using System;
using UnityEngine;

namespace UnityStubs
{
    /// <summary>One recorded call of UnityEngine.Debug.Log*, with the thread it came from.</summary>
    public sealed class LogEntry
    {
        internal LogEntry(LogType type, object message, Exception exception, int threadId)
        {
            Type = type;
            Message = message;
            Exception = exception;
            ThreadId = threadId;
        }

        public LogType Type { get; }
        public object Message { get; }
        public Exception Exception { get; }
        public int ThreadId { get; }

        public override string ToString() => $"[{Type}] {Message}{Exception}";
    }
}
