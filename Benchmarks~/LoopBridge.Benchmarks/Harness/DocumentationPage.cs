using System;
using System.IO;
using System.Text;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>
    /// Keeps Documentation~/performance.md in step with Benchmarks~/results/latest.md: the text between
    /// <c>&lt;!-- generated:begin Benchmarks~/results/latest.md --&gt;</c> and <c>&lt;!-- generated:end --&gt;</c>
    /// is replaced by the results file, byte for byte, so no figure in the manual is typed by hand.
    /// Tests/Headless~/Package/PerformancePageTests.cs checks the two are identical.
    /// </summary>
    internal static class DocumentationPage
    {
        internal const string Begin = "<!-- generated:begin Benchmarks~/results/latest.md -->\n";
        internal const string End = "<!-- generated:end -->";

        /// <summary>Rewrites the generated section of performance.md (next to Benchmarks~) with the file at <paramref name="latestPath"/>.</summary>
        /// <returns>The page written, or null (with a message) when the page or its markers are missing.</returns>
        internal static string? Update(string resultsFolder, string latestPath)
        {
            var page = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resultsFolder))!, "..", "Documentation~", "performance.md");
            page = Path.GetFullPath(page);
            if (!File.Exists(page))
            {
                Console.WriteLine("not updated (no such file): " + page);
                return null;
            }

            var text = File.ReadAllText(page, Encoding.UTF8).Replace("\r\n", "\n");
            var begin = text.IndexOf(Begin, StringComparison.Ordinal);
            var end = begin < 0 ? -1 : text.IndexOf(End, begin + Begin.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                Console.WriteLine($"not updated (markers '{Begin.Trim()}' … '{End}' missing): {page}");
                return null;
            }

            var results = File.ReadAllText(latestPath, Encoding.UTF8);
            text = text.Substring(0, begin + Begin.Length) + results + text.Substring(end);
            File.WriteAllText(page, text, new UTF8Encoding(false));
            return page;
        }
    }
}
