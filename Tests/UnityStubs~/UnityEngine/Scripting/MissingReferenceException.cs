// Stub of UnityEngine.MissingReferenceException (thrown when a destroyed object is used). Test scaffolding only.
using System;

namespace UnityEngine
{
    public class MissingReferenceException : SystemException
    {
        public MissingReferenceException() { }

        public MissingReferenceException(string message) : base(message) { }

        public MissingReferenceException(string message, Exception innerException) : base(message, innerException) { }
    }
}
