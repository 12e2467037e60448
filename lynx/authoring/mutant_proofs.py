"""`lynx validate --mutants`: each mutant of minimodel (lynx.authoring.mutants) applied to a scratch copy of
the reference code, run against every break check and every build validator; a mutant nothing kills is
a blind spot of the course, reported and, with ``--drafts``, turned into a draft break (its patch made)."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lynx.activities.checks import pytest_argv_many
from lynx.authoring.break_proofs import Row, scratch_src
from lynx.authoring.mutants import Mutant, mutants_of
from lynx.content.challenge import parse_build
from lynx.content.course import Course
from lynx.core import process
from lynx.core.errors import LynxError

SKIPPED = ("programs", "labs")  # observation programs and labs: what they print is not the library
TIMEOUT = 300  # a mutant that makes a loop endless is killed by the clock


@dataclass(frozen=True)
class Suite:
    """One pytest run: a build's validator, or every break check at once; ``phase`` orders the runs."""

    name: str
    phase: str
    argv: tuple[str, ...]


def suites(root: Path, tmp: Path) -> list[Suite]:
    course = Course(root, use_cache=False)
    out = []
    checks = [course.brk(b).check_path.resolve() for b in course.break_ids()]
    if checks:
        base = Path(os.path.commonpath([str(c.parent) for c in checks]))
        out.append(Suite("break checks", "", tuple(pytest_argv_many(checks, base, ["-x", "--import-mode=importlib"]))))
    ini = tmp / "pytest.ini"  # as run_validator: a pyproject.toml above the tests must not add its pythonpath
    ini.write_text("[pytest]\n", encoding="utf-8")
    for pid in course.phase_ids():
        ph = course.phase(pid)
        if ph.build_dir:
            b = parse_build(ph.build_dir / "build.yaml", ph.id)
            tests = b.tests.resolve()
            out.append(Suite(f"build {ph.id}", ph.id, ("python", "-m", "pytest", "-c", str(ini), "-q", "-x", "--no-header",
                                                     "-p", "no:cacheprovider", "--rootdir", str(tests), str(tests))))
    return out


def owners(root: Path) -> dict[str, str]:
    """The phase that owns each source file: the first whose breaks or build list it."""
    course = Course(root, use_cache=False)
    out: dict[str, str] = {}
    for bid in sorted(course.break_ids()):
        for f in course.brk(bid).files:
            out.setdefault(f, course.brk(bid).phase)
    for pid in course.phase_ids():
        ph = course.phase(pid)
        if ph.build_dir:
            for f in parse_build(ph.build_dir / "build.yaml", ph.id).files:
                out.setdefault(f, ph.id)
    return out


def select(root: Path, files: list[str] | None, limit: int) -> tuple[list[Mutant], int]:
    """The mutants to run (``limit`` of them spread evenly over all, 0 for all) and how many there are."""
    if files:
        for rel in files:
            if not (root / rel).is_file() or not rel.endswith(".py"):
                raise LynxError(f"--mutate {rel!r}: no such Python file in the course", "e.g. --mutate src/minimodel/nn/rnn.py")
    else:
        lib = root / "src" / "minimodel"
        files = [p.relative_to(root).as_posix() for p in sorted(lib.rglob("*.py"))
                 if not set(p.relative_to(lib).parts[:-1]) & set(SKIPPED)]
    every = [m for rel in files for m in mutants_of(root, rel)]
    if limit <= 0 or limit >= len(every):
        return every, len(every)
    step = len(every) / limit
    return [every[int(i * step)] for i in range(limit)], len(every)


def killed_by(root: Path, m: Mutant, order: list[Suite]) -> str | None:
    """The first suite that fails with ``m`` in the code (None: the mutant survives every one)."""
    with tempfile.TemporaryDirectory(prefix="lynx-mutant-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)
        target = work / m.file
        target.write_text(m.apply(target.read_text(encoding="utf-8")), encoding="utf-8")
        for s in order:
            try:
                proc = process.run(work, list(s.argv), TIMEOUT, capture=True)
            except LynxError:
                return f"{s.name} (did not finish)"
            if proc.returncode != 0:
                return s.name
    return None


def mutant_rows(root: Path, files: list[str] | None = None, limit: int = 25, jobs: int = 2,
                drafts: bool = False) -> list[Row]:
    """A row per mutant run (ok: something killed it), and a first row saying how many were run."""
    root = root.resolve()
    chosen, total = select(root, files, limit)
    owner = owners(root)
    with tempfile.TemporaryDirectory(prefix="lynx-mutants-") as tmp:
        all_suites = suites(root, Path(tmp))
        base = reference_problem(root, all_suites)
        if base:
            return [Row("mutants", "reference", False, base)]

        def run(m: Mutant) -> str | None:  # the owning phase's validator first: most mutants die there, fast
            order = sorted(all_suites, key=lambda s: (s.phase != owner.get(m.file), s.phase == ""))
            return killed_by(root, m, order)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            verdicts = list(pool.map(run, chosen))
    rows = [Row("mutants", "run", True, f"{len(chosen)} of {total} mutants" + ("" if len(chosen) == total
                                                                               else " (--limit 0 runs them all)"))]
    for m, killer in zip(chosen, verdicts):
        if killer:
            rows.append(Row("mutant", m.label, True, f"killed by {killer}"))
            continue
        note = "survives every break check and build validator: a blind spot"
        if drafts:
            note += "; " + draft(root, m, owner.get(m.file))
        rows.append(Row("mutant", m.label, False, note))
    return rows


def reference_problem(root: Path, order: list[Suite]) -> str | None:
    with tempfile.TemporaryDirectory(prefix="lynx-mutant-ref-") as tmp:
        scratch_src(root, Path(tmp))
        for s in order:
            try:
                proc = process.run(Path(tmp), list(s.argv), TIMEOUT, capture=True)
            except LynxError as exc:
                return f"{s.name} does not finish on the reference code: {exc.line()}"
            if proc.returncode != 0:
                return f"{s.name} fails on the reference code: no mutant can be judged (run `lynx validate`)"
    return None


def draft(root: Path, m: Mutant, phase: str | None) -> str:
    """The mutant as a draft break of the phase owning its file: its patch made, the rest TODO."""
    from lynx.authoring.scaffold import new_break
    from lynx.vcs import scratch

    if phase is None:
        return f"no phase lists {m.file} (no draft; `lynx new break PHASE SLUG` makes one by hand)"
    with tempfile.TemporaryDirectory(prefix="lynx-draft-") as tmp:
        changed = Path(tmp) / "mutated.py"
        changed.write_text(m.apply((root / m.file).read_text(encoding="utf-8")), encoding="utf-8")
        patch = scratch.diff(root, [m.file], {m.file: changed})
    slug = f"mutant-{Path(m.file).stem}-{m.line}-{m.kind.replace(' ', '-')}".lower()
    made = new_break(root, phase, slug, files=[m.file], patch=patch, note=f"Made from the mutant {m.label}")
    return f"draft break {made.id} in {made.folder.relative_to(root)}"

