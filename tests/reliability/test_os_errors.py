"""Operating-system errors at every write and every git call: one line naming the path and the fix, exit 2, and
nothing half-done.

`LYNX_FAULT=ERRNO@N` (lynx/core/faults.py) makes lynx's Nth fault point raise that OSError instead of doing the
step: before every git call, inside every atomic write (its temporary file written, not yet in place), when
the lock is taken, while a workspace is copied. Tests run as root, where permissions do not bind, so the
errors are injected rather than provoked with chmod. For each command below and each errno (ENOSPC, EISDIR,
ENOTDIR, ENAMETOOLONG, EACCES, EIO, ENOENT) the harness fails step N = 1, 2, ... of an uninterrupted run on a
fresh copy of the same workspace, and checks:

1. exit 2, exactly one `lynx: ...` line on stderr naming the path that failed, no traceback;
2. no lock left behind (`.lynx/lock`);
3. what is staged is what was staged before (or after an uninterrupted run): nothing lynx added stays staged;
4. nothing half-done: the workspace (every file, what is staged, the branch, lynx's session) is exactly as
   before the command or as after an uninterrupted run — or, where a command that ends a session was cut,
   `lynx recover` takes it there;
5. every marker of the learner's work is still in the working tree, the index or a commit.

The commands run in this process through `lynx.cli.run` (the real entry, every handler included), so that
the whole matrix fits in CI; `test_the_real_entry_point_reports_an_injected_fault` drives `python -m lynx`.
LYNX_ERRNO_MATRIX=full tries all seven errnos at every step (the numbers in docs/reliability.md); the default,
to stay within CI's minutes, tries two per step: ENOSPC, and one of the other six in turn.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from harness import (fast_workspace, BREAK_FILE, JOURNAL, NOTES, STAGED_FILE, UNSTAGED_FILE, UNTRACKED_FILE, SCRATCH, add_learner_work, differences, fault_points, FIRED, in_process,
                     lost, no_traceback, phase13_course, record, snapshot)
from kit import git, lynx

pytestmark = pytest.mark.slow

ERRNOS = ("ENOSPC", "EISDIR", "ENOTDIR", "ENAMETOOLONG", "EACCES", "EIO", "ENOENT")
FULL = os.environ.get("LYNX_ERRNO_MATRIX") == "full"


def errnos_at(n: int) -> list[str]:
    if FULL:
        return list(ERRNOS)
    return ["ENOSPC", ERRNOS[1:][n % 6]]


WHERE = [UNSTAGED_FILE, STAGED_FILE, UNTRACKED_FILE, JOURNAL, BREAK_FILE, NOTES, "learners/borja/phase-13/mine.md"]
QUIZ = '{"q-13-01": "b", "q-13-02": "a,c", "q-13-03": "lookup row"}'


def _break(ws: Path) -> None:
    assert in_process(ws, ["break", "13", "--predict", "a shape error"])[0] == 0


def _edit(ws: Path) -> list[str]:
    with (ws / BREAK_FILE).open("a", encoding="utf-8") as fh:
        fh.write("\n# MARK-attempt: the learner's edit on the break branch\n")
    with (ws / NOTES).open("a", encoding="utf-8") as fh:
        fh.write("MARK-session-note: my own words\n")
    (ws / "learners/borja/phase-13/mine.md").write_text("MARK-new-note: a new file of mine\n")
    return ["MARK-attempt", "MARK-session-note", "MARK-new-note"]


def _ending(ws: Path) -> list[str]:
    """A `done` cut half-way (the state says "ending"): what `lynx recover` must finish."""
    _break(ws)
    marks = _edit(ws)
    assert in_process(ws, ["fix", "--apply"])[0] == 0
    for n in range(1, 60):
        probe = ws.parent / "probe"
        shutil.rmtree(probe, ignore_errors=True)
        shutil.copytree(ws, probe, symlinks=True)
        in_process(probe, ["done", "-c", "y"], fault=f"EIO@{n}")
        from kit import state

        if (state(probe) or {}).get("stage") == "ending" and n > 4:
            shutil.rmtree(ws)
            probe.rename(ws)
            return marks
    raise AssertionError("no step of `done` leaves the session ending")


def _with_break(cmds):
    def setup(ws: Path) -> list[str]:
        _break(ws)
        marks = _edit(ws)
        for argv in cmds:
            assert in_process(ws, argv)[0] == 0, argv
        return marks
    return setup


# name: (how the workspace is made ready, the command, its stdin)
SCENARIOS = {
    "break": (lambda ws: [], ["break", "13", "--predict", "it will crash at the loss"], ""),
    "build": (lambda ws: [], ["build", "13"], ""),
    "hint": (_with_break([]), ["hint"], ""),
    "fix --apply": (_with_break([]), ["fix", "--apply"], ""),
    "reset": (_with_break([]), ["reset"], ""),
    "done": (_with_break([["fix", "--apply"]]), ["done", "-c", "partly"], ""),
    "abort": (_with_break([]), ["abort"], ""),
    "quiz": (lambda ws: [], ["quiz", "phase-13", "--json"], QUIZ),
    # one card: each rating is saved on its own (a session stopped by an error keeps the cards rated before it)
    "cards": (lambda ws: [], ["cards", "--phase", "13"], "\n3\n"),
    "recover an ending": (_ending, ["recover"], ""),
}


@pytest.fixture(scope="module")
def course_ws(tmp_path_factory) -> Path:
    return fast_workspace(tmp_path_factory.mktemp("errno"))


def _prepare(course_ws: Path, name: str, base: Path):
    setup, argv, stdin = SCENARIOS[name]
    before = base / "before"
    shutil.copytree(course_ws, before, symlinks=True)
    marks = add_learner_work(before, "pre") + setup(before)
    git("repack", "-a", "-d", "-q", cwd=before)  # one pack, not hundreds of folders: each copy below is quicker
    git("prune-packed", cwd=before)
    after = base / "after"
    shutil.copytree(before, after, symlinks=True)
    points, code = fault_points(after, argv, stdin)
    assert code == 0, f"{name}: the uninterrupted run failed ({code})"
    return before, snapshot(before), snapshot(after), points, marks


def _one(name: str, errno: str, n: int, prepared, tmp: Path) -> tuple[str, list[str]]:
    """Fail step ``n`` of ``name`` with ``errno``; returns (what became of it, the problems found)."""
    before_dir, before, after, _, marks = prepared
    _, argv, stdin = SCENARIOS[name]
    ws = tmp / f"{errno}-{n}"
    shutil.copytree(before_dir, ws, symlinks=True)
    code, out, err = in_process(ws, argv, stdin, fault=f"{errno}@{n}")
    where = f"{name}: {errno} at step {n} ({FIRED[0] if FIRED else 'not injected'})"
    problems = []
    if not FIRED:
        return "not injected", [f"{where}: the fault did not fire (the run has fewer steps than counted)"]
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if "Traceback" in out + err:
        problems.append(f"{where}: a traceback\n{err[-1500:]}")
    if code != 2 or len(lines) != 1 or not lines[0].startswith("lynx: "):
        problems.append(f"{where}: exit {code}, stderr {err!r} (want exit 2 and one `lynx: ...` line)")
    elif FIRED[0].split(" ", 2)[-1] not in lines[0] and "git" not in lines[0]:
        problems.append(f"{where}: the line does not name the path: {lines[0]}")
    if (ws / ".lynx" / "lock").exists():
        problems.append(f"{where}: a lock was left behind")
    now = snapshot(ws)
    if now[1] not in (before[1], after[1]):
        problems.append(f"{where}: the index holds what neither before nor after held: {now[1]!r}")
    fate = "undone" if now == before else "completed" if now == after else None
    if fate is None:
        code, _, rerr = in_process(ws, ["recover"])
        now = snapshot(ws)
        fate = "recovered" if code == 0 and now in (before, after) else None
        if fate is None:
            diff = differences(now, before) if len(differences(now, before)) < len(differences(now, after)) else \
                differences(now, after)
            problems.append(f"{where}: half-done, and `lynx recover` (exit {code}: {rerr.strip()}) did not finish it: "
                            f"{diff[:6]}")
    gone = lost(ws, marks, where=WHERE)
    if gone:
        problems.append(f"{where}: the learner's work was lost: {gone}")
    shutil.rmtree(ws, ignore_errors=True)
    return fate or "half-done", problems


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_an_os_error_at_any_step_is_one_line_and_nothing_half_done(name, course_ws):
    base = Path(tempfile.mkdtemp(prefix=f"lynx-errno-{name.replace(' ', '_')}-", dir=SCRATCH))
    try:
        prepared = _prepare(course_ws, name, base)
        points = prepared[3]
        assert points >= 1, f"{name}: no fault point at all; is lynx/core/faults.py wired in?"
        fates: dict[str, int] = {}
        problems: list[str] = []
        for n in range(1, points + 1):
            for errno in errnos_at(n):
                fate, probs = _one(name, errno, n, prepared, base)
                fates[fate] = fates.get(fate, 0) + 1
                problems += probs
        record("os_errors", name, {"steps": points, "cases": sum(fates.values()), **fates,
                                   "problems": len(problems)})
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:15])


def test_init_that_fails_at_any_step_leaves_no_workspace(course_ws, tmp_path):
    """`lynx init` failing anywhere (copying the course, writing lynx.toml, git) removes what it made."""
    src = course_ws.parent / "course"
    points = None
    problems = []
    n = 1
    while points is None or n <= points:
        target = tmp_path / f"ws-{n}"
        errno = ERRNOS[n % len(ERRNOS)]
        code, out, err = in_process(tmp_path, ["init", str(target), "--learner", "ana", "--from", str(src), "--yes"],
                                    fault=f"{errno}@{n}")
        if not FIRED:
            points = n - 1
            assert code == 0, err
            break
        if code != 2 or len([ln for ln in err.splitlines() if ln.strip()]) != 1 or "Traceback" in err:
            problems.append(f"init, {errno} at step {n}: exit {code}, {err!r}")
        if target.exists():
            problems.append(f"init, {errno} at step {n}: {target} was left behind")
        n += 1
    record("os_errors", "init", {"steps": n - 1, "cases": n - 1, "problems": len(problems)})
    assert n > 3
    assert not problems, "\n".join(problems[:10])


def test_the_real_entry_point_reports_an_injected_fault(course_ws, tmp_path):
    """`python -m lynx` with LYNX_FAULT: the same one line, from the real process."""
    ws = tmp_path / "ws"
    shutil.copytree(course_ws, ws, symlinks=True)
    log = tmp_path / "faults.log"
    for n, errno in enumerate(ERRNOS, start=1):
        r = lynx("break", "13", "--predict", "p", cwd=ws, env={"LYNX_FAULT": f"{errno}@{n}", "LYNX_FAULT_LOG": str(log)})
        assert no_traceback(r), r.stderr
        assert r.returncode == 2, (errno, r.stderr)
        assert r.stderr.startswith("lynx: cannot use ") and r.stderr.count("\n") == 1, r.stderr
        assert os.strerror(getattr(__import__("errno"), errno)) in r.stderr, r.stderr
    assert len(log.read_text().splitlines()) == len(ERRNOS)
    assert lynx("status", cwd=ws).returncode == 0
