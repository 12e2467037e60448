"""Kill lynx at every step of break, build, fix --apply, done and abort (SIGKILL and SIGINT), then check nothing is lost.

`LYNX_CRASH_AFTER=N` (lynx/faults.py) kills the command right after its Nth checkpoint: after every git call and
every atomic state write. For each command and signal we run N = 1, 2, 3, ... on a fresh copy of the same
workspace until a run completes without being killed, so every step is covered. After each kill:

1. no traceback was printed;
2. every file the learner owns is byte-for-byte as before the command or as after it (an uninterrupted run);
   lynx's own notes only grew;
3. every learner-written byte (unstaged, staged, untracked, notes, edits on the break branch) is recoverable;
4. `lynx recover` succeeds, and after it lynx's state agrees with git (active session <=> on its branch);
5. the learner can carry on: `lynx status` works, `lynx abort` (if a session is active) takes them home, and
   their unrelated work is exactly where it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kit import git, lynx
from harness import (BREAK_FILE, JOURNAL, LYNX_WRITTEN, NOTES, STAGED_FILE, UNSTAGED_FILE, UNTRACKED_FILE,
                     SCRATCH, add_learner_work, branch, consistency_problem, lost, no_traceback, record, state, tree)

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

HOOK = "[lynx test hook] killed after step"

COMMANDS = {
    "break": ["break", "13", "--predict", "it will crash at the loss"],
    "build": ["build", "13"],
    "fix --apply": ["fix", "--apply"],
    "abort": ["abort"],
    "done": ["done", "--calibration", "partly"],
    # the learner committed on the break branch (notes included), then wrote more notes: `git switch` home
    # refuses, and lynx takes its fallback path (check out its own files, switch, put them back)
    "abort-after-branch-commit": ["abort"],
}


def _prepare(root: Path, command: str) -> list[str]:
    """The workspace just before ``command``, full of the learner's work. Returns the markers to look for."""
    markers = add_learner_work(root, "pre")
    if command in ("break", "build"):
        return markers
    r = lynx("break", "13", "--predict", "a shape error", cwd=root)
    assert r.returncode == 0, r.stderr
    assert lynx("hint", cwd=root).returncode == 0
    with (root / NOTES).open("a", encoding="utf-8") as fh:
        fh.write("MARK-session-note: my own words while debugging\n")
    markers.append("MARK-session-note")
    if command == "done":
        assert lynx("fix", "--apply", cwd=root).returncode == 0
    with (root / BREAK_FILE).open("a", encoding="utf-8") as fh:
        fh.write("\n# MARK-attempt: the learner's edit on the break branch\n")
    markers.append("MARK-attempt")
    if command == "abort-after-branch-commit":
        git("commit", "-qm", "the learner's own commit on the break branch", "--", NOTES, BREAK_FILE, cwd=root)
        with (root / NOTES).open("a", encoding="utf-8") as fh:
            fh.write("MARK-late-note: written after that commit, not committed\n")
        markers.append("MARK-late-note")
    return markers


@pytest.fixture(scope="module")
def prepared(_template):
    """One prepared workspace per command (+ its state after an uninterrupted run), copied for every kill."""
    out = {}
    base = Path(tempfile.mkdtemp(prefix="lynx-kill-", dir=SCRATCH))
    for command, argv in COMMANDS.items():
        before = base / command.replace(" ", "_") / "before"
        shutil.copytree(_template, before, symlinks=True)
        markers = _prepare(before, command)
        after = before.parent / "after"
        shutil.copytree(before, after, symlinks=True)
        r = lynx(*argv, cwd=after)
        assert r.returncode == 0, f"{command}: {r.stdout}{r.stderr}"
        out[command] = (before, tree(before), tree(after), markers)
    yield out
    shutil.rmtree(base, ignore_errors=True)


def _one_kill(command: str, signal: str, n: int, prepared, tmp: Path) -> tuple[bool, dict[str, list[str]]]:
    """Run ``command`` killed after step ``n``; returns (was it killed, violations: "loss" and "consistency")."""
    before_dir, before, after, markers = prepared[command]
    ws = tmp / f"{command.replace(' ', '_')}-{signal}-{n}"
    shutil.copytree(before_dir, ws, symlinks=True)
    r = lynx(*COMMANDS[command], cwd=ws, env={"LYNX_CRASH_AFTER": str(n), "LYNX_CRASH_SIGNAL": signal})
    killed = HOOK in r.stderr
    problems: list[str] = []
    where = f"{command} killed by SIG{signal} after step {n}"
    if not no_traceback(r):
        problems.append(f"{where}: traceback\n{r.stderr[-1500:]}")
    if not killed and r.returncode != 0:
        problems.append(f"{where}: uninterrupted run failed: {r.stderr.strip()}")
    now = tree(ws)
    for rel in sorted(set(before) | set(after) | set(now)):
        if rel in LYNX_WRITTEN:
            continue
        if now.get(rel) not in (before.get(rel), after.get(rel)):
            problems.append(f"{where}: {rel} is neither as before nor as after the command")
    for rel in (NOTES, JOURNAL):
        if rel in before and not now.get(rel, b"").startswith(before[rel]):
            problems.append(f"{where}: {rel} did not only grow (the learner's notes were rewritten)")
    gone = lost(ws, markers)
    if gone:
        problems.append(f"{where}: learner's work lost right after the kill: {gone}")

    loss, problems = problems, []
    rec = lynx("recover", cwd=ws)
    if rec.returncode != 0 or not no_traceback(rec):
        problems.append(f"{where}: `lynx recover` failed ({rec.returncode}): {rec.stderr.strip()[-800:]}")
    bad = consistency_problem(ws)
    if bad:
        problems.append(f"{where}: after `lynx recover`: {bad}")
    st = lynx("status", "--json", cwd=ws)
    if st.returncode != 0 or not no_traceback(st):
        problems.append(f"{where}: `lynx status` after recover failed: {st.stderr.strip()}")
    if state(ws) is not None:
        ab = lynx("abort", cwd=ws)
        if ab.returncode != 0 or not no_traceback(ab):
            problems.append(f"{where}: `lynx abort` after recover failed: {ab.stderr.strip()}")
    if branch(ws) != "main" or state(ws) is not None:
        problems.append(f"{where}: could not get back home (on {branch(ws)!r}, state {state(ws)})")
    final = tree(ws)
    outcomes = final.get(NOTES, b"").count(b"**Outcome") - before.get(NOTES, b"").count(b"**Outcome")
    if outcomes > 1:
        problems.append(f"{where}: the outcome was recorded {outcomes} times in {NOTES}")
    consistency, problems = problems, loss
    for rel in (UNSTAGED_FILE, STAGED_FILE, UNTRACKED_FILE):
        if final.get(rel) != before.get(rel):
            problems.append(f"{where}: the learner's unrelated work in {rel} changed")
    if STAGED_FILE not in git("diff", "--cached", "--name-only", cwd=ws):
        problems.append(f"{where}: the learner's staged change to {STAGED_FILE} is no longer staged")
    for rel in (NOTES, JOURNAL):
        if rel in before and not final.get(rel, b"").startswith(before[rel]):
            problems.append(f"{where}: {rel} did not only grow by the end")
    gone = lost(ws, markers)
    if gone:
        problems.append(f"{where}: learner's work lost by the end: {gone}")
    shutil.rmtree(ws, ignore_errors=True)
    return killed, {"loss": problems, "consistency": consistency}


def _kill_every_step(command: str, signal: str, prepared, tmp: Path, workers: int = 2) -> tuple[int, dict]:
    """N = 1, 2, ... (two at a time) until a run is not killed; returns (steps, all violations by kind)."""
    problems: dict[str, list[str]] = {"loss": [], "consistency": []}
    n = 1
    with ThreadPoolExecutor(workers) as pool:
        while n < 200:
            batch = list(pool.map(lambda k: _one_kill(command, signal, k, prepared, tmp), range(n, n + workers)))
            for k, (killed, probs) in enumerate(batch, start=n):
                for kind in problems:
                    problems[kind] += probs[kind]
                if not killed:
                    return k - 1, problems
            n += workers
    raise AssertionError(f"{command} was still being killed after {n} steps")


_RUNS: dict[tuple[str, str], tuple[int, dict]] = {}


def _runs(command: str, signal: str, prepared, tmp_path_factory) -> tuple[int, dict]:
    """Each (command, signal) matrix is run once and judged by both tests below."""
    key = (command, signal)
    if key not in _RUNS:
        tmp = Path(tempfile.mkdtemp(prefix=f"lynx-kill-{command.replace(' ', '_')}-{signal}-", dir=SCRATCH))
        try:
            _RUNS[key] = _kill_every_step(command, signal, prepared, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # the violations say what went wrong, step by step
        steps, probs = _RUNS[key]
        # per kind: at how many of the kill points a violation was seen
        record("interruption", f"{command} SIG{signal}", {"steps": steps, "runs": steps + 1, **{
            k: len({re.search(r"after step (\d+)", m).group(1) for m in v}) for k, v in probs.items()}})
    return _RUNS[key]


MATRIX = [(c, s) for c in COMMANDS for s in ("KILL", "INT")]

@pytest.mark.parametrize("command,signal", MATRIX)
def test_killed_at_every_step_loses_nothing(command, signal, prepared, tmp_path_factory):
    steps, problems = _runs(command, signal, prepared, tmp_path_factory)
    assert steps >= 3, f"{command}: only {steps} checkpoints; is lynx/faults.py still wired in?"
    assert not problems["loss"], "\n".join(problems["loss"])


@pytest.mark.parametrize("command,signal", MATRIX)
def test_recover_after_any_kill_restores_a_consistent_workspace(command, signal, prepared, tmp_path_factory):
    steps, problems = _runs(command, signal, prepared, tmp_path_factory)
    assert not problems["consistency"], "\n".join(problems["consistency"][:12])
