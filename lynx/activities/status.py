"""Where the learner stands: the active session, progress per phase, and what to do next.

Reads only small files (state, progress, cached manifests): no git, no YAML parse when cached.
The text of the next step is the presentation layer's (``lynx.term.status_view``): here it is a
message id and its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lynx.content.cache import cached
from lynx.content.fields import text
from lynx.core.errors import LynxError
from lynx.i18n import N_
from lynx.learner import active_session, attempts, progress
from lynx.learner.progress import Progress
from lynx.learner.workspace import Workspace

MAX_LISTED = 30  # a bigger course lists only the phases the learner touched, and the next one


@dataclass
class PhaseRow:
    id: str
    title: str
    breaks: int = 0
    breaks_done: int = 0
    breaks_with_solution: int = 0
    hints_used: int = 0
    pages: int = 0
    questions: int = 0
    quiz: str | None = None
    quiz_best: str | None = None
    build: bool = False
    build_passed: bool = False
    cards_total: int = 0
    cards_mastered: int = 0
    cards_due: int = 0
    progress: float = 0.0
    status: str = "new"   # new, started, done, error
    error: str | None = None


@dataclass
class ActiveRow:
    kind: str
    id: str
    phase: str
    title: str
    branch: str
    home: str
    started: str
    stage: str
    hints_taken: int | None = None
    hints_total: int | None = None
    fix_applied: bool | None = None


@dataclass(frozen=True)
class NextStep:
    """What to do next, as a message of the catalogue and its fields."""

    msgid: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Status:
    learner: str
    workspace: str
    lang: str
    active: ActiveRow | None
    phases: list[PhaseRow]
    phases_total: int
    next: NextStep
    practice_due: int = 0   # finished breaks due again (lynx practice)


def _quiz_questions(ws: Workspace, quiz_id: str | None) -> int:
    from lynx.content.quiz import files_of

    if not quiz_id:
        return 0
    for path in files_of(ws.root, quiz_id):
        try:
            return cached(ws.course.cache, path, _count_questions)
        except Exception:  # a broken quiz is reported by `lynx quiz` and `lynx validate`, not here
            return 0
    return 0


def _count_questions(path) -> int:
    from lynx.content.fields import load_yaml

    data = load_yaml(path)
    qs = data.get("questions") if isinstance(data, dict) else None
    return len(qs) if isinstance(qs, list) else 0


def _quiz_best(ws: Workspace, phase: str) -> tuple[int, int] | None:
    """Best (score, total) over the learner's finished attempts, if any."""
    path = attempts.path_for(ws.phase_dir(phase))
    if not path.exists():
        return None
    try:
        got = cached(ws.course.cache, path, attempts.best_in_file)
    except Exception:  # a damaged attempts file is reported by `lynx quiz` and `lynx recover`
        return None
    return (got[0], got[1]) if got else None


_CARDS: dict[tuple[str, tuple[str, ...] | None], dict[str, dict[str, int]]] = {}  # one summary per command and rows


def _cards(ws: Workspace, only: list[str] | None) -> dict[str, dict[str, int]]:
    """Card counts for the phases ``only`` (None: all); only those phases' cards are read."""
    key = (str(ws.root), None if only is None else tuple(only))
    if key not in _CARDS:
        from lynx.activities.scheduling import cards_summary

        try:
            _CARDS[key] = cards_summary(ws, only)
        except Exception:  # noqa: BLE001 - status must always answer; `lynx cards` reports card problems
            _CARDS[key] = {}
    return _CARDS[key]


def phase_rows(ws: Workspace, lang: str, with_cards: bool = False, only: list[str] | None = None) -> list[PhaseRow]:
    data = progress.load(ws.learner_dir, ws.learner)
    cards = _cards(ws, only) if with_cards else {}
    rows = []
    for pid in ws.course.phase_ids() if only is None else only:
        try:
            ph = ws.course.phase(pid)
        except LynxError as exc:  # one broken manifest must not hide the others
            rows.append(PhaseRow(id=pid, title="(broken manifest)", error=exc.line(), status="error"))
            continue
        done = [b for b in ph.breaks if data.is_done(b)]
        solution = [b for b in done if data.outcome(b) == "solution"]
        hints = sum(data.hints(b) for b in ph.breaks)
        quiz = _quiz_best(ws, ph.id)
        built = data.build_passed(ph.id)
        c = cards.get(ph.id, {})
        total_items = len(ph.breaks) + (1 if ph.quiz else 0) + (1 if ph.build else 0)
        done_items = len(done) + (1 if quiz else 0) + (1 if built else 0)
        status = "done" if total_items and done_items == total_items else ("started" if done_items or hints else "new")
        rows.append(PhaseRow(
            id=ph.id, title=text(ph.title, lang), breaks=len(ph.breaks), breaks_done=len(done),
            breaks_with_solution=len(solution), hints_used=hints, pages=len(ph.pages),
            questions=_quiz_questions(ws, ph.quiz), quiz=ph.quiz, quiz_best=f"{quiz[0]}/{quiz[1]}" if quiz else None,
            build=bool(ph.build), build_passed=built, cards_total=c.get("total", 0),
            cards_mastered=c.get("mastered", 0), cards_due=c.get("due", 0),
            progress=round(done_items / total_items, 3) if total_items else 0.0, status=status))
    return rows


def summary(ws: Workspace, lang: str) -> Status:
    session = active_session.load(ws.state_dir)
    data = progress.load(ws.learner_dir, ws.learner)
    active = None
    if session:
        active = ActiveRow(kind=session.kind, id=session.id, phase=session.phase, title=session.title,
                           branch=session.branch, home=session.home, started=session.started, stage=session.stage)
        if session.kind in ("break", "practice") and session.active:
            b = ws.course.brk(session.id, session.dir)
            practice = session.kind == "practice"  # a practice keeps its break's title hidden
            active.title = "" if practice else text(b.title, lang)
            active.id = "" if practice else active.id
            active.hints_taken = min(session.hints if practice else data.hints(b.id), len(b.hints))
            active.hints_total = len(b.hints)
            active.fix_applied = session.fix_applied
    ids = ws.course.phase_ids()
    rows = phase_rows(ws, lang, with_cards=True) if len(ids) <= MAX_LISTED else _touched_rows(ws, lang, ids, data, session)
    from lynx.activities.scheduling import practice_due

    practice, _ = practice_due(ws)
    return Status(learner=ws.learner, workspace=str(ws.root), lang=lang, active=active, phases=rows,
                  phases_total=len(ids), next=next_step(active, rows), practice_due=len(practice))


def _touched_rows(ws: Workspace, lang: str, ids: list[str], data: Progress, session) -> list[PhaseRow]:
    """On a big course: the phases with the learner's activity, then the first one not finished.

    Status stays about the learner (their progress, their next step), not the size of the course.
    """
    touched = {b.split("-", 1)[0] for b in data.breaks} | set(data.builds)
    if ws.learner_dir.is_dir():
        touched |= {p.name.removeprefix("phase-") for p in ws.learner_dir.iterdir() if p.name.startswith("phase-")}
    if session:
        touched.add(str(session.phase))
    # The next phase to work on: the first the learner has not touched (nothing in it is done, so it is not done).
    following = next((pid for pid in ids if pid not in touched), None)
    return phase_rows(ws, lang, with_cards=True, only=[i for i in ids if i in touched or i == following])


def next_step(active: ActiveRow | None, rows: list[PhaseRow]) -> NextStep:
    if active:
        if active.stage == active_session.STARTING:
            return NextStep(N_("run `lynx recover`: the last break was interrupted while starting"))
        if active.kind == "build":
            return NextStep(N_("implement the stub, then `lynx build {id} --check`; `lynx done` when it passes"),
                            {"id": active.id})
        if active.fix_applied:
            return NextStep(N_("run `lynx check`, then `lynx done`"))
        if (active.hints_taken or 0) < (active.hints_total or 0):
            return NextStep(N_("observe with `lynx run`, fix the code, `lynx check`; stuck? `lynx hint`"))
        return NextStep(N_("fix the code and `lynx check`; or see the fix with `lynx fix --show-diff`"))
    for r in rows:
        if r.breaks_done < r.breaks:
            return NextStep(N_("start the next break of phase {id}: `lynx break {id}`"), {"id": r.id})
        if r.quiz and not r.quiz_best:
            return NextStep(N_("take the quiz: `lynx quiz {quiz}`"), {"quiz": r.quiz})
        if r.build and not r.build_passed:
            return NextStep(N_("take the build challenge: `lynx build {id}`"), {"id": r.id})
    return NextStep(N_("every phase is done: review with `lynx cards`"))


@dataclass
class Item:
    """One thing to do in a phase: a break, its build, its quiz, a lab or a theory page."""

    kind: str      # break, build, quiz, lab, page
    id: str
    title: str
    state: str     # new, active, left, done, solution (done with the solution shown), passed, best score


@dataclass
class PhaseDetail:
    id: str
    title: str
    items: list[Item]
    next: NextStep


def phase_detail(ws: Workspace, pid: str, lang: str) -> PhaseDetail:
    """`lynx phases 13`: every break, the build, the quiz, the labs and pages of one phase, with their states."""
    ph = ws.course.phase(pid)
    data = progress.load(ws.learner_dir, ws.learner)
    session = active_session.load(ws.state_dir)
    items: list[Item] = []
    for bid in ph.breaks:
        b = ws.course.brk(bid)
        if session and session.kind == "break" and session.id == bid:
            state = "active"
        else:
            state = {"fixed": "done", "solution": "solution", "aborted": "left"}.get(data.outcome(bid) or "", "new")
        items.append(Item("break", bid, text(b.title, lang), state))
    if ph.build:
        active = session is not None and session.kind == "build" and session.id == ph.id
        items.append(Item("build", ph.id, "", "active" if active else "passed" if data.build_passed(ph.id) else "new"))
    if ph.quiz:
        best = _quiz_best(ws, ph.id)
        items.append(Item("quiz", ph.quiz, "", f"{best[0]}/{best[1]}" if best else "new"))
    items += [Item("lab", lab.id, text(lab.title, lang), "") for lab in ph.labs]
    items += [Item("page", page.id, text(page.title, lang), "") for page in ph.pages]
    step = summary(ws, lang).next if session else next_step(None, phase_rows(ws, lang, only=[ph.id]))
    return PhaseDetail(ph.id, text(ph.title, lang), items, step)
