"""The start-up guard: the commands a learner runs dozens of times an hour import nothing heavy.

`lynx hint` and `lynx status` (with a break active) must not import git, numpy, pydantic or
rich.markdown; `lynx --help` and `lynx phases` none of git, numpy, pydantic. Each command runs in a real
subprocess with `-X importtime`, and the module names Python reports are checked: no clock is
read, so the guard cannot drift with the machine's speed (benchmarks/run.py measures the time).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kit import ENV, lynx

# fsrs, rapidfuzz and genanki serve `lynx cards` only; torch serves `lynx cards --optimize` only.
HEAVY = ("git", "numpy", "pydantic", "rich.markdown", "fsrs", "rapidfuzz", "genanki", "torch")
# Which heavy modules each command may NOT import. Rich-formatted --help imports rich.markdown
# (typer's rich_utils does, at its top), and `lynx phases` draws a Rich table: both are allowed that.
FORBIDDEN = {
    ("hint",): HEAVY,
    ("hint", "--all"): HEAVY,
    ("status",): HEAVY,
    ("status", "--json"): HEAVY,
    ("--help",): ("git", "numpy", "pydantic", "fsrs", "rapidfuzz", "genanki", "torch"),
    ("cards", "--help"): ("git", "numpy", "pydantic", "fsrs", "rapidfuzz", "genanki", "torch"),
    ("phases",): ("git", "numpy", "pydantic"),
}


def imported_modules(argv: list[str], cwd: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    """Every module a Python command imported, read from its `-X importtime` report."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], cwd=cwd, capture_output=True,
                          text=True, env=ENV, timeout=120)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the report's header row
                names.add(name)
    return names, proc


def offenders(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    """The imported modules that are, or live inside, a forbidden package."""
    return sorted(n for n in names for f in forbidden if n == f or n.startswith(f + "."))


@pytest.fixture(scope="module")
def active_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("perf") / "course"
    r = lynx("init", str(root), "--learner", "perf")
    assert r.returncode == 0, r.stderr
    r = lynx("break", "13", "--predict", "a shape error", cwd=root)
    assert r.returncode == 0, r.stderr
    return root


def test_the_import_report_is_read(tmp_path):
    """The parser sees what a program imports, and flags a package and its submodules (else the guard is blind)."""
    names, proc = imported_modules(["-c", "import json.decoder, email.mime.text"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert {"json", "json.decoder", "email.mime.text"} <= names
    assert offenders(names, ("email",)) == sorted(n for n in names if n.split(".")[0] == "email")
    assert offenders({"gitdb", "git.repo", "numpyx"}, ("git", "numpy")) == ["git.repo"]


@pytest.mark.parametrize("args", list(FORBIDDEN), ids=" ".join)
def test_hot_commands_import_nothing_heavy(active_workspace, args):
    names, proc = imported_modules(["-m", "lynx", *args], active_workspace)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "lynx.cli" in names  # the report covers lynx itself, not only the interpreter's start
    bad = offenders(names, FORBIDDEN[args])
    assert not bad, f"`lynx {' '.join(args)}` imported {bad}: import them inside the function that needs them"


def test_hint_in_a_workspace_with_no_break_imports_nothing_heavy(tmp_path):
    """The error path (no break active) is as light as the happy one."""
    root = tmp_path / "course"
    assert lynx("init", str(root), "--learner", "perf").returncode == 0
    names, proc = imported_modules(["-m", "lynx", "hint"], root)
    assert proc.returncode == 2 and "lynx:" in proc.stderr
    assert not offenders(names, HEAVY)
