#nullable enable
using System;

namespace LoopBridge.Testing
{
    /// <summary>Thrown by <see cref="LoopAssert"/> when a loop is not in the state a test expects. Test frameworks report it as a failure.</summary>
    public sealed class LoopAssertionException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What was expected and what was found.</param>
        public LoopAssertionException(string message)
            : base(message)
        {
        }
    }
}
