"""`lynx class`, the use case: read the class (:mod:`lynx.teacher.sync`), then tabulate it, and on request
verify its claims, analyse its items, detail one learner, or gather everything the HTML report shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from lynx.core.errors import LynxError
from lynx.teacher.due import CourseCards
from lynx.teacher.roster import Remote
from lynx.teacher.sync import ClassCache, Options, Setting, collect


@dataclass(frozen=True)
class Request:
    remotes: list[Remote]
    cache: Path | None = None
    jobs: int = 8
    lang: str | None = None
    timeout: float = 30.0
    as_of: datetime | None = None
    verify: bool = False
    verify_timeout: float = 300.0
    items: bool = False
    name: str | None = None          # one learner in detail
    everything: bool = False         # the HTML report: items and every learner's detail


@dataclass
class ClassResult:
    lang: str
    rows: list[dict[str, Any]]
    failed: int
    warnings: list[str] = field(default_factory=list)
    items: dict[str, list[dict[str, Any]]] | None = None
    detail: dict[str, Any] | None = None
    details: list[dict[str, Any]] = field(default_factory=list)
    sandbox: str | None = None
    as_of: str | None = None
    generated: str = ""

    @property
    def total(self) -> int:
        return len(self.rows)


def run(req: Request, fetching: Callable[[int, int], None] | None = None,
        verifying: Callable[[int, int], None] | None = None) -> ClassResult:
    from lynx.core import clock
    from lynx.i18n import resolve
    from lynx.teacher import table

    where = Setting.find(req.cache)
    lang = resolve(req.lang, where.lang)
    cache = ClassCache(where.cache)
    opts = Options(timeout=req.timeout, as_of=req.as_of, code=req.verify)
    cards = CourseCards(where.course, where.in_workspace)
    learners = collect(req.remotes, cache, req.jobs, opts, cards, fetching)
    now = clock.now() if req.as_of is None else req.as_of
    by_learner = table.rows(learners, now, ordered=False)
    order = sorted(range(len(learners)), key=lambda i: table.sort_key(by_learner[i]))
    rows = [by_learner[i] for i in order]
    out = ClassResult(lang, rows, len(table.failed(rows)), as_of=req.as_of.strftime("%Y-%m-%dT%H:%M:%SZ") if req.as_of else None,
                      generated=clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"))
    out.warnings = [f"{r['name']}: {r['warning']}" for r in rows if r.get("warning")]
    verified: dict[int, list] = {}
    if req.verify:
        if where.course is None:
            raise LynxError("--verify needs a course to take the checks from", "run lynx class inside your course workspace")
        from lynx.teacher import class_verify

        verified = class_verify.verify_class(learners, cache, where.course, req.jobs, req.verify_timeout, verifying)
        out.sandbox = class_verify.isolation()
        for i, lr in enumerate(learners):
            row = by_learner[i]
            results = verified.get(i)
            if results is None:
                row.update({"verified": None, "claims": 0, "claims_failed": 0, "same_as_solution": 0})
                continue
            s = class_verify.summary(results)
            row.update({k: s[k] for k in ("verified", "claims", "claims_failed", "same_as_solution")})
            row["verify"] = [r.to_json() for r in results]
            if s["flags"]:
                row["note"] = "; ".join(filter(None, [row["note"], *s["flags"]]))
    if req.items or req.everything:
        from lynx.teacher.items import analyse

        out.items = analyse([cache.full(lr) for lr in learners], where.course, lang)
    if req.name is not None or req.everything:
        from lynx.teacher.detail import detail

        picked = [pick(rows, req.name)] if req.name is not None else list(range(len(rows)))
        out.details = [detail(cache.full(learners[order[j]]), rows[j], where.course, lang) for j in picked]
        out.detail = out.details[0] if req.name is not None else None
    return out


def pick(rows: list[dict[str, Any]], name: str) -> int:
    """The row of the learner called ``name`` (as shown, or the name before a remote that tells two apart)."""
    exact = [i for i, r in enumerate(rows) if r["name"] == name]
    if len(exact) == 1:
        return exact[0]
    folded = [i for i, r in enumerate(rows) if r["name"].casefold() == name.casefold()
              or r["name"].split(" (", 1)[0].casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    if folded:
        names = ", ".join(rows[i]["name"] for i in folded)
        raise LynxError(f"{len(folded)} learners are called {name!r}: {names}", "give the whole name, as the table shows it")
    known = ", ".join(r["name"] for r in rows[:8]) + (", …" if len(rows) > 8 else "")
    raise LynxError(f"no learner called {name!r} in this class", f"pick one of: {known}")
