"""`lynx verify`: every break and build the learner's progress file calls done, re-checked on the code
committed for it, in this workspace's own repository (or a CI runner's checkout of it).

The checks are the course's as installed with lynx (``--course`` names another), never the workspace's
own copy of them: a learner could edit that copy. Results are kept in ``.lynx/verify.json`` by source
tree, so a second run only checks what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lynx.activities import verification
from lynx.activities.verification import Checks, ClaimResult, Results
from lynx.core import sandbox
from lynx.core.errors import LynxError
from lynx.learner import progress as progress_file
from lynx.learner.workspace import Workspace
from lynx.vcs import refs as git_refs
from lynx.vcs.objects import ObjectReader, ReadFailed

DEFAULT_TIMEOUT = 600.0  # seconds for one run of a learner's code (all the checks of one tree)


@dataclass
class Verified:
    learner: str
    course: str
    isolation: str
    results: list[ClaimResult] = field(default_factory=list)

    @property
    def failing(self) -> list[ClaimResult]:
        return [r for r in self.results if r.failing]

    def to_json(self) -> dict:
        return {"learner": self.learner, "course": self.course, "sandbox": self.isolation,
                "claims": len(self.results), "failing": len(self.failing), "results": [r.to_json() for r in self.results]}


def course_root(course: Path | None) -> Path:
    """The course whose checks are run: ``--course``, else the one installed with lynx."""
    from lynx.content.course import bundled

    if course is None:
        return bundled()
    root = course.expanduser().resolve()
    if not (root / "breaks").is_dir():
        raise LynxError(f"{course} is not a course (no breaks/ folder)", "pass the folder that holds breaks/ and phases/")
    return root


def verify(ws: Workspace, course: Path | None, jobs: int, timeout: float = DEFAULT_TIMEOUT,
           progress: Callable[[int, int], None] | None = None) -> Verified:
    """Check every claim of ``ws``'s progress file on the code its branch holds."""
    root = course_root(course)
    data = progress_file.load(ws.learner_dir, ws.learner)
    claims = verification.claims_of(data)
    gd = git_refs.git_dir(ws.root)
    if gd is None:
        raise LynxError(f"{ws.root} is not a git repository", "run lynx verify in your workspace (or its clone)")
    out = Verified(ws.learner, str(root), sandbox.isolation().kind if claims else "")
    if not claims:
        return out
    refs = git_refs.branch_refs(ws.root)
    checks = Checks(root)
    results = Results(ws.state_dir / "verify.json")
    try:
        with ObjectReader(gd) as reader:
            located = [verification.locate(reader, c, refs, checks, results) for c in claims]
    except ReadFailed as exc:
        raise LynxError(f"cannot read {ws.root}'s history: {exc}", "check `git status` in the workspace") from None
    pending = [(gd, r) for r in located if r.status == "pending"]
    verification.run(pending, checks, results, jobs, timeout, progress)
    out.results = located
    return out
