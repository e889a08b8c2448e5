using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace LoopBridge.Tests.Headless
{
    /// <summary>The repository follows Unity's package conventions (see <see cref="PackageConventions"/>).</summary>
    public sealed class PackageConventionTests
    {
        private static readonly string Root = PackageConventions.FindRepositoryRoot();

        [Test]
        public void Repository_FollowsPackageConventions()
        {
            var problems = PackageConventions.Check(Root);
            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
        }

        [Test]
        public void Build_FetchedTheUniTaskTheTargetsName_AndPackageJsonDeclaresAtLeastThat()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "package.json")));
            var declared = PackageConventions.DeclaredUniTaskVersion(doc.RootElement);
            Assert.That(declared, Is.EqualTo("2.5.10"), "Unity 2023.1+/Unity 6 need UniTask 2.3.2 or later (Cysharp/UniTask#416)");

            // The fetched version is the build's own setting, independent of the declared one.
            var targets = File.ReadAllText(Path.Combine(Root, ".deps", "unitask.targets"));
            var setting = System.Text.RegularExpressions.Regex.Match(targets, @"<UniTaskFetchedVersion[^>]*>([^<]+)</UniTaskFetchedVersion>");
            Assert.That(setting.Success, "unitask.targets names the fetched version in UniTaskFetchedVersion");
            var fetched = setting.Groups[1].Value;
            Assert.That(PackageConventions.FetchedUniTaskVersions(Root), Does.Contain(fetched),
                "this test run was built against the UniTask that unitask.targets names");
            Assert.That(PackageConventions.TryParseVersion(declared, out var d) && PackageConventions.TryParseVersion(fetched, out var f) && d >= f,
                $"declared {declared} >= fetched {fetched}");
        }

        [Test]
        public void PackageJson_HasTheRequiredFields()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "package.json")));
            var m = doc.RootElement;
            Assert.That(m.GetProperty("name").GetString(), Is.EqualTo("com.loopbridge.core"));
            Assert.That(m.GetProperty("displayName").GetString(), Is.EqualTo("LoopBridge"));
            Assert.That(m.GetProperty("unity").GetString(), Is.EqualTo("2021.3"));
            foreach (var field in new[] { "version", "description", "keywords", "license", "author", "documentationUrl", "changelogUrl", "samples" })
            {
                Assert.That(m.TryGetProperty(field, out _), Is.True, "package.json lacks " + field);
            }
        }

        [Test]
        public void AssemblyDefinitions_AreValidJson()
        {
            foreach (var asmdef in Directory.GetFiles(Root, "*.asmdef", SearchOption.AllDirectories).Where(p => !p.Contains(Path.DirectorySeparatorChar + ".")))
            {
                Assert.DoesNotThrow(() => JsonDocument.Parse(File.ReadAllText(asmdef)).Dispose(), asmdef);
            }
        }

        [Test]
        public void Check_FailsOnATemporaryCopy_WhenAMetaIsDeleted_OrAGuidRepeats_OrBuildOutputLeaks()
        {
            var copy = Path.Combine(Path.GetTempPath(), "loopbridge-conventions-" + Guid.NewGuid().ToString("N"));
            try
            {
                CopyPackage(Root, copy);
                Assert.That(PackageConventions.Check(copy), Is.Empty, "the copy starts sound");

                var victim = Directory.GetFiles(Path.Combine(copy, "Runtime"), "*.cs.meta", SearchOption.AllDirectories).OrderBy(m => m, StringComparer.Ordinal).First();
                File.Delete(victim);
                var problems = PackageConventions.Check(copy);
                Assert.That(problems, Has.Some.Contains("no .meta for").And.Some.Contains(Path.GetFileNameWithoutExtension(victim)));

                var metas = Directory.GetFiles(Path.Combine(copy, "Runtime"), "*.meta", SearchOption.AllDirectories)
                    .Where(m => File.Exists(m.Substring(0, m.Length - ".meta".Length)) || Directory.Exists(m.Substring(0, m.Length - ".meta".Length)))
                    .OrderBy(m => m, StringComparer.Ordinal)
                    .Take(2)
                    .ToArray();
                File.WriteAllText(metas[1], File.ReadAllText(metas[0]));
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("duplicate guid"));

                Directory.CreateDirectory(Path.Combine(copy, "Tests", "obj"));
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("build output"));

                var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "package.json")));
                manifest["samples"].AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["displayName"] = "x", ["path"] = "Samples~/Nowhere" });
                File.WriteAllText(Path.Combine(copy, "package.json"), manifest.ToJsonString());
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("sample path missing"));
            }
            finally
            {
                if (Directory.Exists(copy))
                {
                    Directory.Delete(copy, true);
                }
            }
        }

        [Test]
        public void Check_FailsWhenDeclaredUniTaskIsBelowFetched_AndAcceptsANewerDeclaredOne()
        {
            var copy = Path.Combine(Path.GetTempPath(), "loopbridge-conventions-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(copy);
                var fetched = Path.Combine(copy, ".deps", "unitask", "2.2.5");
                Directory.CreateDirectory(Path.Combine(fetched, "package"));
                File.WriteAllText(Path.Combine(fetched, ".complete"), "2.2.5");
                File.WriteAllText(Path.Combine(fetched, "package", "package.json"), "{ \"version\": \"2.2.5\" }");
                void Declare(string version) => File.WriteAllText(Path.Combine(copy, "package.json"),
                    "{ \"name\": \"com.x.y\", \"dependencies\": { \"com.cysharp.unitask\": \"" + version + "\" } }");

                Declare("2.2.4");
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("declares com.cysharp.unitask 2.2.4, below the 2.2.5 the headless build fetched"));
                Declare("2.1.10");
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("below the 2.2.5"), "numeric, not string, comparison");

                Declare("2.5.10");
                Assert.That(PackageConventions.Check(copy), Has.None.Contains("com.cysharp.unitask"));
                Declare("2.2.5");
                Assert.That(PackageConventions.Check(copy), Has.None.Contains("com.cysharp.unitask"));
                Declare("2.10.0");
                Assert.That(PackageConventions.Check(copy), Has.None.Contains("com.cysharp.unitask"), "2.10 is above 2.2");
            }
            finally
            {
                Directory.Delete(copy, true);
            }
        }

        private static void CopyPackage(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                if (!PackageConventions.IsHidden(Path.GetFileName(file)))
                {
                    File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
                }
            }

            // Samples~ too: package.json lists its folders, and the check resolves every sample path.
            foreach (var top in new[] { "Runtime", "Editor", "Tests", "Samples~" })
            {
                if (Directory.Exists(Path.Combine(from, top)))
                {
                    CopyTree(Path.Combine(from, top), Path.Combine(to, top));
                }
            }

            foreach (var meta in new[] { "Runtime.meta", "Editor.meta", "Tests.meta" })
            {
                if (File.Exists(Path.Combine(from, meta)) && !File.Exists(Path.Combine(to, meta)))
                {
                    File.Copy(Path.Combine(from, meta), Path.Combine(to, meta));
                }
            }
        }

        private static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var dir in Directory.GetDirectories(from))
            {
                if (!PackageConventions.IsHidden(Path.GetFileName(dir)))
                {
                    CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
                }
            }
        }
    }
}
