"""`lynx validate`: prove the course. Every manifest, break, quiz, deck and build loads; every break
breaks its check on the reference code and its fix makes the check pass again."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lynx.errors import LynxError

# Modules that add their own rows: each may define `validate_course(root: Path, jobs: int) -> list[Row]`
# (jobs: how many checks it may run at once).
HOOKS = ("lynx.quiz", "lynx.build", "lynx.lab")


@dataclass
class Row:
    kind: str
    id: str
    ok: bool
    message: str = ""


def course_root(course: Path | None) -> Path:
    from lynx.workspace import bundled_course, find_root

    if course is not None:
        root = course.expanduser().resolve()
        if not (root / "phases").is_dir():
            raise LynxError(f"{root} has no phases/ folder", "point --course at a lynx course (a workspace or checkout)")
        return root
    here = find_root()
    if here:
        return here
    cwd = Path.cwd()
    if (cwd / "phases").is_dir() and (cwd / "breaks").is_dir():
        return cwd
    return bundled_course()


def validate(root: Path, jobs: int = 2) -> list[Row]:
    from lynx.course import Course

    course = Course(root, use_cache=False)
    rows: list[Row] = []
    listed: dict[str, str] = {}
    for pid in course.phase_ids():
        try:
            ph = course.phase(pid)
        except LynxError as exc:
            rows.append(Row("phase", pid, False, exc.line()))
            continue
        problems = []
        for b in ph.breaks:
            listed[b] = pid
        for page in ph.pages:
            for lang in ("en", "es"):
                if not ph.page_path(page, lang).is_file():
                    problems.append(f"page {page.id} ({lang}) missing: {ph.page_path(page, lang).relative_to(root)}")
        if ph.quiz and not any((root / "data" / "quizzes").glob(f"{ph.quiz}*.yaml")):
            problems.append(f"quiz {ph.quiz} not found in data/quizzes/")
        if ph.build_dir and not (ph.build_dir / "build.yaml").is_file():
            problems.append(f"build challenge {ph.build} has no build.yaml")
        rows.append(Row("phase", pid, not problems, "; ".join(problems) or
                        f"{len(ph.breaks)} breaks, {len(ph.pages)} pages"))
    breaks = []
    for bid in course.break_ids():
        try:
            b = course.brk(bid)
        except LynxError as exc:
            rows.append(Row("break", bid, False, exc.line()))
            continue
        if bid not in listed:
            rows.append(Row("break", bid, False, f"not listed in phases/{b.phase}-*/phase.yaml `breaks:`"))
            continue
        breaks.append(b)
    for bid, pid in listed.items():
        if bid not in course.break_ids():
            rows.append(Row("break", bid, False, f"listed by phase {pid} but breaks/{bid}-*/ does not exist"))
    passing = reference_passes(root, breaks)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        rows += list(pool.map(lambda b: prove_break(root, b, b.id in passing), breaks))
    from lynx import deck

    try:
        problems = deck.check(root)
        rows += [Row("cards", "decks", False, e.line()) for e in problems] or [
            Row("cards", "decks", True, f"{sum(1 for _ in deck.load(root))} cards; every `cards:` reference exists")]
    except LynxError as exc:  # a file the deck check reads is itself broken: one failed row, the rest goes on
        rows.append(Row("cards", "decks", False, exc.line()))
    for name in HOOKS:
        hook = getattr(importlib.import_module(name), "validate_course", None)
        try:
            rows += [r if isinstance(r, Row) else Row(*r) for r in hook(root, jobs)] if hook else []
        except LynxError as exc:
            rows.append(Row(name.rsplit(".", 1)[1], "-", False, exc.line()))
    return rows


def scratch_src(root: Path, work: Path) -> None:
    """A copy of the reference ``src/`` in ``work``, to patch and test without touching the course."""
    shutil.copytree(root / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def reference_passes(root: Path, breaks: list) -> set[str]:
    """The breaks whose check passes on the reference code, from ONE pytest run over all their checks.

    Each pytest start-up (Python, NumPy, pytest) costs about as much as a short check; eleven of them
    were a third of `lynx validate`. A break missing from the answer is proven the slow way, alone, so
    its row carries its own message.
    """
    from lynx import runner
    from lynx.build import read_junit

    if not breaks:
        return set()
    with tempfile.TemporaryDirectory(prefix="lynx-validate-reference-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)
        report = work / "junit.xml"
        checks = [b.check_path.resolve() for b in breaks]  # pytest runs in the scratch folder
        base = Path(os.path.commonpath([str(c.parent) for c in checks]))
        # importlib mode: every check is called check_test.py; one failing to import must not stop the rest
        argv = runner.pytest_argv_many(checks, base, [
            "--import-mode=importlib", "--continue-on-collection-errors", "-o", "junit_family=xunit1",
            f"--junitxml={report}"])
        try:
            runner.run(work, argv, sum(b.timeout for b in breaks), capture=True)
        except LynxError:
            return set()
        cases = read_junit(report) if report.exists() else []
    results: dict[Path, list[bool]] = {}
    for case in cases:
        if case.file:
            results.setdefault((base / case.file).resolve(), []).append(case.passed)
    return {b.id for b, check in zip(breaks, checks) if results.get(check) and all(results[check])}


def prove_break(root: Path, b, reference_passed: bool = False) -> Row:
    """In a scratch copy of the reference src/: patch applies, check fails; fix applies, check passes.

    ``reference_passed``: the check is already known to pass on the reference (see reference_passes).
    """
    from lynx import runner

    with tempfile.TemporaryDirectory(prefix=f"lynx-validate-{b.id}-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)

        def git_apply(patch: Path, reverse: bool = False) -> str | None:
            p = subprocess.run(["git", "apply", *(["-R"] if reverse else []), str(patch)], cwd=work,
                               capture_output=True, text=True)
            return None if p.returncode == 0 else (p.stderr.strip().splitlines() or ["?"])[0]

        def check() -> tuple[bool, str]:
            try:
                proc = runner.run(work, runner.pytest_argv(b.check_path), b.timeout, capture=True)
            except LynxError as exc:
                return False, exc.line()
            lines = (proc.stdout or "").strip().splitlines()
            return proc.returncode == 0, lines[-1] if lines else ""

        if not reference_passed:
            ok, last = check()
            if not ok:
                return Row("break", b.id, False, f"check fails on the reference code: {last}")
        err = git_apply(b.patch)
        if err:
            return Row("break", b.id, False, f"break.patch does not apply to the reference: {err}")
        ok, last = check()
        if ok:
            return Row("break", b.id, False, "check still passes with the bug in: it does not catch the break")
        err = git_apply(b.fix_patch) if b.fix_patch else git_apply(b.patch, reverse=True)
        if err:
            return Row("break", b.id, False, f"the fix does not apply to the broken code: {err}")
        if _same_files(root, work, b.files):
            # The fixed files are the reference's, byte for byte, and the check passes on the reference.
            return Row("break", b.id, True, f"reference passes; broken fails ({last}); fixed passes "
                                            "(the fix restores the reference files exactly)")
        ok, last2 = check()
        if not ok:
            return Row("break", b.id, False, f"check fails after the fix: {last2}")
        return Row("break", b.id, True, f"reference passes; broken fails ({last}); fixed passes")


def _same_files(root: Path, work: Path, files) -> bool:
    def read(p: Path) -> bytes | None:
        return p.read_bytes() if p.is_file() else None

    return all(read(root / rel) == read(work / rel) for rel in files)


def print_rows(rows: list[Row]) -> None:
    from rich.table import Table

    from lynx.ui import console

    t = Table(title="lynx validate", title_justify="left")
    for col in ("", "kind", "id", "detail"):
        t.add_column(col)
    for r in rows:
        t.add_row("[green]✓[/green]" if r.ok else "[red]✗[/red]", r.kind, r.id, r.message)
    console().print(t)
    bad = [r for r in rows if not r.ok]
    import sys

    for r in bad:  # unwrapped, one line each: what a CI log or grep needs
        sys.stdout.write(f"FAILED {r.kind} {r.id}: {r.message}\n")
    console().print(f"{len(rows) - len(bad)} ok, {len(bad)} failed" if bad else f"all {len(rows)} ok")
