#!/usr/bin/env python3
"""Hand-written mutation testing of Runtime/Core (issue 15).

Applies one curated mutation at a time to a file under Runtime/Core, builds LoopBridge.csproj only (warnings not
fatal), copies the mutant LoopBridge.Runtime.dll over the one in the test project's output, and runs the test suite
(`--no-build`) with a filter. A mutant is KILLED when the run fails or exceeds the hang guard, SURVIVED when it
passes, and UNBUILDABLE when it does not compile (not counted). The source file is restored after every mutant
(also on Ctrl-C), and the original assembly is rebuilt and copied back at the end.

Usage (from the repository root; build the tests once first):
    dotnet build Tests/LoopBridge.Tests.csproj -c Release
    python3 .tools/mutate.py                 # every mutant, fast subset of the suite
    python3 .tools/mutate.py C03 T02         # only these ids
    python3 .tools/mutate.py --list          # list the mutants
    python3 .tools/mutate.py --filter 'Category!=Stress' --hang 240 ...
Results go to .artifacts/mutation/results.tsv (one line per mutant) and the console.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = "Runtime/Core/"
INTERNAL = "Runtime/Core/Internal/"

# The fast subset: everything but the stress/race tests (run the mutant again with --filter '' to include them).
# Tests listed in BASELINE_FAILING fail (or hang) on the unmutated code; they are left out so that a failure means
# the mutant was detected. Empty: every test passes on the unmutated code (add a name here only with its reason).
BASELINE_FAILING = []
DEFAULT_FILTER = "Category!=Stress&Category!=Slow" + "".join("&Name!=" + n for n in BASELINE_FAILING)

# (id, file, old text (must occur exactly once), new text, what the mutation breaks)
MUTANTS = [
    # ---- LoopWorkItem.Completion.cs: claim, publish, dispatch, cancel
    ("C01", INTERNAL + "LoopWorkItem.Completion.cs",
     "if (CancelRequested || cancellationToken.IsCancellationRequested)",
     "if (false)",
     "Execute: no 'cancelled between queue and start' check"),
    ("C02", INTERNAL + "LoopWorkItem.Completion.cs",
     "                // Cancelled (token or Cancel()) while it waited in the queue: the work never runs.\n                ReleaseWorkSide();",
     "                // mutant\n",
     "Execute: item cancelled while queued never releases its work side (leak, never recycled)"),
    ("C03", INTERNAL + "LoopWorkItem.Completion.cs",
     "            TryComplete(Queued, UniTaskStatus.Canceled, owner.CreateClosedException(), byClose: true);\n            ReleaseWorkSide();\n        }\n\n        /// <summary>\n        /// Runs",
     "            TryComplete(Queued, UniTaskStatus.Canceled, owner.CreateClosedException(), byClose: true);\n        }\n\n        /// <summary>\n        /// Runs",
     "Abort (close fails queued work): work side never released"),
    ("C04", INTERNAL + "LoopWorkItem.Completion.cs",
     "owner.OnItemCompleted(this, st, byClose);",
     "",
     "Publish: completion not counted in Statistics"),
    ("C05", INTERNAL + "LoopWorkItem.Completion.cs",
     "if (fireAndForget && st == UniTaskStatus.Faulted)",
     "if (false)",
     "Publish: a fault of fire-and-forget work (Post) is not reported"),
    ("C06", INTERNAL + "LoopWorkItem.Completion.cs",
     "if (Volatile.Read(ref waiters) > 0)",
     "if (Volatile.Read(ref waiters) > 1)",
     "Publish: boundary, one blocked waiter is not pulsed"),
    ("C07", INTERNAL + "LoopWorkItem.Completion.cs",
     "                DispatchPreserved();\n",
     "",
     "Publish: continuations of a preserved handle are never dispatched"),
    ("C08", INTERNAL + "LoopWorkItem.Completion.cs",
     "                Dispatch(k, continuationState, continuationTarget, continuationContext);",
     "",
     "Publish: the registered continuation (await/callback) is not dispatched"),
    ("C09", INTERNAL + "LoopWorkItem.Completion.cs",
     "                Interlocked.Increment(ref refs);\n            }\n\n            return true;",
     "            }\n\n            return true;",
     "TryClaim: an external completer takes no reference (item may be recycled under it; refcount underflow)"),
    ("C10", INTERNAL + "LoopWorkItem.Completion.cs",
     "            if (!TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false, external: true)\n                && Volatile.Read(ref phase) == Running)",
     "            if (!TryComplete(Queued, UniTaskStatus.Canceled, NewCanceledException(), byClose: false, external: true)\n                && false)",
     "OnTokenCanceled: the caller's token no longer cancels running async work"),
    ("C11", INTERNAL + "LoopWorkItem.Completion.cs",
     "protected virtual bool CancelRunning() => false;",
     "protected virtual bool CancelRunning() => true;",
     "Cancel() on running sync work returns true"),
    ("C12", INTERNAL + "LoopWorkItem.Completion.cs",
     "var st = exception is OperationCanceledException ? UniTaskStatus.Canceled : UniTaskStatus.Faulted;",
     "var st = UniTaskStatus.Faulted;",
     "TrySetException: OperationCanceledException from the work gives Faulted, not Canceled"),
    ("C13", INTERNAL + "LoopWorkItem.Completion.cs",
     "                tokenRegistration.Dispose();\n",
     "",
     "Publish: the registration on the caller's token is not disposed"),
    ("C14", INTERNAL + "LoopWorkItem.Completion.cs",
     "                if (Volatile.Read(ref phase) >= Completing)\n                {\n                    return false; // done",
     "                if (false)\n                {\n                    return false; // done",
     "Cancel: no 'already done' check (Cancel on completed work marks cancelRequested)"),
    # ---- LoopWorkItem.cs: lifetime
    ("L01", INTERNAL + "LoopWorkItem.cs",
     "                Recycle();\n",
     "",
     "Release: items are never recycled (pooling off)"),
    ("L02", INTERNAL + "LoopWorkItem.cs",
     "            if (Generation == generation)\n",
     "            if (true)\n",
     "TryAddReference: no generation check (Cancel on a stale handle reaches the next submission)"),
    ("L03", INTERNAL + "LoopWorkItem.cs",
     "            Volatile.Write(ref retired, (generation << 2) | (long)status);\n",
     "",
     "Recycle: the final status of the consumed use is not retired (Status after recycle wrong)"),
    ("L04", INTERNAL + "LoopWorkItem.cs",
     "Volatile.Write(ref stamp, ((generation + 1) << StampStateBits) | Free);",
     "Volatile.Write(ref stamp, (generation << StampStateBits) | Free);",
     "Recycle: the generation does not move on (stale handles are not detected)"),
    ("L05", INTERNAL + "LoopWorkItem.cs",
     "            cancelRequested = 0;\n",
     "",
     "Recycle: the cancel flag survives into the next use"),
    ("L06", INTERNAL + "LoopWorkItem.cs",
     "Volatile.Write(ref refs, isFireAndForget ? 1 : 2);",
     "Volatile.Write(ref refs, 2);",
     "Init: fire-and-forget items hold a consumer reference nobody releases (never recycled)"),
    # ---- LoopWorkItem.Consumer.cs
    ("K01", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            if (seen == (free | Preserved))\n            {\n                return false;\n            }\n\n            throw Misuse",
     "            throw Misuse",
     "ClaimConsumer: a preserved handle throws on its second consumer"),
    ("K02", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            var free = (generation << StampStateBits) | Free;\n            Interlocked.Exchange(ref stamp, free);",
     "            var free = (generation << StampStateBits) | Free;",
     "Unclaim: a timed-out GetResult keeps its claim (the handle is unusable afterwards)"),
    ("K03", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            Volatile.Write(ref stamp, (generation << StampStateBits) | Done);\n            Release();",
     "            Volatile.Write(ref stamp, (generation << StampStateBits) | Done);",
     "FinishConsume: the consumer's reference is never released (never recycled)"),
    ("K04", INTERNAL + "LoopWorkItem.Consumer.cs",
     "return r >> 2 == generation ? (UniTaskStatus)(r & 3) : UniTaskStatus.Succeeded;",
     "return UniTaskStatus.Succeeded;",
     "RetiredStatus: a consumed handle's Status is always Succeeded"),
    ("K05", INTERNAL + "LoopWorkItem.Consumer.cs",
     "else if (current != null && current.GetType() != typeof(SynchronizationContext))",
     "else if (false)",
     "OnCompleted: an awaiter's foreign SynchronizationContext is ignored (continuation on the thread pool)"),
    ("K06", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            if (StateOf(s) != Claimed || (s & Registered) != 0\n",
     "            if (StateOf(s) != Claimed\n",
     "OnCompleted: a second await of the same UniTask registers again"),
    ("K07", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            else if (Volatile.Read(ref phase) == Completed\n                     && ReferenceEquals",
     "            else if (false\n                     && ReferenceEquals",
     "RegisterSlot: no re-check after registering (registration racing with Publish can be lost)"),
    ("K08", INTERNAL + "LoopWorkItem.Consumer.cs",
     "            if (Volatile.Read(ref phase) != Completed)\n            {\n                throw new InvalidOperationException(\"The work has not completed yet",
     "            if (false)\n            {\n                throw new InvalidOperationException(\"The work has not completed yet",
     "BeginUniTaskGetResult: GetResult of a pending UniTask returns instead of throwing"),
    ("K09", INTERNAL + "LoopWorkItem.Consumer.cs",
     "                    throw StaleToken();\n                }\n\n                Release();",
     "                    throw StaleToken();\n                }\n",
     "EndUniTaskGetResult: an awaited handle is never released (never recycled)"),
    # ---- LoopWorkItem.Wait.cs
    ("W01", INTERNAL + "LoopWorkItem.Wait.cs",
     "            if (owner.IsMainThread)\n",
     "            if (false)\n",
     "WaitForPublished: blocking on the main thread is not refused (deadlock)"),
    ("W02", INTERNAL + "LoopWorkItem.Wait.cs",
     "                        owner.OnWaiterParking();\n",
     "",
     "WaitForPublished: parked waiters are not counted (BlockedWaiterCount)"),
    ("W03", INTERNAL + "LoopWorkItem.Wait.cs",
     "            if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)",
     "            if (false)",
     "ValidateTimeout: negative timeouts accepted"),
    ("W04", INTERNAL + "LoopWorkItem.Wait.cs",
     "            if (!preserved)\n            {\n                FinishConsume(generation);\n            }\n\n            return st == UniTaskStatus.Succeeded ? null : ex;",
     "            if (!preserved)\n            {\n                FinishConsume(generation);\n            }\n\n            return null;",
     "EndBlockingGetResult: GetResult swallows the work's exception"),
    ("W05", INTERNAL + "LoopWorkItem.Wait.cs",
     "                            if (remaining <= 0)",
     "                            if (remaining <= -1e15)",
     "WaitForPublished: the timeout never fires (waits until completion)"),
    # ---- LoopWorkItem.Preserve.cs
    ("P01", INTERNAL + "LoopWorkItem.Preserve.cs",
     "if (seen == free || seen == (free | Preserved))",
     "if (seen == free)",
     "Preserve: not idempotent (second call throws)"),
    ("P02", INTERNAL + "LoopWorkItem.Preserve.cs",
     "                if (Volatile.Read(ref phase) != Completed)\n",
     "                if (true)\n",
     "RegisterPreserved: a registration after completion is queued and never run"),
    # ---- ItemPool.cs
    ("I01", INTERNAL + "ItemPool.cs",
     "if (count < MagazineSize)",
     "if (count <= MagazineSize)",
     "Return: boundary, the loaded magazine overflows (IndexOutOfRange at 65 items)"),
    ("I02", INTERNAL + "ItemPool.cs",
     "                cache.Previous = Shared.ExchangeFullForEmpty(cache.Previous);",
     "                System.Array.Clear(cache.Previous, 0, MagazineSize);",
     "ReturnSlow: a full magazine is dropped instead of going to the depot (allocation on every rent under load)"),
    ("I03", INTERNAL + "ItemPool.cs",
     "                items[count] = null;\n",
     "",
     "Rent: the magazine slot keeps a reference to the rented item"),
    # ---- LoopWorkItemOfT.cs / SyncWorkItem.cs / AsyncWorkItem.cs
    ("O01", INTERNAL + "LoopWorkItemOfT.cs",
     "            ClaimRunningSyncWork();\n            result = value;",
     "            ClaimRunningSyncWork();",
     "SetResultOfRunningSyncWork: the result value is dropped"),
    ("A01", INTERNAL + "AsyncWorkItem.cs",
     "closingRegistration = loop.Closing.Register(CancelSourceAction, this);",
     "closingRegistration = default;",
     "RunWork: the close does not cancel running async work's token"),
    ("A02", INTERNAL + "AsyncWorkItem.cs",
     "            if (CancelRequested || CallerTokenCanceled)\n            {\n                CancelSource();",
     "            if (false)\n            {\n                CancelSource();",
     "RunWork: cancel racing with the start is lost"),
    ("A03", INTERNAL + "AsyncWorkItem.cs",
     "            loop.RemoveRunning(this);\n",
     "",
     "Finish: ended async work stays in the running registry"),
    ("A04", INTERNAL + "AsyncWorkItem.cs",
     "                ? Loop.CreateClosedException(error)\n",
     "                ? error\n",
     "ClosedCause: work stopped by the close's cancellation reports OperationCanceled, not LoopClosed"),
    ("A05", INTERNAL + "AsyncWorkItem.cs",
     "            CancelSource();\n            return true;",
     "            CancelSource();\n            return false;",
     "CancelRunning: Cancel() on running async work returns false"),
    ("A06", INTERNAL + "AsyncWorkItem.cs",
     "            if (!loop.TryAddRunning(this))",
     "            if (!loop.TryAddRunning(this) && false)",
     "RunWork: async work starts although the registry is closed"),
    ("E01", INTERNAL + "ContinuationEntry.cs",
     "if (!mayRun && d != null && (loop.IsMainThread || IsCompletionCallback(d)))",
     "if (!mayRun && d != null && loop.IsMainThread)",
     "RunAtClose: completion callbacks dropped when the close finishes off the main thread"),
    ("E02", INTERNAL + "SwitchEntry.cs",
     "ResumeAtClose(loop, mayRun: onMainThread || !FromMainThread);",
     "ResumeAtClose(loop, mayRun: onMainThread);",
     "SwitchEntry.Abort: a worker's SwitchTo is dropped, not resumed with LoopClosed"),
    # ---- MainLoop.Close.cs
    ("M01", CORE + "MainLoop.Close.cs",
     "                closingSource.Cancel();\n",
     "",
     "Close: Closing token is never cancelled"),
    ("M02", CORE + "MainLoop.Close.cs",
     "            FailQueuedWork();\n",
     "            closeInfo!.Signal.Set();\n",
     "Close: queued work is not failed at once (only at the close's finish)"),
    ("M03", CORE + "MainLoop.Close.cs",
     "            if (closeGraceTicks > 0)\n            {\n                var previousContext",
     "            if (false)\n            {\n                var previousContext",
     "FinishCloseOnMainThread: no grace period at all"),
    ("M04", CORE + "MainLoop.Close.cs",
     "TryReadClock(out var now) && now < info.Deadline;",
     "TryReadClock(out var now) && now <= info.Deadline;",
     "GraceActive: boundary, the deadline itself still counts as within grace"),
    ("M05", CORE + "MainLoop.Close.cs",
     "                ReportStillRunning(info, running);\n",
     "",
     "CompleteClose: work still running at the deadline is not reported"),
    ("M06", CORE + "MainLoop.Close.cs",
     "                    item.FailRunning(CreateClosedException());\n",
     "",
     "CompleteClose: running async work is left pending"),
    ("M07", CORE + "MainLoop.Close.cs",
     "            // write above, any later enqueue drains by itself (EnqueueEntry).\n            DrainClosed();",
     "            // write above, any later enqueue drains by itself (EnqueueEntry).",
     "CompleteClose: entries that raced in while closing are not drained"),
    ("M08", CORE + "MainLoop.Close.cs",
     "            whenClosed.TrySetResult();\n",
     "",
     "CompleteClose: WhenClosed never completes"),
    ("M09", CORE + "MainLoop.Close.cs",
     "                        ((Action<MainLoop, CloseReason>)d)(this, info.Reason);\n",
     "",
     "CompleteClose: the Closed event is not raised"),
    ("M10", CORE + "MainLoop.Close.cs",
     "            if (me == MainThreadId)\n",
     "            if (false)\n",
     "Close on the main thread waits like a foreign thread (finishes without running continuations on the main thread)"),
    ("M11", CORE + "MainLoop.Close.cs",
     "                info.FinishedOnMainThread = false;\n",
     "",
     "WaitForMainThreadThenFinish: reports say the main thread finished"),
    ("M12", CORE + "MainLoop.Close.cs",
     "            counters.CountDroppedContinuation();\n",
     "",
     "OnContinuationDropped: dropped continuations are not counted"),
    ("M13", CORE + "MainLoop.Close.cs",
     "            ReportUnhandled(new InvalidOperationException(\n                $\"{name} was closed (",
     "            GC.KeepAlive(new InvalidOperationException(\n                $\"{name} was closed (",
     "OnContinuationDropped: dropped continuations are not reported"),
    ("M14", CORE + "MainLoop.Close.cs",
     "resumption.ResumeAtClose(this, mayRunContinuations || IsMainThread || !resumption.FromMainThread);",
     "resumption.ResumeAtClose(this, mayRunContinuations);",
     "ProcessAtClose: SwitchTo/NextFrame awaits dropped instead of resumed with LoopClosed"),
    ("M15", CORE + "MainLoop.Close.cs",
     "            if (IsMainThread && State == LoopState.Closing\n",
     "            if (false && State == LoopState.Closing\n",
     "TakeOverCloseOnMainThread: a second Close on the main thread does not finish a foreign close"),
    ("M16", CORE + "MainLoop.Close.cs",
     "if ((uint)reason > (uint)CloseReason.DomainReload)",
     "if ((uint)reason >= (uint)CloseReason.DomainReload)",
     "Close: boundary, DomainReload rejected as out of range"),
    ("M17", CORE + "MainLoop.Close.cs",
     "                    queue.Enqueue(entry); // for the close's finish (the count bounds this loop)\n",
     "",
     "FailQueuedWork: queued continuations are dropped silently"),
    ("M18", CORE + "MainLoop.Close.cs",
     "                if (!TryReadClock(out var now) || now >= info.Deadline)\n                {\n                    break;\n                }\n\n                WaitUntil(info.Finished, info.Deadline);",
     "                break;",
     "WaitForMainThreadThenFinish: a foreign close does not wait for the main thread's tick"),
    # ---- MainLoop.Tick.cs
    ("T01", CORE + "MainLoop.Tick.cs",
     "if (taken >= cap || (taken > 0",
     "if (taken > cap || (taken > 0",
     "RunTick: boundary, MaxItemsPerTick + 1 items run"),
    ("T02", CORE + "MainLoop.Tick.cs",
     "if (taken >= cap || (taken > 0 && budgetEnd",
     "if (taken >= cap || (budgetEnd",
     "RunTick: an exhausted budget runs nothing (no progress guarantee)"),
    ("T03", CORE + "MainLoop.Tick.cs",
     "                        if (isOurs)\n",
     "                        if (false)\n",
     "RunTick: no snapshot, work submitted during the drain runs in the same tick"),
    ("T04", CORE + "MainLoop.Tick.cs",
     "                    if (Volatile.Read(ref stateWord) != 0)\n                    {\n                        ProcessAtClose",
     "                    if (false)\n                    {\n                        ProcessAtClose",
     "RunTick: entries keep starting after a close from inside work"),
    ("T05", CORE + "MainLoop.Tick.cs",
     "return Volatile.Read(ref stateWord) != 0 ? default : RunTick();",
     "return RunTick();",
     "Tick: runs entries on a closing loop"),
    ("T06", CORE + "MainLoop.Tick.cs",
     "                    Volatile.Write(ref tickGate, GateFinishing);\n                    FinishCloseOnMainThread();",
     "                    Volatile.Write(ref tickGate, GateIdle);",
     "Tick: does not finish a close started on another thread"),
    ("T07", CORE + "MainLoop.Tick.cs",
     "            if (me != Volatile.Read(ref mainThreadId))\n",
     "            if (false)\n",
     "Tick: allowed off the main thread"),
    ("T08", CORE + "MainLoop.Tick.cs",
     "                    counters.CountItemRun();\n",
     "",
     "RunTick: items run are not counted"),
    ("T09", CORE + "MainLoop.Tick.cs",
     "            SynchronizationContext.SetSynchronizationContext(syncContext);\n",
     "",
     "RunTick: the loop's SynchronizationContext is not current while work runs"),
    # ---- MainLoop.Submit.cs
    ("S01", CORE + "MainLoop.Submit.cs",
     "            if (!IsOpen)\n            {\n                item.RejectClosed(this);",
     "            if (false)\n            {\n                item.RejectClosed(this);",
     "Submit: no early reject on a closed loop (relies on EnqueueEntry's drain)"),
    ("S02", CORE + "MainLoop.Submit.cs",
     "                item.RegisterToken();\n",
     "",
     "Submit: the caller's token is not registered (cancel while queued does nothing)"),
    ("S03", CORE + "MainLoop.Submit.cs",
     "            if ((LoopState)(word & StateMask) == LoopState.Closed)\n            {\n                DrainClosed();\n            }",
     "            if ((LoopState)(word & StateMask) == LoopState.Closed)\n            {\n            }",
     "EnqueueEntry: an entry enqueued after the close finished stays queued for ever"),
    ("S04", CORE + "MainLoop.Submit.cs",
     "                Volatile.Read(ref closeInfo)?.Signal.Set();\n",
     "",
     "EnqueueEntry: an enqueue while closing does not wake the close's finish"),
    ("S05", CORE + "MainLoop.Submit.cs",
     "            if (IsMainThread)\n            {\n                try\n                {\n                    action(state);",
     "            if (false)\n            {\n                try\n                {\n                    action(state);",
     "DeliverToMainThread: completions on the main thread are queued to the next tick instead of run inline"),
    ("S06", CORE + "MainLoop.Submit.cs",
     "            if (!IsOpen)\n            {\n                return false;\n            }\n\n            Submit(ActionItem.Rent(action), default, fireAndForget: true);",
     "            Submit(ActionItem.Rent(action), default, fireAndForget: true);",
     "TryPost: returns true on a closed loop"),
    ("S07", CORE + "MainLoop.Submit.cs",
     "                if (cancellationToken.IsCancellationRequested)\n                {\n                    item.RejectCanceled();",
     "                if (false)\n                {\n                    item.RejectCanceled();",
     "Submit: an already-cancelled token is not rejected up front (registration fires at once instead)"),
    # ---- MainLoop.Running.cs
    ("R01", CORE + "MainLoop.Running.cs",
     "            if (Volatile.Read(ref stateWord) != 0)\n            {\n                Volatile.Read(ref closeInfo)?.Signal.Set();\n            }",
     "",
     "RemoveRunning: work ending during the grace period does not wake the close's finish"),
]


def run(cmd, timeout=None, log=None):
    """Runs cmd in its own process group; kills the whole group on timeout. Returns (rc, timed_out)."""
    with open(log or os.devnull, "w") as out:
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return p.wait(timeout=timeout), False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return -1, True
        except BaseException:
            # Ctrl-C: stop the whole child tree (build servers and test hosts run in their own session).
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            raise


BUILD = ["dotnet", "build", "LoopBridge.csproj", "-c", "Release", "--no-restore", "-nologo", "-v", "q",
         "-p:TreatWarningsAsErrors=false", "-p:GenerateDocumentationFile=false"]
SRC_DLL = ".artifacts/bin/LoopBridge/release/LoopBridge.Runtime.dll"
TEST_DIR = ".artifacts/bin/LoopBridge.Tests/release/"


def build_and_copy(log):
    rc, _ = run(BUILD, timeout=600, log=log)
    if rc != 0:
        return False
    shutil.copy2(os.path.join(ROOT, SRC_DLL), os.path.join(ROOT, TEST_DIR))
    pdb = SRC_DLL[:-4] + ".pdb"
    if os.path.exists(os.path.join(ROOT, pdb)):
        shutil.copy2(os.path.join(ROOT, pdb), os.path.join(ROOT, TEST_DIR))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ids", nargs="*", help="mutant ids (default: all)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--filter", default=DEFAULT_FILTER, help="dotnet test --filter ('' = whole suite)")
    ap.add_argument("--hang", type=int, default=150, help="seconds before a test run counts as hung (killed)")
    args = ap.parse_args()

    chosen = [m for m in MUTANTS if not args.ids or m[0] in args.ids]
    if args.list:
        for m in chosen:
            print(f"{m[0]}  {m[1]}  {m[4]}")
        return 0

    dll = os.path.join(ROOT, TEST_DIR, "LoopBridge.Tests.dll")
    if not os.path.exists(dll):
        sys.exit("build the tests first: dotnet build Tests/LoopBridge.Tests.csproj -c Release")

    outdir = os.path.join(ROOT, ".artifacts/mutation")
    os.makedirs(outdir, exist_ok=True)
    results_path = os.path.join(outdir, "results.tsv")
    test_cmd = ["dotnet", "test", "Tests/LoopBridge.Tests.csproj", "-c", "Release", "--no-build", "-nologo"]
    if args.filter:
        test_cmd += ["--filter", args.filter]

    counts = {"KILLED": 0, "SURVIVED": 0, "UNBUILDABLE": 0}
    try:
        for mid, rel, old, new, what in chosen:
            path = os.path.join(ROOT, rel)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            n = original.count(old)
            if n != 1:
                print(f"{mid}: pattern found {n} times in {rel}: skipped (the source changed; update the mutant)")
                continue
            t0 = time.time()
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original.replace(old, new))
                built = build_and_copy(os.path.join(outdir, f"{mid}.build.log"))
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
            if not built:
                verdict, detail = "UNBUILDABLE", "see build log"
            else:
                log = os.path.join(outdir, f"{mid}.test.log")
                rc, hung = run(test_cmd, timeout=args.hang, log=log)
                if hung:
                    verdict, detail = "KILLED", f"hang (> {args.hang} s)"
                elif rc != 0:
                    failed = [l.strip()[len("Failed "):].split(" [")[0]
                              for l in open(log, encoding="utf-8", errors="replace") if l.strip().startswith("Failed ")]
                    verdict, detail = "KILLED", ", ".join(failed[:4]) + (f" (+{len(failed) - 4})" if len(failed) > 4 else "")
                elif re.search(r"Passed!\s+-\s+Failed:\s+0,", open(log, encoding="utf-8", errors="replace").read()):
                    verdict, detail = "SURVIVED", ""
                else:
                    verdict, detail = "UNBUILDABLE", "test run ended without a summary (interrupted?): rerun"
            counts[verdict] += 1
            line = f"{mid}\t{rel}\t{verdict}\t{int(time.time() - t0)}s\t{what}\t{detail}"
            print(line, flush=True)
            with open(results_path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
    finally:
        print("restoring the unmutated assembly ...", flush=True)
        if not build_and_copy(os.path.join(outdir, "restore.build.log")):
            print("WARNING: could not rebuild the original assembly; run dotnet build Tests/LoopBridge.Tests.csproj -c Release")

    scored = counts["KILLED"] + counts["SURVIVED"]
    if scored:
        print(f"killed {counts['KILLED']}/{scored} = {100.0 * counts['KILLED'] / scored:.0f}%  "
              f"(unbuildable: {counts['UNBUILDABLE']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
