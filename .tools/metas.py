#!/usr/bin/env python3
"""Writes a Unity .meta (fresh random GUID) for every file and folder Unity imports that lacks one,
and removes .meta files whose asset is gone. Run from anywhere: python3 .tools/metas.py [--check]
Imported: Runtime/, Editor/, Tests/ (minus hidden parts: names starting with '.' or ending in '~')
and the non-hidden top-level files. --check only lists what is missing or orphaned (exit 1 if any)."""
import os, sys, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMPORTED = ["Runtime", "Editor", "Tests"]

def hidden(name):
    return name.startswith(".") or name.endswith("~")

def importer(path, is_dir):
    if is_dir:
        return "folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n"
    ext = os.path.splitext(path)[1].lower()
    if ext == ".cs":
        return ("MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n"
                "  executionOrder: 0\n  icon: {instanceID: 0}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n")
    if ext == ".asmdef":
        return "AssemblyDefinitionImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n"
    if os.path.basename(path) == "package.json":
        return "PackageManifestImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n"
    if ext in (".md", ".txt", ".json", ".xml"):
        return "TextScriptImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n"
    return "DefaultImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n"

def assets():
    for top in IMPORTED:
        p = os.path.join(ROOT, top)
        if not os.path.isdir(p):
            continue
        yield p, True
        for d, dirs, files in os.walk(p):
            dirs[:] = sorted(x for x in dirs if not hidden(x) and x not in ("bin", "obj", "node_modules"))
            for x in dirs:
                yield os.path.join(d, x), True
            for f in sorted(files):
                if not f.endswith(".meta") and not hidden(f):
                    yield os.path.join(d, f), False
    for f in sorted(os.listdir(ROOT)):
        p = os.path.join(ROOT, f)
        if os.path.isfile(p) and not hidden(f) and not f.endswith(".meta"):
            yield p, False

def main():
    check = "--check" in sys.argv
    bad = 0
    wanted = set()
    for path, is_dir in assets():
        meta = path + ".meta"
        wanted.add(meta)
        if not os.path.exists(meta):
            bad += 1
            print(("missing " if check else "wrote ") + os.path.relpath(meta, ROOT))
            if not check:
                with open(meta, "w", newline="\n") as fh:
                    fh.write("fileFormatVersion: 2\nguid: %s\n%s" % (uuid.uuid4().hex, importer(path, is_dir)))
    for top in IMPORTED:
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [x for x in dirs if not hidden(x)]
            for f in files:
                m = os.path.join(d, f)
                if f.endswith(".meta") and m not in wanted:
                    bad += 1
                    print(("orphan " if check else "removed ") + os.path.relpath(m, ROOT))
                    if not check:
                        os.remove(m)
    sys.exit(1 if (check and bad) else 0)

main()
