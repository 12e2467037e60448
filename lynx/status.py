"""Where the learner stands: the active session, progress per phase, and what to do next.

Reads only small files (state, progress, cached manifests): no git, no YAML parse when cached.
"""

from __future__ import annotations

import os
from typing import Any

from lynx import progress
from lynx.cache import cached
from lynx.content import text
from lynx.workspace import Workspace


def _quiz_files(ws: Workspace, quiz_id: str) -> list:
    """`data/quizzes/<quiz id>*.yaml`, from one listing of the folder per command (a glob per phase is quadratic)."""
    folder = ws.data_dir / "quizzes"
    try:
        stamp = folder.stat().st_mtime_ns  # a file added or removed changes the folder: list it again
    except FileNotFoundError:
        return []
    seen = _QUIZ_LISTING.get(folder)
    if seen is None or seen[0] != stamp:
        seen = (stamp, sorted(n for n in os.listdir(folder) if n.endswith(".yaml")))
        _QUIZ_LISTING[folder] = seen
    return [folder / n for n in seen[1] if n.startswith(quiz_id)]


_QUIZ_LISTING: dict = {}  # folder -> (its mtime, its .yaml names)


def _quiz_questions(ws: Workspace, quiz_id: str | None) -> int:
    if not quiz_id:
        return 0
    for path in _quiz_files(ws, quiz_id):
        def count(p):
            from lynx.content import load_yaml

            data = load_yaml(p)
            qs = data.get("questions") if isinstance(data, dict) else None
            return len(qs) if isinstance(qs, list) else 0

        try:
            return cached(ws.course.cache, path, count)
        except Exception:  # a broken quiz is reported by `lynx quiz` and `lynx validate`, not here
            return 0
    return 0


def _quiz_best(ws: Workspace, phase: str) -> tuple[int, int] | None:
    """Best (score, total) over the learner's finished attempts, if any."""
    path = ws.phase_dir(phase) / "quiz.yaml"
    if not path.exists():
        return None

    def best(p):
        from lynx.content import load_yaml

        data = load_yaml(p)
        attempts = data.get("attempts", data) if isinstance(data, dict) else data
        top = None
        for a in attempts if isinstance(attempts, list) else []:
            if not isinstance(a, dict) or a.get("finished") is False:
                continue
            s, t = a.get("score"), a.get("total")
            if isinstance(s, (int, float)) and isinstance(t, int) and t and (top is None or s / t > top[0] / top[1]):
                top = [s, t]
        return top

    try:
        got = cached(ws.course.cache, path, best)
    except Exception:
        return None
    return tuple(got) if got else None


def _build_passed(data: dict[str, Any], phase: str) -> bool:
    return bool(data.get("builds", {}).get(phase, {}).get("passed"))


_CARDS: dict[tuple[str, tuple[str, ...] | None], dict[str, dict[str, int]]] = {}  # one summary per command and rows


def _cards(ws: Workspace, only: list[str] | None) -> dict[str, dict[str, int]]:
    """Card counts for the phases ``only`` (None: all); only those phases' cards are read."""
    key = (str(ws.root), None if only is None else tuple(only))
    if key in _CARDS:
        return _CARDS[key]
    try:
        from lynx.card import cards_summary
    except ImportError:
        return {}
    try:
        _CARDS[key] = cards_summary(ws, only)
    except Exception:  # noqa: BLE001 - status must always answer; `lynx cards` reports card problems
        _CARDS[key] = {}
    return _CARDS[key]


MAX_LISTED = 30  # a bigger course lists only the phases the learner touched, and the next one


def phase_rows(ws: Workspace, lang: str, with_cards: bool = False, only: list[str] | None = None) -> list[dict[str, Any]]:
    data = progress.load(ws)
    cards = _cards(ws, only) if with_cards else {}
    rows = []
    from lynx.errors import LynxError

    for pid in ws.course.phase_ids() if only is None else only:
        try:
            ph = ws.course.phase(pid)
        except LynxError as exc:  # one broken manifest must not hide the others
            rows.append({"id": pid, "title": "(broken manifest)", "error": exc.line(), "breaks": 0, "breaks_done": 0,
                         "breaks_with_solution": 0, "hints_used": 0, "pages": 0, "questions": 0, "quiz": None,
                         "quiz_best": None, "build": False, "build_passed": False, "cards_total": 0,
                         "cards_mastered": 0, "cards_due": 0, "progress": 0.0, "status": "error"})
            continue
        done = [b for b in ph.breaks if progress.is_done(data, b)]
        solution = [b for b in done if progress.outcome(data, b) == "solution"]
        hints = sum(data["breaks"].get(b, {}).get("hints", 0) for b in ph.breaks)
        quiz = _quiz_best(ws, ph.id)
        built = _build_passed(data, ph.id)
        c = cards.get(ph.id, {})
        total_items = len(ph.breaks) + (1 if ph.quiz else 0) + (1 if ph.build else 0)
        done_items = len(done) + (1 if quiz else 0) + (1 if built else 0)
        status = "done" if total_items and done_items == total_items else ("started" if done_items or hints else "new")
        rows.append({
            "id": ph.id, "title": text(ph.title, lang), "breaks": len(ph.breaks), "breaks_done": len(done),
            "breaks_with_solution": len(solution), "hints_used": hints, "pages": len(ph.pages),
            "questions": _quiz_questions(ws, ph.quiz), "quiz": ph.quiz,
            "quiz_best": f"{quiz[0]}/{quiz[1]}" if quiz else None, "build": bool(ph.build), "build_passed": built,
            "cards_total": c.get("total", 0), "cards_mastered": c.get("mastered", 0), "cards_due": c.get("due", 0),
            "progress": round(done_items / total_items, 3) if total_items else 0.0, "status": status,
        })
    return rows


def summary(ws: Workspace, lang: str) -> dict[str, Any]:
    state = progress.active(ws)
    data = progress.load(ws)
    active = None
    if state:
        active = {k: state.get(k) for k in ("kind", "id", "phase", "title", "branch", "home", "started", "stage")}
        if state["kind"] == "break" and state.get("stage") == "active":
            b = ws.course.brk(state["id"], state.get("dir"))
            active["title"] = text(b.title, lang)
            active["hints_taken"] = min(data["breaks"].get(b.id, {}).get("hints", 0), len(b.hints))
            active["hints_total"] = len(b.hints)
            active["fix_applied"] = bool(state.get("fix_applied"))
    ids = ws.course.phase_ids()
    if len(ids) <= MAX_LISTED:
        rows = phase_rows(ws, lang, with_cards=True)
    else:
        rows = _touched_rows(ws, lang, ids, data, state)
    return {"learner": ws.learner, "workspace": str(ws.root), "lang": lang, "active": active, "phases": rows,
            "phases_total": len(ids), "next": _next_step(active, rows, lang)}


def _touched_rows(ws: Workspace, lang: str, ids: list[str], data: dict[str, Any],
                  state: dict[str, Any] | None) -> list[dict[str, Any]]:
    """On a big course: the phases with the learner's activity, then the first one not finished.

    Status stays about the learner (their progress, their next step), not the size of the course.
    """
    touched = {b.split("-", 1)[0] for b in data.get("breaks", {})} | set(data.get("builds", {}))
    if ws.learner_dir.is_dir():
        touched |= {p.name.removeprefix("phase-") for p in ws.learner_dir.iterdir() if p.name.startswith("phase-")}
    if state:
        touched.add(str(state.get("phase")))
    # The next phase to work on: the first the learner has not touched (nothing in it is done, so it is not done).
    following = next((pid for pid in ids if pid not in touched), None)
    return phase_rows(ws, lang, with_cards=True, only=[i for i in ids if i in touched or i == following])


# Every line status prints, in both languages: {placeholders} are filled in by str.format.
T = {
    "recover": ("run `lynx recover`: the last break was interrupted while starting",
                "ejecuta `lynx recover`: la última ruptura se interrumpió al empezar"),
    "build": ("implement the stub, then `lynx build {id} --check`; `lynx done` when it passes",
              "implementa el esqueleto y luego `lynx build {id} --check`; `lynx done` cuando pase"),
    "after_fix": ("run `lynx check`, then `lynx done`", "ejecuta `lynx check` y luego `lynx done`"),
    "observe": ("observe with `lynx run`, fix the code, `lynx check`; stuck? `lynx hint`",
                "observa con `lynx run`, arregla el código, `lynx check`; ¿atascado? `lynx hint`"),
    "no_hints": ("fix the code and `lynx check`; or see the fix with `lynx fix --show-diff`",
                 "arregla el código y `lynx check`; o mira el arreglo con `lynx fix --show-diff`"),
    "next_break": ("start the next break of phase {id}: `lynx break {id}`",
                   "empieza la siguiente ruptura de la fase {id}: `lynx break {id}`"),
    "quiz": ("take the quiz: `lynx quiz {quiz}`", "haz el cuestionario: `lynx quiz {quiz}`"),
    "build_next": ("take the build challenge: `lynx build {id}`", "haz el reto de construcción: `lynx build {id}`"),
    "all_done": ("every phase is done: review with `lynx cards`", "todas las fases hechas: repasa con `lynx cards`"),
    "active": ("Active {kind}: {id} — {title} on {branch}", "{kind} activa: {id} — {title} en {branch}"),
    "hints": ("; hints {taken}/{total}", "; pistas {taken}/{total}"),
    "solution": ("; solution applied", "; solución aplicada"),
    "none": ("No break is active.", "No hay ninguna ruptura activa."),
    "breaks": ("breaks {done}/{total}{sol}, hints {hints}", "rupturas {done}/{total}{sol}, pistas {hints}"),
    "with_solution": (", {n} with solution", ", {n} con solución"),
    "quiz_best": ("quiz {best}", "cuestionario {best}"),
    "build_done": ("build {mark}", "reto {mark}"),
    "cards": ("cards {mastered}/{total} mastered, {due} due", "tarjetas {mastered}/{total} dominadas, {due} pendientes"),
    "next": ("Next: ", "Siguiente: "),
    "more": ("    … and {n} more phases: `lynx phases` lists them all", "    … y {n} fases más: `lynx phases` las lista todas"),
}


def tr(key: str, lang: str, **kw: Any) -> str:
    en, es = T[key]
    return (es if lang == "es" else en).format(**kw)


def _next_step(active: dict[str, Any] | None, rows: list[dict[str, Any]], lang: str = "en") -> str:
    if active:
        if active.get("stage") == "starting":
            return tr("recover", lang)
        if active["kind"] == "build":
            return tr("build", lang, id=active["id"])
        if active.get("fix_applied"):
            return tr("after_fix", lang)
        if active.get("hints_taken", 0) < active.get("hints_total", 0):
            return tr("observe", lang)
        return tr("no_hints", lang)
    for r in rows:
        if r["breaks_done"] < r["breaks"]:
            return tr("next_break", lang, id=r["id"])
        if r["quiz"] and not r["quiz_best"]:
            return tr("quiz", lang, quiz=r["quiz"])
        if r["build"] and not r["build_passed"]:
            return tr("build_next", lang, id=r["id"])
    return tr("all_done", lang)


def _bar(fraction: float, width: int = 12) -> str:
    full = round(fraction * width)
    return "█" * full + "░" * (width - full)


def print_summary(data: dict[str, Any]) -> None:
    from lynx.ui import out, style

    lang = data.get("lang", "en")
    out(style(f"lynx — {data['learner']}", bold=True) + f"  ({data['workspace']})")
    a = data["active"]
    if a:
        line = tr("active", lang, kind=a["kind"], id=a["id"], title=a.get("title", ""), branch=a.get("branch"))
        if "hints_total" in a:
            line += tr("hints", lang, taken=a["hints_taken"], total=a["hints_total"])
        if a.get("fix_applied"):
            line += tr("solution", lang)
        out(style(line, fg="yellow"))
    else:
        out(tr("none", lang))
    out("")
    for r in data["phases"]:
        extra = []
        if r["breaks"]:
            sol = tr("with_solution", lang, n=r["breaks_with_solution"]) if r["breaks_with_solution"] else ""
            extra.append(tr("breaks", lang, done=r["breaks_done"], total=r["breaks"], sol=sol, hints=r["hints_used"]))
        if r["quiz"]:
            extra.append(tr("quiz_best", lang, best=r["quiz_best"] or "—"))
        if r["build"]:
            extra.append(tr("build_done", lang, mark="✓" if r["build_passed"] else "—"))
        if r["cards_total"]:
            extra.append(tr("cards", lang, mastered=r["cards_mastered"], total=r["cards_total"], due=r["cards_due"]))
        if r.get("error"):
            extra = [r["error"]]
        out(f"{r['id']:>3} {_bar(r['progress'])} {r['title'][:34]:<34} {'; '.join(extra)}")
    if data.get("phases_total", 0) > len(data["phases"]):
        out(tr("more", lang, n=data["phases_total"] - len(data["phases"])))
    out("")
    out(style(tr("next", lang), bold=True) + data["next"])
