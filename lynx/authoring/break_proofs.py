"""Proving a break: in a scratch copy of the reference `src/`, its check passes, the patch applies and
makes the check fail, and the fix (fix.patch, or the patch reversed) makes it pass again."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lynx.activities.checks import pytest_argv, pytest_argv_many, read_junit
from lynx.content.breaks import Break
from lynx.core import process
from lynx.core.errors import LynxError
from lynx.vcs import scratch


@dataclass
class Row:
    """One line of `lynx validate`: what was proven (kind, id), whether it holds, and the detail."""

    kind: str
    id: str
    ok: bool
    message: str = ""


def scratch_src(root: Path, work: Path) -> None:
    """A copy of the reference ``src/`` in ``work``, to patch and test without touching the course."""
    shutil.copytree(root / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def reference_passes(root: Path, breaks: list[Break]) -> set[str]:
    """The breaks whose check passes on the reference code, from ONE pytest run over all their checks.

    Each pytest start-up (Python, NumPy, pytest) costs about as much as a short check; eleven of them
    were a third of `lynx validate`. A break missing from the answer is proven the slow way, alone, so
    its row carries its own message.
    """
    if not breaks:
        return set()
    with tempfile.TemporaryDirectory(prefix="lynx-validate-reference-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)
        report = work / "junit.xml"
        checks = [b.check_path.resolve() for b in breaks]  # pytest runs in the scratch folder
        base = Path(os.path.commonpath([str(c.parent) for c in checks]))
        # importlib mode: every check is called check_test.py; one failing to import must not stop the rest
        argv = pytest_argv_many(checks, base, [
            "--import-mode=importlib", "--continue-on-collection-errors", "-o", "junit_family=xunit1",
            f"--junitxml={report}"])
        try:
            process.run(work, argv, sum(b.timeout for b in breaks), capture=True)
        except LynxError:
            return set()
        cases = read_junit(report) if report.exists() else []
    results: dict[Path, list[bool]] = {}
    for case in cases:
        if case.file:
            results.setdefault((base / case.file).resolve(), []).append(case.passed)
    return {b.id for b, check in zip(breaks, checks) if results.get(check) and all(results[check])}


def prove_break(root: Path, b: Break, reference_passed: bool = False) -> Row:
    """In a scratch copy of the reference src/: patch applies, check fails; fix applies, check passes.

    ``reference_passed``: the check is already known to pass on the reference (see reference_passes).
    """
    with tempfile.TemporaryDirectory(prefix=f"lynx-validate-{b.id}-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)

        def check() -> tuple[bool, str]:
            try:
                proc = process.run(work, pytest_argv(b.check_path), b.timeout, capture=True)
            except LynxError as exc:
                return False, exc.line()
            lines = (proc.stdout or "").strip().splitlines()
            return proc.returncode == 0, lines[-1] if lines else ""

        if not reference_passed:
            ok, last = check()
            if not ok:
                return Row("break", b.id, False, f"check fails on the reference code: {last}")
        err = scratch.apply(work, b.patch)
        if err:
            return Row("break", b.id, False, f"break.patch does not apply to the reference: {err}")
        ok, last = check()
        if ok:
            return Row("break", b.id, False, "check still passes with the bug in: it does not catch the break")
        why = _outcome_problem(work, b)
        if why:
            return Row("break", b.id, False, why)
        err = scratch.apply(work, b.fix_patch) if b.fix_patch else scratch.apply(work, b.patch, reverse=True)
        if err:
            return Row("break", b.id, False, f"the fix does not apply to the broken code: {err}")
        if _same_files(root, work, b.files):
            # The fixed files are the reference's, byte for byte, and the check passes on the reference.
            return Row("break", b.id, True, f"reference passes; broken fails ({last}); outcome proven; fixed passes "
                                            "(the fix restores the reference files exactly)")
        ok, last2 = check()
        if not ok:
            return Row("break", b.id, False, f"check fails after the fix: {last2}")
        return Row("break", b.id, True, f"reference passes; broken fails ({last}); outcome proven; fixed passes")


def _outcome_problem(work: Path, b: Break) -> str | None:
    """The break's outcome against the observation program's real behaviour on the broken code (None: proven)."""
    from lynx.activities.outcomes import observe, proof

    if b.outcome is None:
        return "no outcome: a scored prediction needs one (options, or a measured number; see docs/design.md)"
    try:
        proc = process.run(work, b.observe, b.timeout, capture=True)
    except LynxError as exc:
        return f"the observation program did not finish: {exc.line()}"
    problem = proof(b.outcome, observe(proc.returncode, proc.stdout or ""))
    return f"outcome not proven: {problem}" if problem else None


def _same_files(root: Path, work: Path, files) -> bool:
    def read(p: Path) -> bytes | None:
        return p.read_bytes() if p.is_file() else None

    return all(read(root / rel) == read(work / rel) for rel in files)
