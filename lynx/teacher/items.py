"""Item analysis: the class as a whole, per quiz question, per break and per flashcard.

- a question: how many answered it, the share right, the most common wrong answer (each learner's
  FIRST answer to it: what the class knew on first sight, before any review);
- a break: tried, done, done with the solution shown, mean hints, the share whose prediction was right
  (each learner's first rated attempt: the surprise on first sight), the Brier score of scored
  predictions when there are any, and the wrong predictions most often made, grouped;
- a card: learners holding it, lapses (forgotten after being learnt), learners with a lapse.

Every text that comes from a learner (a prediction, a free answer) is data, returned as is; the
presentation layer escapes it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from lynx.content.fields import text
from lynx.teacher.summary import card, scored

LETTERS = "abcdefghijklmnopqrstuvwxyz"
STOP = {"the", "a", "an", "it", "will", "be", "is", "of", "to", "in", "at", "on", "and", "or", "i", "that", "this",
        "el", "la", "los", "las", "un", "una", "de", "del", "que", "en", "y", "o", "se", "es", "va", "a", "al"}
QUESTION_COLUMNS = ["id", "quiz", "topic", "answered", "correct", "share_correct", "wrong_answer", "wrong_count",
                    "wrong_text"]
BREAK_COLUMNS = ["id", "title", "tried", "done", "with_solution", "mean_hints", "rated", "predicted_right",
                 "share_predicted_right", "brier", "wrong_predictions"]
CARD_COLUMNS = ["id", "term", "learners", "lapses", "with_lapses", "mean_lapses"]


def analyse(summaries: list[dict[str, Any] | None], course: Path | None, lang: str) -> dict[str, list[dict[str, Any]]]:
    """``{"questions": [...], "breaks": [...], "cards": [...]}`` over the learners' whole summaries, the items
    the class finds hardest first."""
    sums = [s for s in summaries if s and s.get("has_data")]
    names = _course_names(course, lang)
    return {"questions": questions(sums, names), "breaks": breaks(sums, names), "cards": cards(sums, names)}


def _course_names(course: Path | None, lang: str) -> dict[str, Any]:
    """Titles, topics, options and card terms from the teacher's course (empty when there is none)."""
    out: dict[str, Any] = {"topic": {}, "quiz": {}, "options": {}, "title": {}, "term": {}}
    if course is None:
        return out
    from lynx.content import deck
    from lynx.content.course import Course
    from lynx.content.quiz import load_all

    try:
        for qz in load_all(course):
            for q in qz.questions:
                out["topic"][q.id] = text(q.topic, lang)
                out["quiz"][q.id] = qz.id
                out["options"][q.id] = [text(o.text, lang) for o in q.options]
        c = Course(course, use_cache=False)
        for bid in c.break_ids():
            out["title"][bid] = text(c.brk(bid).title, lang)
        out["term"] = {card.id: text(card.term, lang) for card in deck.load(course)}
    except Exception:  # noqa: BLE001 - names are a nicety: a course that does not load leaves ids alone
        pass
    return out


def questions(sums: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
    per: dict[str, list[dict[str, Any]]] = {}
    for s in sums:
        for qid, a in (s.get("answers") or {}).items():
            if isinstance(a, dict):
                per.setdefault(qid, []).append(a)
    out = []
    for qid, answers in per.items():
        right = sum(1 for a in answers if a.get("correct") is True)
        wrong: dict[str, int] = {}
        for a in answers:
            if a.get("correct") is not True:
                key = _answer_key(a)
                wrong[key] = wrong.get(key, 0) + 1
        top = max(sorted(wrong), key=lambda k: wrong[k]) if wrong else None
        opts = names["options"].get(qid) or []
        out.append({"id": qid, "quiz": names["quiz"].get(qid) or _quiz_of(qid), "topic": names["topic"].get(qid),
                    "answered": len(answers), "correct": right, "share_correct": round(right / len(answers), 3),
                    "wrong_answer": top, "wrong_count": wrong.get(top, 0) if top else 0,
                    "wrong_text": _option_text(top, opts)})
    return sorted(out, key=lambda r: (r["share_correct"], -r["answered"], r["id"]))


def _quiz_of(qid: str) -> str:
    m = re.match(r"q-(\d+)-", qid)
    return f"phase-{m.group(1)}" if m else ""


def _answer_key(a: dict[str, Any]) -> str:
    """A wrong answer as the class table shows it: the letters picked (options in the YAML file's order), or
    the free text, folded (case, accents, spaces)."""
    chosen = a.get("chosen")
    if isinstance(chosen, list):
        picks = [LETTERS[i] for i in sorted(set(chosen)) if isinstance(i, int) and 0 <= i < len(LETTERS)]
        return ",".join(picks) or "(none)"
    return _fold(a.get("given") or "") or "(blank)"


def _option_text(key: str | None, opts: list[str]) -> str | None:
    if not key or not opts or not re.fullmatch(r"[a-z](,[a-z])*", key):
        return None
    parts = [opts[LETTERS.index(k)] for k in key.split(",") if LETTERS.index(k) < len(opts)]
    return " + ".join(parts) or None


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


def _prediction_key(attempt: dict[str, Any]) -> tuple[str, str]:
    """Wrong predictions grouped: by the option expected when the prediction was scored, else by the
    words that matter (case, accents, punctuation and small words aside, in any order)."""
    if attempt.get("expect"):
        return f"option {attempt['expect']}", str(attempt["expect"])
    raw = attempt.get("prediction") or ""
    words = sorted({w for w in _fold(raw).split() if w not in STOP})
    return " ".join(words) or "(none)", raw.strip() or "(none)"


def breaks(sums: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
    per: dict[str, list[dict[str, Any]]] = {}
    for s in sums:
        for bid, b in (s.get("breaks") or {}).items():
            if isinstance(b, dict) and b.get("attempts"):
                per.setdefault(bid, []).append(b)
    out = []
    for bid, records in per.items():
        done = [b for b in records if b.get("done")]
        solution = [b for b in done if b.get("outcome") == "solution"]
        firsts = [next((a for a in b["attempts"] if a.get("calibration") in ("y", "partly", "n")), None) for b in records]
        rated = [a for a in firsts if a is not None]
        right = [a for a in rated if a["calibration"] == "y"]
        pairs = [x for b in records for a in b["attempts"][:1] if (x := scored(a))]
        groups: dict[str, list[str]] = {}
        for a in rated:
            if a["calibration"] != "y":
                key, shown = _prediction_key(a)
                groups.setdefault(key, []).append(shown)
        wrong = sorted(groups.values(), key=lambda v: (-len(v), min(v)))[:3]
        out.append({"id": bid, "title": names["title"].get(bid), "tried": len(records), "done": len(done),
                    "with_solution": len(solution),
                    "mean_hints": round(sum(int(b.get("hints") or 0) for b in records) / len(records), 2),
                    "rated": len(rated), "predicted_right": len(right),
                    "share_predicted_right": round(len(right) / len(rated), 3) if rated else None,
                    "brier": round(sum((p - h) ** 2 for p, h in pairs) / len(pairs), 3) if pairs else None,
                    "wrong_predictions": [{"prediction": max(set(v), key=v.count), "count": len(v)} for v in wrong]})
    return sorted(out, key=lambda r: (r["share_predicted_right"] if r["share_predicted_right"] is not None else 2,
                                      r["id"]))


def cards(sums: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
    per: dict[str, list[int]] = {}
    for s in sums:
        for cid, c in (s.get("cards") or {}).items():
            per.setdefault(cid, []).append(card(c)[2])
    out = [{"id": cid, "term": names["term"].get(cid), "learners": len(v), "lapses": sum(v),
            "with_lapses": sum(1 for x in v if x), "mean_lapses": round(sum(v) / len(v), 2)}
           for cid, v in per.items()]
    return sorted(out, key=lambda r: (-r["lapses"], -r["with_lapses"], r["id"]))
