#nullable enable
using System;

namespace LoopBridge
{
    /// <summary>Finds the user's source file and line in a submitting stack trace (for "click to open" in the monitor).</summary>
    public static class LoopCallSite
    {
        private const string LineMarker = ":line ";

        /// <summary>
        /// Finds the first frame of <paramref name="stackTrace"/> that has a file and line and is not LoopBridge's own
        /// submission code (<c>LoopBridge.MainLoop.</c> frames). Any thread; allocates the file string.
        /// </summary>
        /// <param name="stackTrace">A <see cref="System.Diagnostics.StackTrace"/> text (<c>"   at X.Y() in /path/File.cs:line 42"</c>), or null.</param>
        /// <param name="file">The file path, or null.</param>
        /// <param name="line">The line number, or 0.</param>
        /// <returns>Whether a frame with a file and line was found.</returns>
        public static bool TryParse(string? stackTrace, out string? file, out int line)
        {
            file = null;
            line = 0;
            if (string.IsNullOrEmpty(stackTrace))
            {
                return false;
            }

            foreach (var raw in stackTrace!.Split('\n'))
            {
                var frame = raw.TrimEnd('\r');
                var at = frame.LastIndexOf(LineMarker, StringComparison.Ordinal);
                var inAt = frame.IndexOf(" in ", StringComparison.Ordinal);
                if (at < 0 || inAt < 0 || at < inAt || frame.IndexOf(" LoopBridge.MainLoop.", StringComparison.Ordinal) >= 0)
                {
                    continue;
                }

                if (int.TryParse(frame.Substring(at + LineMarker.Length).Trim(), out var n))
                {
                    file = frame.Substring(inAt + 4, at - inAt - 4);
                    line = n;
                    return true;
                }
            }

            return false;
        }
    }
}
