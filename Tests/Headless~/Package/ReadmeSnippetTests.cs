using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;
using UnityStubs;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Every C# example in README.md and Documentation~/**/*.md is compiled and cannot drift: each ```csharp block
    /// is preceded by <c>&lt;!-- snippet: name --&gt;</c> and is byte-identical to the region <c>// &lt;snippet:name&gt;</c>
    /// … <c>// &lt;/snippet&gt;</c> of a file in Documentation~/snippets/ (common indentation removed), which
    /// Tests/Snippets~/Snippets.csproj compiles with warnings as errors. The examples that claim to run as printed
    /// are run here. To refresh the Markdown after editing a snippet file:
    /// <c>LOOPBRIDGE_UPDATE_SNIPPETS=1 dotnet test Tests/LoopBridge.Tests.csproj -c Release --filter FullyQualifiedName~ReadmeSnippetTests</c>.
    /// </summary>
    public sealed class ReadmeSnippetTests
    {
        private static readonly string Root = PackageConventions.FindRepositoryRoot();

        [Test]
        public void EveryCSharpBlock_InTheDocumentation_IsAnIdenticalSnippetRegion()
        {
            var regions = SnippetChecker.ReadRegions(SnippetFiles(), out var regionProblems);
            var docs = DocumentationFiles();
            Assert.That(docs.Select(Path.GetFileName), Does.Contain("README.md"));

            var update = Environment.GetEnvironmentVariable("LOOPBRIDGE_UPDATE_SNIPPETS") == "1";
            var problems = new List<string>(regionProblems);
            var used = new HashSet<string>(StringComparer.Ordinal);
            var blocks = 0;
            foreach (var doc in docs)
            {
                var text = File.ReadAllText(doc);
                var result = SnippetChecker.Check(Path.GetRelativePath(Root, doc), text, regions, update);
                problems.AddRange(result.Problems);
                used.UnionWith(result.Used);
                blocks += result.Blocks;
                if (update && result.Updated != text)
                {
                    File.WriteAllText(doc, result.Updated);
                }
            }

            Assert.That(blocks, Is.GreaterThan(0), "no ```csharp block found: the check would prove nothing");
            problems.AddRange(regions.Keys.Where(name => !used.Contains(name)).Select(name => $"snippet '{name}' ({regions[name].File}) is shown nowhere: remove it or show it"));
            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine + Environment.NewLine, problems));
        }

        [Test]
        public void Check_ReportsDriftedMissingAndUnmarkedBlocks()
        {
            var regions = SnippetChecker.ReadRegions(
                new[] { ("a.cs", "class A\n{\n    // <snippet:one>\n    int x = 1;\n    // </snippet>\n}\n") },
                out var regionProblems);
            Assert.That(regionProblems, Is.Empty);
            Assert.That(regions["one"].Text, Is.EqualTo("int x = 1;"), "the region is dedented");

            var sound = SnippetChecker.Check("doc.md", "<!-- snippet: one -->\n```csharp\nint x = 1;\n```\n\n```sh\nls\n```\n", regions, update: false);
            Assert.That(sound.Problems, Is.Empty);
            Assert.That(sound.Blocks, Is.EqualTo(1), "only the C# block is checked");

            var drifted = SnippetChecker.Check("doc.md", "<!-- snippet: one -->\n```csharp\nint x = 2;\n```\n", regions, update: false);
            Assert.That(drifted.Problems, Has.Exactly(1).Contains("doc.md:2").And.Contains("differs from snippet 'one'"));

            var unmarked = SnippetChecker.Check("doc.md", "text\n\n```cs\nint x = 1;\n```\n", regions, update: false);
            Assert.That(unmarked.Problems, Has.Exactly(1).Contains("no <!-- snippet: name --> marker"));

            var unknown = SnippetChecker.Check("doc.md", "<!-- snippet: two -->\n```csharp\nint x = 1;\n```\n", regions, update: false);
            Assert.That(unknown.Problems, Has.Exactly(1).Contains("unknown snippet 'two'"));

            var refreshed = SnippetChecker.Check("doc.md", "<!-- snippet: one -->\n```csharp\nint x = 2;\n```\n", regions, update: true);
            Assert.That(refreshed.Updated, Is.EqualTo("<!-- snippet: one -->\n```csharp\nint x = 1;\n```\n"));

            SnippetChecker.ReadRegions(new[] { ("b.cs", "// <snippet:open>\nint y;\n") }, out var unclosed);
            Assert.That(unclosed, Has.Exactly(1).Contains("not closed"));
        }

        [Test]
        public void SnippetProject_CompilesEverySnippetFile_WithWarningsAsErrors()
        {
            var project = File.ReadAllText(Path.Combine(Root, "Tests", "Snippets~", "Snippets.csproj"));
            Assert.That(project, Does.Contain("<Compile Include=\"../../Documentation~/snippets/**/*.cs\" />"));
            Assert.That(project, Does.Contain("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>"));
            Assert.That(File.ReadAllText(Path.Combine(Root, "Tests", "LoopBridge.Tests.csproj")), Does.Contain("Snippets~/Snippets.csproj"),
                "the test build must compile the snippets");
            Assert.That(typeof(QuickStart).Assembly.GetName().Name, Is.EqualTo("LoopBridge.Snippets"));
        }

        [Test]
        public void HeadlessQuickStart_RunsAsPrinted()
        {
            var output = new StringWriter();
            var previous = Console.Out;
            Console.SetOut(TextWriter.Synchronized(output));
            try
            {
                HeadlessQuickStart.Main();
            }
            finally
            {
                Console.SetOut(previous);
            }

            Assert.That(output.ToString().Replace("\r\n", "\n"), Is.EqualTo("hello from the main thread\nanswer 42\n"));
        }

        [Test]
        public void TestingKitExample_DoesWhatItsCommentsSay()
        {
            var (first, value) = TestingKitExample.TickByHand();
            Assert.That(first.ItemsRun, Is.EqualTo(2), "ran 2");
            Assert.That(first.ItemsLeft, Is.EqualTo(8), "left 8");
            Assert.That(first.BudgetExhausted, Is.True, "the budget is spent");
            Assert.That(value, Is.EqualTo(42));
        }

        [Test]
        public void UnityQuickStart_RunsAsPrinted_OnTheStubEngine()
        {
            var glue = new[] { typeof(UnityMainLoop).Assembly, typeof(EditorMainLoop).Assembly };
            UnityStubs.EditorEngine.Reset();
            UnityStubs.EditorEngine.RunInitializeOnLoad(glue);
            try
            {
                UnityStubs.EditorEngine.EnterPlayMode(false, glue);
                var mainThread = Environment.CurrentManagedThreadId;
                var script = new QuickStart();
                typeof(QuickStart).GetMethod("Start", BindingFlags.Instance | BindingFlags.NonPublic).Invoke(script, null);

                // Frames until both the worker and the offloaded sum have reported; 30 s only guards against a hang.
                var guard = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (!(Logged("worker done") && Logged("fib(30) = ")) && DateTime.UtcNow < guard)
                {
                    Engine.SimulateFrame();
                    Thread.Yield();
                }

                var logs = Engine.Logs.Select(l => (Text: l.Message?.ToString() ?? l.Exception?.ToString(), l.ThreadId)).ToList();
                var report = string.Join(Environment.NewLine, logs.Select(l => $"[{l.ThreadId}] {l.Text}"));
                var results = logs.Where(l => l.Text.StartsWith("result ", StringComparison.Ordinal)).ToList();
                Assert.That(results.Select(l => l.Text.Split(' ')[1]), Is.EqualTo(new[] { "10946", "17711", "28657" }), report);
                Assert.That(results.Select(l => l.ThreadId), Has.All.EqualTo(mainThread), "posted work runs on the main thread\n" + report);
                Assert.That(logs.Where(l => l.Text.StartsWith("fib(30) = 832040 at frame ", StringComparison.Ordinal)).Select(l => l.ThreadId),
                    Is.EqualTo(new[] { mainThread }), "the offload comes back on the main thread\n" + report);
                Assert.That(logs.Count(l => l.Text.StartsWith("worker done at frame ", StringComparison.Ordinal)), Is.EqualTo(1), report);
                Assert.That(Engine.LoggedExceptions, Is.Empty, report);
            }
            finally
            {
                UnityStubs.EditorEngine.ExitPlayMode();
                UnityStubs.EditorEngine.RaiseBeforeAssemblyReload();
                UnityStubs.EditorEngine.Reset();
            }
        }

        [Test]
        public void UnityQuickStart_LeavingPlayModeWakesTheBlockedWorker_AndDropsTheOffload()
        {
            var glue = new[] { typeof(UnityMainLoop).Assembly, typeof(EditorMainLoop).Assembly };
            UnityStubs.EditorEngine.Reset();
            UnityStubs.EditorEngine.RunInitializeOnLoad(glue);
            try
            {
                UnityStubs.EditorEngine.EnterPlayMode(false, glue);
                var script = new QuickStart();
                typeof(QuickStart).GetMethod("Start", BindingFlags.Instance | BindingFlags.NonPublic).Invoke(script, null);

                // No frame runs: the worker's posts stay queued and it ends up blocked in GetResult (or is still
                // computing). Leaving play mode closes the loop; whatever the worker was doing, it stops.
                UnityStubs.EditorEngine.ExitPlayMode();
                var guard = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (!(Logged("worker stopped: ") && Logged("offload dropped: ")) && DateTime.UtcNow < guard)
                {
                    Thread.Sleep(1);
                }

                var report = string.Join(Environment.NewLine, Engine.Logs.Select(l => l.ToString()));
                var texts = Engine.Logs.Select(l => l.Message?.ToString() ?? "").ToList();
                Assert.That(texts, Has.Exactly(1).EqualTo("worker stopped: ExitingPlayMode"), report);
                Assert.That(texts, Has.Exactly(1).EqualTo("offload dropped: ExitingPlayMode"), report);
                Assert.That(texts, Has.None.StartsWith("result ").And.None.StartsWith("worker done").And.None.StartsWith("fib(30)"),
                    "nothing queued for the closed loop ever runs\n" + report);
                Assert.That(Engine.LoggedExceptions, Is.Empty, report);
            }
            finally
            {
                UnityStubs.EditorEngine.RaiseBeforeAssemblyReload();
                UnityStubs.EditorEngine.Reset();
            }
        }

        [Test]
        public void Readme_StaysShort_WithATableOfContents()
        {
            var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
            Assert.That(new FileInfo(Path.Combine(Root, "README.md")).Length, Is.LessThanOrEqualTo(25 * 1024),
                "issue 13: the README is read in five minutes; details go to Documentation~/");
            Assert.That(readme, Does.Contain("## Contents"));
            var headings = Regex.Matches(readme, @"^## (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim()).Where(h => h != "Contents");
            foreach (var heading in headings)
            {
                var anchor = "#" + Regex.Replace(heading.ToLowerInvariant(), @"[^a-z0-9 -]", "").Replace(' ', '-');
                Assert.That(readme, Does.Contain("](" + anchor + ")"), $"the table of contents lists '{heading}' ({anchor})");
            }
        }

        private static bool Logged(string prefix) => Engine.Logs.Any(l => (l.Message?.ToString() ?? "").StartsWith(prefix, StringComparison.Ordinal));

        private static IEnumerable<(string File, string Text)> SnippetFiles() =>
            Directory.GetFiles(Path.Combine(Root, "Documentation~", "snippets"), "*.cs", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (Path.GetRelativePath(Root, f), File.ReadAllText(f)));

        private static List<string> DocumentationFiles()
        {
            var docs = new List<string> { Path.Combine(Root, "README.md") };
            var manual = Path.Combine(Root, "Documentation~");
            if (Directory.Exists(manual))
            {
                docs.AddRange(Directory.GetFiles(manual, "*.md", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));
            }

            return docs;
        }
    }

    /// <summary>Finds snippet regions in C# files and checks the ```csharp blocks of a Markdown file against them.</summary>
    internal static class SnippetChecker
    {
        private static readonly Regex RegionStart = new Regex(@"^\s*// <snippet:([A-Za-z0-9_.-]+)>\s*$");
        private static readonly Regex RegionEnd = new Regex(@"^\s*// </snippet>\s*$");
        private static readonly Regex Marker = new Regex(@"^\s*<!--\s*snippet:\s*([A-Za-z0-9_.-]+)\s*-->\s*$");
        private static readonly Regex Fence = new Regex(@"^\s*(```+|~~~+)\s*([^\s`]*)");
        private static readonly string[] CSharpLanguages = { "csharp", "cs", "c#" };

        /// <summary>A region: where it comes from and its text (lines joined by \n, common indentation removed).</summary>
        internal sealed class Region
        {
            internal Region(string file, int line, string text)
            {
                File = file;
                Line = line;
                Text = text;
            }

            internal string File { get; }
            internal int Line { get; }
            internal string Text { get; }
        }

        /// <summary>What <see cref="Check"/> found in one Markdown file.</summary>
        internal sealed class Result
        {
            internal List<string> Problems { get; } = new List<string>();
            internal HashSet<string> Used { get; } = new HashSet<string>(StringComparer.Ordinal);
            internal int Blocks { get; set; }
            internal string Updated { get; set; }
        }

        internal static Dictionary<string, Region> ReadRegions(IEnumerable<(string File, string Text)> files, out List<string> problems)
        {
            problems = new List<string>();
            var regions = new Dictionary<string, Region>(StringComparer.Ordinal);
            foreach (var (file, text) in files)
            {
                var lines = SplitLines(text);
                string open = null;
                var openLine = 0;
                var body = new List<string>();
                for (var i = 0; i < lines.Length; i++)
                {
                    var start = RegionStart.Match(lines[i]);
                    if (start.Success)
                    {
                        if (open != null)
                        {
                            problems.Add($"{file}:{i + 1}: snippet '{start.Groups[1].Value}' starts inside snippet '{open}'");
                        }

                        open = start.Groups[1].Value;
                        openLine = i + 1;
                        body.Clear();
                    }
                    else if (RegionEnd.IsMatch(lines[i]))
                    {
                        if (open == null)
                        {
                            problems.Add($"{file}:{i + 1}: // </snippet> without a start");
                        }
                        else if (regions.TryGetValue(open, out var other))
                        {
                            problems.Add($"{file}:{openLine}: snippet '{open}' is also defined in {other.File}:{other.Line}");
                        }
                        else
                        {
                            regions.Add(open, new Region(file, openLine, Dedent(body)));
                        }

                        open = null;
                    }
                    else if (open != null)
                    {
                        body.Add(lines[i]);
                    }
                }

                if (open != null)
                {
                    problems.Add($"{file}:{openLine}: snippet '{open}' is not closed by // </snippet>");
                }
            }

            return regions;
        }

        internal static Result Check(string docName, string markdown, IReadOnlyDictionary<string, Region> regions, bool update)
        {
            var result = new Result();
            var lines = SplitLines(markdown);
            var output = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                var fence = Fence.Match(lines[i]);
                if (!fence.Success)
                {
                    Append(output, lines[i]);
                    continue;
                }

                var close = FindClose(lines, i, fence.Groups[1].Value);
                var language = fence.Groups[2].Value;
                var body = string.Join("\n", lines.Skip(i + 1).Take(close - i - 1));
                Append(output, lines[i]);
                if (!CSharpLanguages.Contains(language, StringComparer.OrdinalIgnoreCase))
                {
                    AppendBlock(output, lines, i + 1, close);
                    i = close;
                    continue;
                }

                result.Blocks++;
                var marker = PreviousNonBlank(lines, i);
                var m = marker < 0 ? Match.Empty : Marker.Match(lines[marker]);
                if (!m.Success)
                {
                    result.Problems.Add($"{docName}:{i + 1}: ```{language} block has no <!-- snippet: name --> marker on the line before it; "
                        + "put the code in a region of a file in Documentation~/snippets/ and name the region there");
                    AppendBlock(output, lines, i + 1, close);
                }
                else if (!regions.TryGetValue(m.Groups[1].Value, out var region))
                {
                    result.Problems.Add($"{docName}:{i + 1}: unknown snippet '{m.Groups[1].Value}' (no // <snippet:{m.Groups[1].Value}> region in Documentation~/snippets/)");
                    AppendBlock(output, lines, i + 1, close);
                }
                else
                {
                    result.Used.Add(m.Groups[1].Value);
                    if (update)
                    {
                        if (region.Text.Length > 0)
                        {
                            Append(output, region.Text);
                        }

                        AppendBlock(output, lines, close, close);
                    }
                    else
                    {
                        if (body != region.Text)
                        {
                            result.Problems.Add($"{docName}:{i + 1}: block differs from snippet '{m.Groups[1].Value}' ({region.File}:{region.Line}) at line {FirstDifference(body, region.Text)} of the block. "
                                + $"The snippet reads:\n{region.Text}");
                        }

                        AppendBlock(output, lines, i + 1, close);
                    }
                }

                i = close;
            }

            result.Updated = output.ToString();
            if (!markdown.EndsWith("\n", StringComparison.Ordinal) && result.Updated.EndsWith("\n", StringComparison.Ordinal))
            {
                result.Updated = result.Updated.Substring(0, result.Updated.Length - 1);
            }

            return result;
        }

        private static int FindClose(string[] lines, int open, string fence)
        {
            for (var j = open + 1; j < lines.Length; j++)
            {
                var trimmed = lines[j].Trim();
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim(fence[0]).Length == 0)
                {
                    return j;
                }
            }

            return lines.Length;
        }

        private static void AppendBlock(StringBuilder output, string[] lines, int from, int close)
        {
            for (var j = from; j <= close && j < lines.Length; j++)
            {
                Append(output, lines[j]);
            }
        }

        private static void Append(StringBuilder output, string line) => output.Append(line).Append('\n');

        private static int PreviousNonBlank(string[] lines, int index)
        {
            for (var j = index - 1; j >= 0; j--)
            {
                if (lines[j].Trim().Length > 0)
                {
                    return j;
                }
            }

            return -1;
        }

        private static string Dedent(List<string> body)
        {
            var indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", body.Select(l => l.Trim().Length == 0 ? "" : l.Substring(indent).TrimEnd()));
        }

        private static int FirstDifference(string a, string b)
        {
            var x = a.Split('\n');
            var y = b.Split('\n');
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                if (x[i] != y[i])
                {
                    return i + 1;
                }
            }

            return Math.Min(x.Length, y.Length) + 1;
        }

        private static string[] SplitLines(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            return text.EndsWith("\n", StringComparison.Ordinal) ? lines.Take(lines.Length - 1).ToArray() : lines;
        }
    }
}
