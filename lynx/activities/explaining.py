"""A break laid bare, once the learner has finished it: their prediction beside what happened, the hidden
cause and why it matters. `lynx done` shows it; `lynx explain` shows it again, and refuses a break not
finished yet so its surprise is kept."""

from __future__ import annotations

from dataclasses import dataclass

from lynx.content.breaks import Break
from lynx.content.course import resolve_break_id
from lynx.content.fields import text
from lynx.core.errors import LynxError
from lynx.learner import notes, progress
from lynx.learner.workspace import Workspace


@dataclass(frozen=True)
class Explained:
    """A break laid bare: the learner's prediction beside what happened, its hidden cause and why it matters."""

    brk: Break
    title: str
    prediction: str | None
    recap: notes.Recap
    expected: str | None = None   # the scored prediction: the option (letter and text) or number, and confidence
    measured: str | None = None   # what the program shows on the broken code, and whether the expectation hit


def explained(ws: Workspace, b: Break, lang: str) -> Explained:
    from lynx.i18n import t

    recap = notes.Recap(happened=text(b.symptom, lang), cause=text(b.cause, lang), why=text(b.why, lang))
    record = progress.load(ws.learner_dir, ws.learner).breaks.get(b.id)
    attempt = next((a for a in reversed(record.attempts) if a.expect), None) if record and b.outcome else None
    expected = measured = None
    if attempt is not None:
        from lynx.activities.predictions import parse_expect, score

        option, value = parse_expect(b, attempt.expect)
        o = b.outcome
        expected = (f"({attempt.expect}) {text(o.options[option].text, lang)}" if option is not None else attempt.expect)
        expected += f" — {attempt.confidence} %" if attempt.confidence else ""
        from lynx.activities.predictions import Expectation

        scored = score(o, Expectation(option, value, attempt.confidence or 50))
        got = f"({scored.measured}) {text(o.options[o.right].text, lang)}" if not o.numeric else scored.measured
        measured = f"{got} — " + (t("your expectation was right", lang) if scored.hit else t("your expectation was off", lang))
        if scored.log_error is not None:
            measured += " " + t("(log-ratio error {error})", lang, error=f"{scored.log_error:.2f}")
    return Explained(b, text(b.title, lang), notes.last_prediction(ws, b.phase, b.id), recap, expected, measured)


def explain(ws: Workspace, bid: str | None, lang: str) -> Explained:
    """`lynx explain [ID]`: a break the learner finished (the last finished one by default); refused for a
    break not finished yet, so its surprise is kept."""
    data = progress.load(ws.learner_dir, ws.learner)
    if bid is None:
        ended = [(a.ended or "", b) for b, r in data.breaks.items() for a in r.attempts if a.outcome in ("fixed", "solution")]
        if not ended:
            raise LynxError("no break is finished yet, so there is nothing to explain",
                            "finish one first: `lynx break 13`, then `lynx done`")
        bid = max(ended)[1]
    pid, which = resolve_break_id(bid, None)
    if which is None:
        raise LynxError(f"{bid!r} is not a break id", "name one like 13-00 (see `lynx phases 13`)")
    b = ws.course.brk(which)
    if not data.is_done(b.id):
        raise LynxError(f"break {b.id} is not finished yet: its explanation would spoil it",
                        f"take it with `lynx break {b.id}`, then `lynx explain {b.id}` after `lynx done`")
    return explained(ws, b, lang)
