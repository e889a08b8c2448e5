using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LoopBridge.Tests.Headless
{
    /// <summary>
    /// The Unity package conventions of this repository, as an executable check: every imported asset has a .meta
    /// with a unique GUID, no build output or fetched dependency sits in an imported folder, every sample path
    /// exists, and the UniTask package.json declares is at least the one the headless build fetched.
    /// </summary>
    internal static class PackageConventions
    {
        private static readonly string[] ImportedFolders = { "Runtime", "Editor", "Tests" };
        private static readonly string[] BuildOutputNames = { "bin", "obj", "node_modules" };
        private static readonly Regex GuidLine = new Regex(@"^guid:\s*([0-9a-fA-F]+)\s*$", RegexOptions.Multiline);

        /// <summary>The repository root: the folder above the test assembly holding package.json and LoopBridge.csproj.</summary>
        internal static string FindRepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "LoopBridge.csproj")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("No repository root (package.json + LoopBridge.csproj) above " + AppContext.BaseDirectory);
        }

        /// <summary>Unity ignores names starting with '.' or ending with '~' (and everything below them).</summary>
        internal static bool IsHidden(string name) => name.StartsWith(".", StringComparison.Ordinal) || name.EndsWith("~", StringComparison.Ordinal);

        /// <summary>Every problem found under <paramref name="root"/>; empty when the package is sound.</summary>
        internal static List<string> Check(string root)
        {
            var problems = new List<string>();
            var guids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (path, isFolder) in ImportedAssets(root))
            {
                var rel = Path.GetRelativePath(root, path);
                if (rel.Split(Path.DirectorySeparatorChar).Any(part => BuildOutputNames.Contains(part)))
                {
                    problems.Add("build output or fetched dependency inside an imported folder: " + rel);
                    continue;
                }

                var meta = path + ".meta";
                if (!File.Exists(meta))
                {
                    problems.Add("no .meta for " + rel);
                    continue;
                }

                var text = File.ReadAllText(meta);
                var m = GuidLine.Match(text);
                if (!m.Success || m.Groups[1].Value.Length != 32)
                {
                    problems.Add("bad or missing guid in " + rel + ".meta");
                    continue;
                }

                if (guids.TryGetValue(m.Groups[1].Value, out var other))
                {
                    problems.Add($"duplicate guid {m.Groups[1].Value}: {rel} and {other}");
                }
                else
                {
                    guids.Add(m.Groups[1].Value, rel);
                }

                if (isFolder && !text.Contains("folderAsset: yes"))
                {
                    problems.Add("folder .meta without 'folderAsset: yes': " + rel + ".meta");
                }
            }

            foreach (var name in BuildOutputNames)
            {
                if (Directory.Exists(Path.Combine(root, name)))
                {
                    problems.Add($"top-level {name}/ would be imported by Unity");
                }
            }

            CheckManifest(root, problems);
            return problems;
        }

        private static IEnumerable<(string Path, bool IsFolder)> ImportedAssets(string root)
        {
            foreach (var top in ImportedFolders)
            {
                var dir = Path.Combine(root, top);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                yield return (dir, true);
                foreach (var entry in Walk(dir))
                {
                    yield return entry;
                }
            }

            foreach (var file in Directory.GetFiles(root))
            {
                var name = Path.GetFileName(file);
                if (!IsHidden(name) && !name.EndsWith(".meta", StringComparison.Ordinal))
                {
                    yield return (file, false);
                }
            }
        }

        private static IEnumerable<(string Path, bool IsFolder)> Walk(string dir)
        {
            foreach (var file in Directory.GetFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (!IsHidden(name) && !name.EndsWith(".meta", StringComparison.Ordinal))
                {
                    yield return (file, false);
                }
            }

            foreach (var sub in Directory.GetDirectories(dir))
            {
                if (IsHidden(Path.GetFileName(sub)))
                {
                    continue;
                }

                yield return (sub, true);
                foreach (var entry in Walk(sub))
                {
                    yield return entry;
                }
            }
        }

        private static void CheckManifest(string root, List<string> problems)
        {
            JsonDocument manifest;
            try
            {
                manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "package.json")));
            }
            catch (Exception ex)
            {
                problems.Add("package.json unreadable: " + ex.Message);
                return;
            }

            using (manifest)
            {
                var rootElement = manifest.RootElement;
                if (rootElement.TryGetProperty("samples", out var samples))
                {
                    foreach (var sample in samples.EnumerateArray())
                    {
                        var path = sample.TryGetProperty("path", out var p) ? p.GetString() : null;
                        if (path == null || !Directory.Exists(Path.Combine(root, path)))
                        {
                            problems.Add("sample path missing: " + (path ?? "(none)"));
                        }
                    }
                }

                var version = DeclaredUniTaskVersion(rootElement);
                if (version == null)
                {
                    problems.Add("package.json does not depend on com.cysharp.unitask");
                    return;
                }

                // Declared >= fetched: Unity users get the declared UniTask, the headless build compiles the fetched
                // one, and the code uses only API present unchanged in both (the 2.5 line added, removed nothing we
                // use). A declared version below the fetched one would let the code use API users do not have.
                if (!TryParseVersion(version, out var declared))
                {
                    problems.Add($"package.json declares com.cysharp.unitask {version}, which is not a plain version number");
                    return;
                }

                foreach (var fetched in FetchedUniTaskVersions(root))
                {
                    if (!TryParseVersion(fetched, out var built) || built > declared)
                    {
                        problems.Add($"package.json declares com.cysharp.unitask {version}, below the {fetched} the headless build fetched and compiles against");
                    }
                }
            }
        }

        /// <summary>Parses "major.minor.patch" (a pre-release suffix such as "-preview" is ignored).</summary>
        internal static bool TryParseVersion(string text, out Version version)
        {
            var plain = text?.Split('-', '+')[0];
            return Version.TryParse(plain, out version);
        }

        internal static string DeclaredUniTaskVersion(JsonElement manifest) =>
            manifest.TryGetProperty("dependencies", out var deps) && deps.TryGetProperty("com.cysharp.unitask", out var v) ? v.GetString() : null;

        /// <summary>Versions fetched and completed by the build (.deps/unitask/&lt;version&gt;/.complete), read from the fetched package itself.</summary>
        internal static List<string> FetchedUniTaskVersions(string root)
        {
            var result = new List<string>();
            var dir = Path.Combine(root, ".deps", "unitask");
            if (!Directory.Exists(dir))
            {
                return result;
            }

            foreach (var versionDir in Directory.GetDirectories(dir))
            {
                var manifest = Path.Combine(versionDir, "package", "package.json");
                if (File.Exists(Path.Combine(versionDir, ".complete")) && File.Exists(manifest))
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
                    result.Add(doc.RootElement.GetProperty("version").GetString());
                }
            }

            return result;
        }
    }
}
