using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// Every relative link in README.md, CHANGELOG.md and Documentation~/**/*.md points to a file or folder that exists,
    /// and a link with an anchor (<c>page.md#heading</c>, <c>#heading</c>) to a heading of that page (GitHub's anchor
    /// rule); the manual's index links every page of the manual.
    /// </summary>
    public sealed class DocumentationLinkTests
    {
        private static readonly string Root = PackageConventions.FindRepositoryRoot();
        private static readonly Regex Link = new Regex(@"\]\(([^()\s]+)\)");
        private static readonly Regex Heading = new Regex(@"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline);

        [Test]
        public void EveryRelativeLink_PointsToAnExistingFileAndHeading()
        {
            var problems = new List<string>();
            var links = 0;
            foreach (var doc in Documents())
            {
                var name = Path.GetRelativePath(Root, doc).Replace('\\', '/');
                foreach (Match m in Link.Matches(WithoutCode(File.ReadAllText(doc))))
                {
                    var target = m.Groups[1].Value;
                    if (Regex.IsMatch(target, @"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase))
                    {
                        continue;   // https:, mailto: ...
                    }

                    links++;
                    var hash = target.IndexOf('#');
                    var file = hash < 0 ? target : target.Substring(0, hash);
                    var anchor = hash < 0 ? null : target.Substring(hash + 1);
                    var path = file.Length == 0 ? doc : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc), Uri.UnescapeDataString(file)));
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        problems.Add($"{name}: link '{target}': no such file {Path.GetRelativePath(Root, path)}");
                    }
                    else if (anchor != null && path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(File.ReadAllText(path)).Contains(anchor))
                    {
                        problems.Add($"{name}: link '{target}': no heading with anchor #{anchor} in {Path.GetRelativePath(Root, path)}");
                    }
                }
            }

            Assert.That(links, Is.GreaterThan(10), "found almost no relative links: the check would prove nothing");
            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
        }

        [Test]
        public void ManualIndex_LinksEveryPage()
        {
            var manual = Path.Combine(Root, "Documentation~");
            var index = File.ReadAllText(Path.Combine(manual, "index.md"));
            var pages = Directory.GetFiles(manual, "*.md").Select(Path.GetFileName).Where(p => p != "index.md").ToList();
            Assert.That(pages, Is.SupersetOf(new[] { "handles.md", "lifecycle.md", "unity.md", "unity-async.md", "diagnostics.md", "headless.md", "migration.md", "performance.md" }));
            Assert.That(pages.Where(p => !index.Contains("](" + p + ")")), Is.Empty, "pages of Documentation~ that index.md does not link");
        }

        [Test]
        public void Anchors_FollowGitHubsRule()
        {
            var anchors = Anchors("# A page\n## From asyncio `run_coroutine_threadsafe` / `call_soon_threadsafe`\n## Burst profile (issue 16)\n## Notes\n## Notes\n```\n# not a heading\n```\n");
            Assert.That(anchors, Is.EquivalentTo(new[] { "a-page", "from-asyncio-run_coroutine_threadsafe--call_soon_threadsafe", "burst-profile-issue-16", "notes", "notes-1" }));
        }

        /// <summary>GitHub's heading anchors: lower case, punctuation but '-' and '_' removed, spaces to '-', repeats numbered.</summary>
        internal static HashSet<string> Anchors(string markdown)
        {
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in Heading.Matches(WithoutCode(markdown)))
            {
                var slug = Regex.Replace(m.Groups[1].Value.ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-');
                var unique = slug;
                for (var n = 1; !anchors.Add(unique); n++)
                {
                    unique = slug + "-" + n;
                }
            }

            return anchors;
        }

        /// <summary>The text with fenced code blocks blanked out (links and headings inside them are code, not Markdown).</summary>
        private static string WithoutCode(string markdown)
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            string fence = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                var marker = trimmed.StartsWith("```", StringComparison.Ordinal) ? "```" : trimmed.StartsWith("~~~", StringComparison.Ordinal) ? "~~~" : null;
                if (fence == null && marker != null)
                {
                    fence = marker;
                    lines[i] = "";
                }
                else if (fence != null)
                {
                    if (marker == fence && trimmed.Trim(fence[0]).Trim().Length == 0)
                    {
                        fence = null;
                    }

                    lines[i] = "";
                }
            }

            return string.Join("\n", lines);
        }

        private static IEnumerable<string> Documents()
        {
            yield return Path.Combine(Root, "README.md");
            yield return Path.Combine(Root, "CHANGELOG.md");
            foreach (var page in Directory.GetFiles(Path.Combine(Root, "Documentation~"), "*.md", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                yield return page;
            }
        }
    }
}
