"""Proving a build challenge: its validator passes the reference code, fails the stub on every test,
and catches every break of its phase (each applied to the reference)."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lynx.activities.checks import CheckResult, run_validator
from lynx.authoring.break_proofs import Row, scratch_src
from lynx.content.challenge import Build, parse_build
from lynx.core.errors import LynxError
from lynx.vcs import scratch


def scratch_run(root: Path, b: Build, patch: Path | None) -> tuple[CheckResult | None, str | None]:
    """The validator on a scratch copy of the reference src/, with ``patch`` applied: (result, or why not)."""
    with tempfile.TemporaryDirectory(prefix=f"lynx-validate-build-{b.id}-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)
        if patch is not None:
            err = scratch.apply(work, patch)
            if err:
                return None, err
        try:
            return run_validator(work, b.tests, b.timeout), None
        except LynxError as exc:
            return None, exc.line()


def proof_patches(b: Build, break_patches: list[tuple[str, Path]]) -> list[Path | None]:
    """What :func:`prove` runs the validator on, in order: the reference, the stub, each break."""
    return [None, b.stub, *(patch for _, patch in break_patches)]


def prove(root: Path, b: Build, break_patches: list[tuple[str, Path]], results: Any = None) -> list[tuple[str, bool, str]]:
    """Reference passes every test; stub fails every test; every break fails at least one test.

    ``results``: the runs of :func:`scratch_run` over :func:`proof_patches`, in that order, when the caller
    ran them already (in parallel); by default they run here, one after another.
    """
    rows: list[tuple[str, bool, str]] = []
    runs = iter(results if results is not None else (scratch_run(root, b, x) for x in proof_patches(b, break_patches)))
    ref, err = next(runs)
    if ref is None or not ref.passed:
        why = err or "; ".join(f"{t.name}: {t.message}" for t in ref.failed[:2])
        rows.append((b.id, False, f"the reference fails the validator: {why}"))
        return rows
    stub, err = next(runs)
    if stub is None:
        rows.append((b.id, False, f"stub.patch does not apply to the reference: {err}"))
    else:
        still = _grouped(t.name for t in stub.tests if t.passed)
        rows.append((b.id, not still, f"reference passes {len(ref.tests)}/{len(ref.tests)} tests; stub fails "
                     f"{len(stub.failed)}/{len(stub.tests)}" + (f" (passes: {', '.join(still[:3])})" if still else "")))
    for bid, patch in break_patches:
        res, err = next(runs)
        if res is None:
            rows.append((f"{b.id}/{bid}", False, f"break.patch does not apply to the reference: {err}"))
            continue
        caught = _grouped(t.name for t in res.failed)
        rows.append((f"{b.id}/{bid}", bool(caught), f"caught by {', '.join(caught)}" if caught
                     else f"no validator test fails with break {bid} applied"))
    return rows


def _grouped(names) -> list[str]:
    """`test_x[a]`, `test_x[b]` -> `test_x (2 cases)`: short, and free of brackets a table might eat."""
    counts: dict[str, int] = {}
    for name in names:
        base = name.split("[", 1)[0]
        counts[base] = counts.get(base, 0) + 1
    return [f"{base} ({n} cases)" if n > 1 else base for base, n in counts.items()]


def validate_builds(root: Path, jobs: int = 2) -> list[Row]:
    """`lynx validate`'s rows for the build challenges; every validator run of every build shares one pool."""
    from lynx.content.course import Course

    root = root.resolve()
    course = Course(root, use_cache=False)
    rows: list[Row] = []
    proofs = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for pid in course.phase_ids():
            try:
                ph = course.phase(pid)
            except LynxError:
                continue  # reported by the phase row
            if not ph.build_dir:
                continue
            try:
                b = parse_build(ph.build_dir / "build.yaml", ph.id)
                patches = [(bid, course.brk(bid).patch) for bid in ph.breaks]
            except LynxError as exc:
                rows.append(Row("build", ph.id, False, exc.line()))
                continue
            proofs.append((b, patches, [pool.submit(scratch_run, root, b, x) for x in proof_patches(b, patches)]))
        for b, patches, futures in proofs:
            rows += [Row("build", ident, ok, msg)
                     for ident, ok, msg in prove(root, b, patches, [f.result() for f in futures])]
    return rows
