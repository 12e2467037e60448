"""Fuzzing the command line (issue 18, class 6): Hypothesis draws the argv of every lynx command — its own
options and flags in any order and number, ids that exist and ids that do not, numbers out of range, unicode,
control characters, bidi overrides, undecodable bytes (as Python's argv holds them: lone surrogates), empty and
huge values — and runs it through the real entry (`lynx.cli.run`, every handler included) in a workspace in
one of five states: fresh, a break active, a build active, a session ending half-way (a `done` cut by an
I/O error), and a damaged state file. After each run:

1. no exception escaped and no traceback from a frame inside the `lynx` package was printed (`lab` runs the
   course's program, whose own traceback may be quoted);
2. the exit code is 0, 1 or 2 (`lab` passes on its program's status);
3. a refusal (exit 2) is one `lynx: ...` line on stderr and changed nothing: the workspace hash (working
   tree, index, HEAD, every ref, the stash, `.lynx/state.json`) is as before.

A run that changed the workspace (a command that did its job) is followed by a fresh copy, so each example
starts from the same state. `lynx watch`, which runs until Ctrl-C once there is a session to watch, is
fuzzed where it must refuse (fresh, damaged state) and with --help elsewhere. No network: git may use the file transport only, and ssh is `false`.
LYNX_FUZZ_EXAMPLES (default 60) sets the examples per state; the numbers of a run go to
$LYNX_RELIABILITY_RESULTS (docs/reliability.md).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from harness import SCRATCH, fast_workspace, in_process, record, state
from kit import tree_hash

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LYNX_FUZZ_EXAMPLES", "60"))
LYNX_FRAME = re.compile(r'File "[^"]*[/\\]lynx[/\\][^"]*\.py"')
NO_NETWORK = {"GIT_ALLOW_PROTOCOL": "file", "GIT_SSH_COMMAND": "false", "VISUAL": "true", "EDITOR": "true",
              "BROWSER": "true"}


def _commands() -> dict[str, list[str]]:
    """Every command of the app, with its option names (from Typer's own Click tree: a new command is fuzzed too)."""
    import typer.main

    import lynx.cli  # noqa: F401  (registers the commands)
    from lynx.commands.app import app

    group = typer.main.get_command(app)
    out = {}
    for name, cmd in group.commands.items():
        opts = [o for p in cmd.params if getattr(p, "param_type_name", "") == "option" for o in p.opts]
        out[name] = opts + ["--help"]
    return out


COMMANDS = _commands()

# Values people type, and values no one should: ids of the course and near misses, numbers at and past every
# range, unicode, terminal controls, bidi overrides, a lone surrogate (an undecodable byte of a real argv).
POOL = ["13", "13-00", "13-01", "13-02", "00", "phase-13", "14", "99", "0", "-1", "1", "2", "100", "101", "1e309",
        "nan", "inf", "9" * 40, "", " ", "\t", "\n", "a", "y", "n", "partly", "en", "es", "EN", "fr", "borja",
        "Borja", "con", "..", "../x", "./", ".git", ".lynx", "learners/borja", "src/minimodel", "lynx.toml",
        "x" * 5000, "é" * 300, "漢字", "ñandú", "\x1b[2J\x1b[31mred", "[bold]x[/bold]", "[link=file:///etc]x",
        "\u202eevil", "\u200b", "\x07\x08\x7f", "\x9b31m", "\udcff\udcfe", "-", "--", "-x", "--nope", "=",
        "13\n00", "13-00 ", "q-13-01", "embeddings", "rank-collapse", "{}", "[]", '{"a":', "%s%n", "$(touch x)",
        "; rm -rf .", "'\"", "file:///nonexistent", "x:y"]
SAFE_TEXT = st.text(st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)), max_size=40)
VALUES = st.one_of(st.sampled_from(POOL), SAFE_TEXT, st.integers(-10, 10**30).map(str))


@st.composite
def argvs(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    tokens = draw(st.lists(st.one_of(st.sampled_from(COMMANDS[name]), VALUES), max_size=6))
    return [name, *tokens]


# -- the five states -------------------------------------------------------------------------------------
def _ok(ws: Path, argv: list[str]) -> None:
    code, _, err = in_process(ws, argv, env=NO_NETWORK)
    assert code == 0, f"setup {argv}: {err}"


def _ending(ws: Path) -> None:
    """A `done` cut half-way by an I/O error: the state says "ending", what `lynx recover` must finish."""
    _ok(ws, ["break", "13", "--predict", "a shape error"])
    _ok(ws, ["fix", "--apply"])
    for n in range(5, 80):
        probe = ws.parent / "probe"
        shutil.rmtree(probe, ignore_errors=True)
        shutil.copytree(ws, probe, symlinks=True)
        in_process(probe, ["done", "-c", "y"], fault=f"EIO@{n}", env=NO_NETWORK)
        if (state(probe) or {}).get("stage") == "ending":
            shutil.rmtree(ws)
            probe.rename(ws)
            return
    raise AssertionError("no step of `done` leaves the session ending")


def _damaged(ws: Path) -> None:
    (ws / ".lynx").mkdir(exist_ok=True)
    (ws / ".lynx" / "state.json").write_text('{"kind": "break", "id": "13-0', encoding="utf-8")


STATES = {
    "fresh": lambda ws: None,
    "break active": lambda ws: _ok(ws, ["break", "13", "--predict", "a shape error"]),
    "build active": lambda ws: _ok(ws, ["build", "13"]),
    "ending interrupted": _ending,
    "damaged state file": _damaged,
}


@pytest.fixture(scope="module")
def base_ws(tmp_path_factory) -> Path:
    return fast_workspace(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.parametrize("name", list(STATES))
def test_no_argv_escapes_or_changes_anything_when_refused(name, base_ws):
    tmp = Path(tempfile.mkdtemp(prefix=f"lynx-fuzz-{name.replace(' ', '_')}-", dir=SCRATCH))
    ready = tmp / "ready"
    shutil.copytree(base_ws, ready, symlinks=True)
    STATES[name](ready)
    ready_hash = tree_hash(ready)
    ws = tmp / "ws"
    shutil.copytree(ready, ws, symlinks=True)
    counts = {"examples": 0, "exit 0": 0, "exit 1": 0, "exit 2": 0, "refusals unchanged": 0, "other exit": 0}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(argv=argvs())
    def one(argv: list[str]) -> None:
        nonlocal ws
        # `lynx watch` with a session to watch runs until Ctrl-C by design (tests/cli/test_watch.py stops it):
        # here only where it must refuse, or with --help
        assume(argv[0] != "watch" or name in ("fresh", "damaged state file") or "--help" in argv)
        if tree_hash(ws) != ready_hash:  # the last example did its job: start again from the state
            shutil.rmtree(ws)
            shutil.copytree(ready, ws, symlinks=True)
        before = tree_hash(ws)
        code, out, err = in_process(ws, argv, env=NO_NETWORK)  # an exception lynx lets escape fails here
        counts["examples"] += 1
        shown = f"{argv!r}\nexit {code}\nstdout: {out[-800:]}\nstderr: {err[-1500:]}"
        assert not LYNX_FRAME.search(out + err), f"a traceback from lynx\n{shown}"
        if argv[0] == "lab" and code not in (0, 1, 2):
            counts["other exit"] += 1  # the lab program's own exit status, passed on
            return
        assert code in (0, 1, 2), shown
        counts[f"exit {code}"] += 1
        if code == 2:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            assert len(lines) == 1 and lines[0].startswith("lynx: "), f"not one `lynx: ...` line\n{shown}"
            assert tree_hash(ws) == before, f"a refusal changed the workspace\n{shown}"
            counts["refusals unchanged"] += 1

    try:
        one()
        record("fuzz", name, counts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert counts["exit 2"] > 0 and counts["examples"] >= EXAMPLES
