"""Random use: a Hypothesis state machine plays a learner who mixes git and lynx in any order.

Rules: edit a file (the break's files, an unrelated file, the notes, a new untracked file), commit, switch or
create a branch (lynx's branches too), stash / stash pop, `break`, `hint`, `run`, `fix --apply`, `check`,
`done`, `abort`, `quiz` with random answers, `cards` with random ratings. After every step:

- no command crashed with a traceback (exit 0, 1 or 2 only; a LynxError is a clean exit);
- every byte the learner wrote (each edit carries a unique marker) is in the working tree, the index, or a
  commit reachable from a ref (stashes included);
- the break notes only grow across every lynx command;
- lynx's state agrees with git: an active session names a branch that exists and contains its break commit,
  and the learner's progress file parses.

Three runs: `test_random_use_in_process` drives the real CLI (lynx/cli.py's Typer app, real git, real pytest
checks) in this process, so 1,000 sequences fit in CI; `test_random_use_subprocess` plays a smaller sample
through real `python -m lynx` subprocesses; `test_random_use_with_kills` adds a move that kills break / fix /
done / abort part-way (LYNX_CRASH_AFTER, SIGKILL or SIGINT). LYNX_RANDOM_EXAMPLES (default 1000) sets the
in-process count; the other two run 1/30 and 1/5 of it. The in-process runs use phase 13 of the bundled course
with checks and observations made fast (`phase13_course` in harness.py); the subprocess sample uses the
whole bundled course with its real checks.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kit import ENV, lynx
from harness import BREAK_FILE, JOURNAL, NOTES, SCRATCH, UNSTAGED_FILE, lost, phase13_course, record

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

TIED = "src/minimodel/programs/tied_lm.py"
QUIZ_IDS = [f"q-13-{i:02d}" for i in range(1, 11)]
ANSWERS = st.sampled_from(["a", "b", "c", "d", "a,c", "b,d", "", "lookup row", "zz", "1", "ñandú 漢字"])
EDIT_TARGETS = [BREAK_FILE, TIED, UNSTAGED_FILE, NOTES, JOURNAL, "scratch/new.txt", "learners/borja/phase-13/mine.md"]
LYNX_FRAME = re.compile(r'File "[^"]*[/\\]lynx[/\\][^"]*\.py"')


def _git(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ws, env=ENV, capture_output=True, text=True)


_CLI = []


def _in_process(ws: Path, args: list[str], stdin: str) -> tuple[int, str, str]:
    """The real CLI (Typer app + lynx/cli.py's error handling) in this process; a traceback propagates."""
    import typer
    import typer.main

    from lynx.core.errors import LynxError

    if not _CLI:  # building the Click command from the Typer app costs ~50 ms: once
        from lynx.cli import app

        _CLI.append(typer.main.get_command(app))

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rv = _CLI[0].main(args=args, prog_name="lynx", standalone_mode=False)
                code = rv if isinstance(rv, int) else 0
            except LynxError as exc:
                err.write(f"lynx: {exc.line()}\n")
                code = exc.code
            except typer.Exit as exc:
                code = exc.exit_code
            except typer.TyperException as exc:  # Click's usage errors (typer vendors Click)
                code = getattr(exc, "exit_code", 2)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def _subprocess(ws: Path, args: list[str], stdin: str) -> tuple[int, str, str]:
    r = lynx(*args, cwd=ws, input=stdin)
    return r.returncode, r.stdout, r.stderr


class Learner(RuleBasedStateMachine):
    """One learner's workspace, a random session of git and lynx commands."""

    run_lynx = staticmethod(_in_process)
    template: Path
    stats: dict[str, int] = {}
    kills = False  # also kill lynx commands part-way (LYNX_CRASH_AFTER, in a subprocess)

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="lynx-random-", dir=SCRATCH))
        self.ws = self.tmp / "course"
        shutil.copytree(self.template, self.ws, symlinks=True)
        self.markers: list[str] = []
        self.n = 0
        self.old_env = os.environ.get("LYNX_WORKSPACE")
        os.environ["LYNX_WORKSPACE"] = str(self.ws)
        Learner.stats["sequences"] = Learner.stats.get("sequences", 0) + 1

    def teardown(self) -> None:
        if self.old_env is None:
            os.environ.pop("LYNX_WORKSPACE", None)
        else:
            os.environ["LYNX_WORKSPACE"] = self.old_env
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- lynx ----------------------------------------------------------------------------------
    def lynx(self, *args: str, stdin: str = "") -> int:
        notes = self.ws / NOTES
        before = notes.read_bytes() if notes.exists() else None
        code, out, err = self.run_lynx(self.ws, list(args), stdin)
        Learner.stats["lynx_calls"] = Learner.stats.get("lynx_calls", 0) + 1
        shown = f"lynx {' '.join(args)} -> {code}\n{out[-800:]}\n{err[-1500:]}"
        assert code in (0, 1, 2), shown
        # `run`/`check` show the learner program's own traceback; lynx's frames must never appear.
        assert not LYNX_FRAME.search(out + err), shown
        if args[0] not in ("run", "check"):
            assert "Traceback" not in out + err, shown
        if code == 2:
            assert err.strip().startswith("lynx: ") or "Usage:" in err, shown
        after = notes.read_bytes() if notes.exists() else b""
        if before is not None:
            assert after.startswith(before), f"lynx {' '.join(args)} rewrote the notes"
        return code

    @rule(which=st.sampled_from(["", "00", "01", "02"]), predict=st.text(min_size=1, max_size=30))
    def brk(self, which, predict):
        args = ["break", "13", *([which] if which else [])]
        self.lynx(*args, "--predict", predict.strip() or "p")

    @rule(all_=st.booleans())
    def hint(self, all_):
        self.lynx("hint", *(["--all"] if all_ else []))

    @precondition(lambda self: (self.ws / ".lynx/state.json").exists())
    @rule()
    def run(self):
        self.lynx("run")

    @rule()
    def fix_apply(self):
        self.lynx("fix", "--apply")

    @precondition(lambda self: (self.ws / ".lynx/state.json").exists())
    @rule()
    def check(self):
        self.lynx("check")

    @rule(cal=st.sampled_from(["y", "partly", "n"]))
    def done(self, cal):
        self.lynx("done", "-c", cal)

    @rule()
    def abort(self):
        self.lynx("abort")

    @rule(answers=st.dictionaries(st.sampled_from(QUIZ_IDS), ANSWERS, max_size=10), junk=st.booleans())
    def quiz(self, answers, junk):
        self.lynx("quiz", "phase-13", "--json", stdin="{not json" if junk else json.dumps(answers))

    @rule(ratings=st.lists(st.sampled_from(["1", "2", "3", "4", "x", ""]), max_size=8))
    def cards(self, ratings):
        # each card: Enter reveals the answer, then a rating; end of input stops the session
        self.lynx("cards", "--phase", "13", stdin="".join(f"\n{r}\n" for r in ratings))

    @rule()
    def recover(self):
        self.lynx("recover")

    @precondition(lambda self: self.kills)
    @rule(pick=st.integers(0, 5), step=st.integers(1, 16), sig=st.sampled_from(["KILL", "INT"]))
    def killed(self, pick, step, sig):
        """A command interrupted after its Nth git call or state write (lynx/faults.py): one that has work to do."""
        if (self.ws / ".lynx/state.json").exists():
            args = [["fix", "--apply"], ["done", "-c", "y"], ["abort"]][pick % 3]
        else:
            args = ["break", "13", *([f"0{pick % 3}"] if pick > 2 else []), "--predict", "k"]
        cmd = args[0]
        notes = self.ws / NOTES
        before = notes.read_bytes() if notes.exists() else None
        r = lynx(*args, cwd=self.ws, env={"LYNX_CRASH_AFTER": str(step), "LYNX_CRASH_SIGNAL": sig})
        Learner.stats["kills"] = Learner.stats.get("kills", 0) + ("[lynx test hook]" in r.stderr)
        assert "Traceback" not in r.stdout + r.stderr, r.stderr
        if before is not None:
            assert notes.read_bytes().startswith(before), f"killed `lynx {cmd}` rewrote the notes"

    # -- git and the editor --------------------------------------------------------------------
    # "\r" is left out until store.append_text stops turning the learner's CR / CRLF into LF (it reads the notes
    # as text with universal newlines): test_state_files.py::test_notes_with_windows_line_endings_only_grow.
    @rule(where=st.sampled_from(EDIT_TARGETS), words=st.text(st.characters(codec="utf-8"), max_size=20))
    def edit(self, where, words):
        self.n += 1
        marker = f"MARK-{self.n}-{time.monotonic_ns()}"
        path = self.ws / where
        if path.is_dir():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        line = f"\n# {marker} {words!r}\n" if where.endswith(".py") else f"{marker} {words}\n"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
        self.markers.append(marker)

    @rule(everything=st.booleans())
    def commit(self, everything):
        if everything:
            _git(self.ws, "add", "-A")
        _git(self.ws, "commit", "-qam", "learner's commit")

    @rule(pick=st.integers(0, 9), new=st.booleans())
    def switch(self, pick, new):
        if new:
            _git(self.ws, "switch", "-q", "-c", f"topic-{self.n}-{pick}")
            return
        branches = _git(self.ws, "branch", "--format=%(refname:short)").stdout.split()
        if branches:
            _git(self.ws, "switch", "-q", branches[pick % len(branches)])

    @rule(pop=st.booleans())
    def stash(self, pop):
        if pop:
            _git(self.ws, "stash", "pop", "-q")
        else:
            _git(self.ws, "stash", "push", "-q", "-u")

    # -- invariants ----------------------------------------------------------------------------
    @invariant()
    def nothing_lost(self):
        gone = lost(self.ws, self.markers, where=EDIT_TARGETS)
        assert not gone, f"learner's bytes lost: {gone}"

    @invariant()
    def state_agrees_with_git(self):
        sf = self.ws / ".lynx/state.json"
        if sf.exists():
            s = json.loads(sf.read_text())
            # a killed command may leave a session "starting" or "ending": `lynx recover` (or the next command) resumes it
            assert s.get("stage") in (("active", "starting", "ending") if self.kills else ("active",)), s
            if s["stage"] != "active":
                return
            assert _git(self.ws, "rev-parse", "--verify", "-q", f"refs/heads/{s['branch']}").returncode == 0, \
                f"state names branch {s['branch']}, which does not exist"
            if "commit" in s:
                assert _git(self.ws, "merge-base", "--is-ancestor", s["commit"], s["branch"]).returncode == 0, \
                    f"the break commit of {s['id']} is not on {s['branch']}"
        prog = self.ws / "learners/borja/progress.json"
        if prog.exists() and not _git(self.ws, "ls-files", "-u").stdout:  # a learner's stash conflict aside
            json.loads(prog.read_text())


@pytest.fixture(scope="module")
def fast_course(tmp_path_factory) -> Path:
    """Phase 13 of the bundled course, with checks and observations that take milliseconds, not seconds.

    The random-use suite is about lynx's state and git handling, not about minimodel: the breaks' patches,
    hints, quiz and cards are the real ones; only the check (still a pytest file run by lynx's runner) and
    the observation program (still a subprocess) are made cheap, so 1,000 sequences fit in CI.
    """
    dst = tmp_path_factory.mktemp("fast") / "course"
    phase13_course(dst, fast=True)
    root = dst.parent / "workspace"
    r = lynx("init", str(root), "--learner", "borja", "--from", str(dst), "--yes")
    assert r.returncode == 0, r.stderr
    return root


@pytest.fixture(scope="module")
def machine_template(_template):
    return _template


def _run(machine_cls, examples: int, steps: int, label: str) -> None:
    Learner.stats = {}
    t0 = time.monotonic()
    test = machine_cls.TestCase
    test.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck), database=None, print_blob=True)
    test("runTest").runTest()
    record("random_use", label, {"examples": examples, "steps_max": steps, **Learner.stats,
                                 "seconds": round(time.monotonic() - t0, 1)})


EXAMPLES = int(os.environ.get("LYNX_RANDOM_EXAMPLES", "1000"))


def test_fast_course_checks_behave_like_the_real_ones(fast_course, tmp_path):
    """The stand-in check fails on the broken code and passes once fixed, as a break's check must."""
    ws = tmp_path / "ws"
    shutil.copytree(fast_course, ws, symlinks=True)
    for which in ("00", "01", "02"):
        assert lynx("break", "13", which, "--predict", "x", cwd=ws).returncode == 0
        assert lynx("check", cwd=ws).returncode == 1
        assert lynx("fix", "--apply", cwd=ws).returncode == 0
        assert lynx("check", cwd=ws).returncode == 0
        assert lynx("done", "-c", "y", cwd=ws).returncode == 0


def test_random_use_in_process(fast_course):
    class InProcess(Learner):
        template = fast_course
        run_lynx = staticmethod(_in_process)

    _run(InProcess, EXAMPLES, 8, "in-process")
    assert Learner.stats["sequences"] >= EXAMPLES


def test_random_use_subprocess(machine_template):
    class Subprocess(Learner):
        template = machine_template
        run_lynx = staticmethod(_subprocess)

    _run(Subprocess, max(10, EXAMPLES // 30), 8, "subprocess")


def test_random_use_with_kills(fast_course):
    """The same learner, and now and then a command killed part-way; `recover` is one of the moves."""
    class WithKills(Learner):
        template = fast_course
        run_lynx = staticmethod(_in_process)
        kills = True

    _run(WithKills, max(20, EXAMPLES // 5), 10, "in-process with kills")
