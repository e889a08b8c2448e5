using System;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Performance figures are generated, never typed by hand (issue 13): the generated section of
    /// Documentation~/performance.md is Benchmarks~/results/latest.md byte for byte. A full benchmark run rewrites both
    /// (Benchmarks~/LoopBridge.Benchmarks/Harness/DocumentationPage.cs); a hand edit of either fails here.
    /// </summary>
    public sealed class PerformancePageTests
    {
        private const string Begin = "<!-- generated:begin Benchmarks~/results/latest.md -->\n";
        private const string End = "<!-- generated:end -->";
        private static readonly string Root = PackageConventions.FindRepositoryRoot();

        [Test]
        public void GeneratedSection_IsLatestResults_ByteForByte()
        {
            var page = Read(Path.Combine(Root, "Documentation~", "performance.md"));
            var latest = Read(Path.Combine(Root, "Benchmarks~", "results", "latest.md"));
            Assert.That(latest.Length, Is.GreaterThan(0), "Benchmarks~/results/latest.md is empty");

            var begin = page.IndexOf(Begin, StringComparison.Ordinal);
            Assert.That(begin, Is.GreaterThanOrEqualTo(0), "performance.md has no '" + Begin.Trim() + "' line");
            Assert.That(page.IndexOf(Begin, begin + 1, StringComparison.Ordinal), Is.LessThan(0), "one generated section only");
            var end = page.IndexOf(End, begin + Begin.Length, StringComparison.Ordinal);
            Assert.That(end, Is.GreaterThan(begin), "performance.md has no '" + End + "' after the begin marker");

            var section = page.Substring(begin + Begin.Length, end - begin - Begin.Length);
            if (section != latest)
            {
                var at = 0;
                while (at < Math.Min(section.Length, latest.Length) && section[at] == latest[at])
                {
                    at++;
                }

                var line = latest.Substring(0, Math.Min(at, latest.Length)).Split('\n').Length;
                Assert.Fail($"the generated section of Documentation~/performance.md differs from Benchmarks~/results/latest.md at line {line} of latest.md. "
                    + "Run the full benchmark (it rewrites both), or copy latest.md between the markers; never edit the figures by hand.");
            }
        }

        [Test]
        public void Readme_TypesNoBenchmarkFigure()
        {
            // The README's performance section carries claims a test asserts, and a link; figures live in the generated page.
            var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
            var start = readme.IndexOf("\n## Performance", StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has a Performance section");
            var next = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            var section = next < 0 ? readme.Substring(start) : readme.Substring(start, next - start);
            Assert.That(section, Does.Contain("Documentation~/performance.md"));
            foreach (var unit in new[] { "M/s", "µs", " ns", " ms", " MB", "×" })
            {
                Assert.That(section, Does.Not.Contain(unit), $"a typed figure ('{unit}') in the README's performance section: link to the generated page instead");
            }
        }

        private static string Read(string path) => File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n");
    }
}
