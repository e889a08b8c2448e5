#!/usr/bin/env bash
# Builds the Mono test host and runs it under Mono's SGen and Boehm GCs (Boehm is the GC Unity uses).
#   Tests/Mono~/run.sh         the suites; prints "mono-sgen: N passed, N failed" and "mono-boehm: ...";
#                              exit code 0 only when both legs pass
#   Tests/Mono~/run.sh perf    by-hand figures (allocation per submission, round-trip p50/p99), not asserted
# Needs `mono` (apt: mono-devel mono-runtime-boehm) and the .NET SDK. .ci/run calls it.
set -uo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-tests}
dotnet build 'Tests/Mono~/LoopBridge.Tests.Mono.csproj' -c Release -warnaserror -nologo -v:q -clp:NoSummary >&2 || {
  echo "mono: the host did not build"; exit 1; }
exe=$PWD/.artifacts/bin/LoopBridge.Tests.Mono/release/LoopBridge.Tests.Runtime.exe
# Run from a scratch folder: a crashing Mono writes mono_crash.*.json into the working directory.
mkdir -p .artifacts/mono-run && cd .artifacts/mono-run
# -O=-intrins: Debian's Mono 6.8 JIT aborts (intrinsics.c:1005 mini_type_is_reference) when it inlines
# Thread.VolatileRead(ref object), which UniTaskCompletionSource.TrySetResult calls; switching off the
# intrinsics avoids it. Unity's own Mono fork is not known to have the bug. Its side effect: under SGen, reading a
# value-type array through IEnumerable<T>/IList<T> (e.g. new long[3].Sum()) then overflows the native stack at once
# ("Stack overflow in unmanaged"), so the suites index such arrays instead. Reference-type arrays and Boehm are unaffected.
status=0
for gc in sgen boehm; do
  if [ "$mode" = perf ]; then
    echo "== mono-$gc ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
    mono --gc=$gc -O=-intrins "$exe" perf || status=1
  else
    mono --gc=$gc -O=-intrins --debug "$exe" "mono-$gc" || status=1
  fi
done
exit $status
