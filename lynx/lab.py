"""Labs: longer experiments a phase manifest lists under `labs:`, run on the learner's own code."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from lynx.content import text
from lynx.errors import LynxError
from lynx.phase import Lab, Phase
from lynx.workspace import Workspace

TIMEOUT = 600  # seconds; the labs of the course finish in well under a minute
# The labs multiply small matrices: one BLAS thread is faster than several fighting for the cores.
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def find(ws: Workspace, phase_id: str, lab_id: str) -> tuple[Phase, Lab]:
    ph = ws.course.phase(phase_id)
    for lab in ph.labs:
        if lab.id == lab_id:
            return ph, lab
    ids = ", ".join(x.id for x in ph.labs) or "none"
    raise LynxError(f"phase {ph.id} has no lab {lab_id!r} (it has {ids})", f"list them with `lynx lab {ph.id}`")


def listing(ws: Workspace, phase_id: str, lang: str) -> tuple[Phase, list[dict[str, str]]]:
    ph = ws.course.phase(phase_id)
    return ph, [{"id": x.id, "title": text(x.title, lang), "run": " ".join(x.run)} for x in ph.labs]


def run(ws: Workspace, lab: Lab, extra: Sequence[str], lang: str = "en") -> int:
    """Run the lab's program with cwd = workspace, the learner's src/ first on the path; returns its exit status.

    The program learns the language from LYNX_LANG (the labs of minimodel print their report in en or es).
    """
    from lynx import runner

    # Set in lynx's own environment, which the child inherits: lynx exits right after.
    for name in BLAS_ENV:
        os.environ.setdefault(name, "1")
    os.environ["LYNX_LANG"] = lang
    return runner.run(ws.root, [*lab.run, *extra], TIMEOUT).returncode


def validate_course(root: Path, jobs: int = 1) -> list:  # jobs: reads only, nothing to run
    """`lynx validate`: every lab's `python -m <module>` names a module that exists under src/."""
    from lynx.course import Course
    from lynx.validate import Row

    rows = []
    course = Course(root, use_cache=False)
    for pid in course.phase_ids():
        try:
            ph = course.phase(pid)
        except LynxError:
            continue  # the phase row already reports it
        for lab in ph.labs:
            problem = _module_problem(root, lab.run)
            rows.append(Row("lab", f"{ph.id}/{lab.id}", problem is None, problem or " ".join(lab.run)))
    return rows


def _module_problem(root: Path, argv: Sequence[str]) -> str | None:
    if len(argv) >= 3 and argv[0] in ("python", "python3") and argv[1] == "-m":
        rel = Path("src", *argv[2].split("."))
        if not (root / rel.with_suffix(".py")).is_file() and not (root / rel / "__main__.py").is_file():
            return f"module {argv[2]} not found under src/"
    return None
