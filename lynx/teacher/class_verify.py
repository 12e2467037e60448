"""`lynx class --verify`: every learner's claims (breaks and builds their progress file calls done) re-checked
on the code they pushed for each, from git's objects in the teacher's cache (or the learner's repository on
this machine, read in place), in the sandbox; results kept in the cache by (source tree, check), so a
second run re-verifies only what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from lynx.activities import verification
from lynx.activities.verification import Checks, Claim, ClaimResult, Results
from lynx.core import sandbox
from lynx.teacher.summary import done_claims
from lynx.teacher.sync import ClassCache, Learner
from lynx.vcs.objects import ReadFailed

DEFAULT_TIMEOUT = 300.0  # seconds for one run of one learner's code


def verify_class(learners: list[Learner], cache: ClassCache, course: Path, jobs: int, timeout: float,
                 progress: Callable[[int, int], None] | None = None) -> dict[int, list[ClaimResult]]:
    """``{index of the learner in learners: [result per claim]}`` for every learner with a summary."""
    checks = Checks(course)
    results = Results(cache.root / "verify.json")
    out: dict[int, list[ClaimResult]] = {}
    pending = []
    for i, lr in enumerate(learners):
        claims = [Claim(c["kind"], c["id"], c["outcome"], c.get("branch"), c.get("commit"))
                  for c in done_claims(cache.full(lr) or {})]
        if not claims or lr.commit is None:
            continue
        repo = cache.objects_of(lr.remote)
        located = [verification.known_location(c, lr.code_refs, checks, results) for c in claims]
        todo = [j for j, r in enumerate(located) if r is None]
        if todo:  # only claims never located before need the learner's objects
            try:
                with cache.reader(lr.remote, 60.0) as reader:
                    for j in todo:
                        located[j] = verification.locate(reader, claims[j], lr.code_refs, checks, results)
            except ReadFailed as exc:
                for j in todo:
                    located[j] = ClaimResult(claims[j].kind, claims[j].id, claims[j].outcome, "error", str(exc))
        out[i] = located
        pending += [(repo, r) for r in located if r.status == "pending"]
    verification.run(pending, checks, results, jobs, timeout, progress)
    return out


def summary(results: list[ClaimResult]) -> dict[str, Any]:
    """A learner's verification in a row: passed of claimed, and what does not hold, in words."""
    failing = [r for r in results if r.failing]
    return {"verified": f"{sum(r.status == 'passed' for r in results)}/{len(results)}", "claims": len(results),
            "claims_failed": len(failing), "same_as_solution": sum(bool(r.same_as_solution) for r in results),
            "flags": [flag(r) for r in failing]}


def flag(r: ClaimResult) -> str:
    """"13-01 claimed done, its check fails" — the note a failing claim gets (English: a machine reads it too)."""
    what = r.id if r.kind == "break" else f"build {r.id}"
    return {"failed": f"{what} claimed done, its check fails",
            "no code": f"{what} claimed done, no code for it",
            "timed out": f"{what} claimed done, its check timed out",
            "error": f"{what} claimed done, its check could not run"}.get(r.status, f"{what}: {r.status}")


def isolation() -> str:
    return sandbox.isolation().kind
