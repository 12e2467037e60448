"""Labs: longer experiments a phase manifest lists under `labs:`, run on the learner's own code."""

from __future__ import annotations

from typing import Sequence

from lynx.content.fields import text
from lynx.content.phase import Lab, Phase
from lynx.core import process
from lynx.core.errors import LynxError
from lynx.learner.workspace import Workspace

TIMEOUT = 600  # seconds; the labs of the course finish in well under a minute


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
    # process.env_for gives it one BLAS thread, as every course program
    return process.run(ws.root, [*lab.run, *extra], TIMEOUT, env={"LYNX_LANG": lang}).returncode
