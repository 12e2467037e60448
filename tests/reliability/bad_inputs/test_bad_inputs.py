"""The corpus of bad inputs: each case under `cli/` gives one line on stderr, the right exit code, no traceback,
and leaves the workspace byte-for-byte unchanged (working tree, index, refs, HEAD and lynx's state).

A case is a small YAML file:

    setup:                      # run before the hash is taken (each step must succeed)
      - lynx: [break, "13", --predict, x]
      - write: {path: learners/borja/progress.json, text: '{"breaks": '}
      - write_hex: {path: ..., hex: "ff fe"}     # raw bytes
      - append: {path: ..., text: ...}
      - replace: {path: ..., old: ..., new: ...}
      - git: [switch, --detach]
      - rm: .git
      - symlink: {path: ..., to: ...}
    cwd: outside                # optional: run in an empty folder outside the workspace
    env: {PATH: /nonexistent}   # optional
    argv: [break, "99"]
    stdin: ...                  # optional
    stdin_big: {head: ..., repeat: ..., times: N, tail: ...}   # optional: a large stdin, made at run time
    exit: 2                     # 1 for a failed check
    says: [phase 99]            # optional: words the error line must contain (case-insensitive)
    xfail: reason               # optional: a known lynx bug, reported (strict xfail)
    root_ok: false              # optional: skip when running as root (permissions do not bind root)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kit import ENV, git, lynx, tree_hash

CASES = sorted((Path(__file__).parent / "cli").glob("*.yaml"))


def _param(case: Path):
    """A case may carry `xfail: reason` for a known lynx bug (strict: it fails loudly once fixed)."""
    reason = yaml.safe_load(case.read_text(encoding="utf-8")).get("xfail")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.stem, marks=marks)


def test_the_corpus_is_big_enough():
    """Issue 18: at least 150 distinct bad inputs, with the broken quiz files (tests/unit/test_quiz_schema.py)."""
    quiz = list((Path(__file__).parent / "quiz").glob("*.yaml"))
    argvs = {(yaml.safe_load(c.read_text(encoding="utf-8")).get("what")) for c in CASES}
    assert len(argvs) == len(CASES), "two cases say the same `what`"
    assert len(CASES) + len(quiz) >= 150


def _setup(ws: Path, steps: list[dict]) -> None:
    for step in steps or []:
        (kind, arg), = step.items()
        if kind == "lynx":
            r = lynx(*map(str, arg), cwd=ws)
            assert r.returncode == 0, f"setup {arg}: {r.stderr}"
        elif kind == "git":
            git(*map(str, arg), cwd=ws)
        elif kind == "write":
            p = ws / arg["path"]
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(arg["text"], encoding="utf-8")
        elif kind == "write_hex":
            p = ws / arg["path"]
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(bytes.fromhex(arg["hex"]))
        elif kind == "append":
            with (ws / arg["path"]).open("a", encoding="utf-8") as fh:
                fh.write(arg["text"])
        elif kind == "replace":
            p = ws / arg["path"]
            old = p.read_text(encoding="utf-8")
            assert arg["old"] in old, f"setup replace: {arg['old']!r} not in {p}"
            p.write_text(old.replace(arg["old"], arg["new"], 1), encoding="utf-8")
        elif kind == "glob_replace":  # one file matched by a glob (content files have slugs in their names)
            matches = sorted(ws.glob(arg["glob"]))
            assert matches, f"setup glob_replace: nothing matches {arg['glob']}"
            _setup(ws, [{"replace": {"path": str(matches[0].relative_to(ws)), "old": arg["old"], "new": arg["new"]}}])
        elif kind == "rm":
            p = ws / arg
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        elif kind == "symlink":
            p = ws / arg["path"]
            if p.exists() or p.is_symlink():
                p.unlink()
            p.symlink_to(arg["to"])
        elif kind == "chmod":
            os.chmod(ws / arg["path"], int(str(arg["mode"]), 8))
        elif kind == "big":  # a file over the content size limit
            p = ws / arg["path"]
            p.write_text(p.read_text(encoding="utf-8") + "\n# " + "x" * arg["bytes"] + "\n", encoding="utf-8")
        else:
            raise AssertionError(f"unknown setup step {kind}")


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_gives_one_line_and_changes_nothing(case, workspace, tmp_path):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    if spec.get("root_ok") is False and os.geteuid() == 0:
        pytest.skip("permissions do not bind root")
    _setup(workspace, spec.get("setup"))
    cwd = workspace
    if spec.get("cwd") == "outside":
        cwd = tmp_path / "elsewhere"
        cwd.mkdir()
    elif spec.get("cwd"):
        cwd = workspace / spec["cwd"]
    env = {k: str(v).replace("{ws}", str(workspace)) for k, v in (spec.get("env") or {}).items()}
    before = tree_hash(workspace), tree_hash(cwd)
    stdin = spec.get("stdin")
    if spec.get("stdin_big"):
        big = spec["stdin_big"]
        stdin = big["head"] + big["repeat"] * big["times"] + big["tail"]
    r = lynx(*map(str, spec["argv"]), cwd=cwd, env=env, input=stdin, timeout=120)
    after = tree_hash(workspace), tree_hash(cwd)
    for chmod in [s["chmod"] for s in spec.get("setup") or [] if "chmod" in s]:
        os.chmod(workspace / chmod["path"], 0o755)  # let pytest clean up
    shown = f"exit {r.returncode}\nstdout: {r.stdout[-600:]}\nstderr: {r.stderr[-1500:]}"
    # lynx's own traceback starts a line; a failing check may quote the learner program's (indented by pytest)
    assert not re.search(r"^Traceback \(most recent call last\)", r.stderr + r.stdout, re.M), shown
    assert r.returncode == spec["exit"], shown
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    if spec["exit"] == 2 or lines:  # a failed check (exit 1) may print nothing on stderr, else one line too
        assert len(lines) == 1 and lines[0].startswith("lynx: "), f"not one `lynx: ...` line\n{shown}"
    for word in spec.get("says") or []:
        assert word.lower() in r.stderr.lower(), f"the error does not say {word!r}\n{shown}"
    assert after == before, f"the workspace changed\n{shown}"
