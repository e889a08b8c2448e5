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
        public void Build_CompiledTheUniTaskThatPackageJsonDeclares()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "package.json")));
            var declared = PackageConventions.DeclaredUniTaskVersion(doc.RootElement);
            Assert.That(declared, Is.Not.Null.And.Not.Empty);
            Assert.That(PackageConventions.FetchedUniTaskVersions(Root), Does.Contain(declared),
                "this test run was built against a fetched UniTask; it must be the version package.json declares");

            // One source of truth: the fetch reads the version from package.json and names no version of its own.
            var targets = File.ReadAllText(Path.Combine(Root, ".deps", "unitask.targets"));
            Assert.That(targets, Does.Contain("package.json"));
            Assert.That(targets, Does.Not.Contain(declared), "the build must not hard-code the UniTask version");
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

                var victim = Directory.GetFiles(Path.Combine(copy, "Runtime"), "*.cs.meta", SearchOption.AllDirectories).First();
                File.Delete(victim);
                var problems = PackageConventions.Check(copy);
                Assert.That(problems, Has.Some.Contains("no .meta for").And.Some.Contains(Path.GetFileNameWithoutExtension(victim)));

                var metas = Directory.GetFiles(Path.Combine(copy, "Runtime"), "*.meta", SearchOption.AllDirectories).Take(2).ToArray();
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
        public void Check_FailsWhenDeclaredUniTaskDiffersFromFetched()
        {
            var copy = Path.Combine(Path.GetTempPath(), "loopbridge-conventions-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(copy);
                File.WriteAllText(Path.Combine(copy, "package.json"), "{ \"name\": \"com.x.y\", \"dependencies\": { \"com.cysharp.unitask\": \"9.9.9\" } }");
                var fetched = Path.Combine(copy, ".deps", "unitask", "2.2.5");
                Directory.CreateDirectory(Path.Combine(fetched, "package"));
                File.WriteAllText(Path.Combine(fetched, ".complete"), "2.2.5");
                File.WriteAllText(Path.Combine(fetched, "package", "package.json"), "{ \"version\": \"2.2.5\" }");
                Assert.That(PackageConventions.Check(copy), Has.Some.Contains("declares com.cysharp.unitask 9.9.9 but the headless build fetched 2.2.5"));
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
