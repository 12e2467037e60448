"""The learner's notes: ``learners/<name>/phase-NN/notes/breaks.md`` and ``build.md``.

Notes are only ever appended to, byte for byte in the learner's own line endings: a learner's
words are never rewritten. They are written in the learner's language; :func:`last_prediction`
reads back what the learner predicted (their own edits of it included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lynx.core import clock
from lynx.core.files import append_text
from lynx.i18n import N_, languages, t
from lynx.learner.workspace import Workspace

OUTCOME_TEXT = {
    "fixed": N_("fixed it myself"),
    "solution": N_("fixed with the solution shown"),
    "aborted": N_("left without finishing (aborted)"),
}
CALIBRATION_TEXT = {"y": N_("yes"), "partly": N_("partly"), "n": N_("no")}
PREDICTION = N_("Prediction:")


@dataclass(frozen=True)
class Recap:
    """What the learner reads after a break: what happened, the hidden cause, why it matters."""

    happened: str
    cause: str
    why: str


def breaks_path(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "notes" / "breaks.md"


def build_path(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "notes" / "build.md"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def write_prediction(ws: Workspace, phase: str, bid: str, title: str, prediction: str | None, lang: str = "en",
                     extra: list[str] | None = None) -> Path:
    """A new section: the break, and the prediction as the learner wrote it (``extra``: lines below it)."""
    path = breaks_path(ws, phase)
    header = "" if path.exists() else t("# Break notes — phase {phase}", lang, phase=phase) + "\n\n"
    body = prediction.strip() if prediction else t("_(no prediction written)_", lang)
    more = "".join(f"{line}\n\n" for line in extra or [])
    append_text(path, f"{header}## {clock.minute()} — break {bid}: {title}\n\n**{t(PREDICTION, lang)}**\n\n"
                      f"{_quote(body)}\n\n{more}")
    return path


def write_outcome(ws: Workspace, phase: str, bid: str, outcome: str, hints: int, total_hints: int,
                  calibration: str | None, diff_shown: bool, lang: str = "en", recap: Recap | None = None,
                  extra: list[str] | None = None) -> None:
    lines = [t("**Outcome ({when}, break {id}):** {outcome}; hints used: {hints}/{total}", lang, when=clock.minute(),
               id=bid, outcome=t(OUTCOME_TEXT.get(outcome, outcome), lang), hints=hints, total=total_hints)
             + (t("; fix diff viewed", lang) if diff_shown else "") + "."]
    lines += extra or []
    if recap is not None:
        lines += [f"**{t('What happened:', lang)}** {recap.happened.strip()}",
                  f"**{t('Hidden cause:', lang)}** {recap.cause.strip()}",
                  f"**{t('Why it matters:', lang)}** {recap.why.strip()}"]
    if calibration:
        lines.append(t("**Was my prediction right?** {answer}", lang, answer=t(CALIBRATION_TEXT[calibration], lang)))
    # Not strict: closing a break must not stop half-way over the notes' encoding; notes only grow.
    append_text(breaks_path(ws, phase), "\n\n".join(lines) + "\n\n", strict=False)


RATING_TEXT = {1: N_("again"), 2: N_("hard"), 3: N_("good"), 4: N_("easy")}


def write_practice(ws: Workspace, phase: str, bid: str, outcome: str, hints: int, total_hints: int, rating: int,
                   lang: str = "en") -> None:
    """A practice of a break the learner had finished: how it went, and how soon it comes back."""
    path = breaks_path(ws, phase)
    line = t("## {when} — practice of break {id}: {outcome}; hints used: {hints}/{total}; rated {rating}", lang,
             when=clock.minute(), id=bid, outcome=t(OUTCOME_TEXT.get(outcome, outcome), lang), hints=hints,
             total=total_hints, rating=t(RATING_TEXT[rating], lang))
    append_text(path, line + "\n\n", strict=False)


def last_prediction(ws: Workspace, phase: str, bid: str) -> str | None:
    """The prediction of the learner's latest section on break ``bid``, as the notes hold it now."""
    try:
        text = breaks_path(ws, phase).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    except FileNotFoundError:
        return None
    sections = re.split(r"(?m)^## ", text)
    mine = [s for s in sections if re.match(rf"[^\n]*— break {re.escape(bid)}:", s)]
    if not mine:
        return None
    labels = {f"**{t(PREDICTION, lang)}**" for lang in languages()}
    lines = mine[-1].split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip() in labels), None)
    if start is None:
        return None
    quoted = []
    for ln in lines[start + 1:]:
        if ln.startswith(">"):
            quoted.append(ln[1:].removeprefix(" "))
        elif ln.strip() or quoted:
            if ln.strip():
                break
    words = "\n".join(quoted).strip()
    return words or None


def write_build(ws: Workspace, phase: str, build_id: str, title: str, outcome: str, tests: str,
                branch: str | None, answers: list[tuple[str, str, str, str, bool]]) -> None:
    """A build session's record: outcome, validator tally, where the code is, the conceptual answers
    (``(id, topic, prompt, answer, correct)`` each)."""
    lines = [f"\n## Build {build_id} — {title} — {clock.stamp()}\n",
             f"- outcome: {outcome}" + (f" (validator {tests} tests)" if tests else ""),
             f"- your code: branch `{branch}`\n"]
    if answers:
        lines.append("### Conceptual questions\n")
        for qid, topic, prompt, answer, correct in answers:
            mark = "right" if correct else "to review"
            lines.append(f"**{qid} — {topic}** ({mark})\n\n{prompt}\n\n> {answer}\n")
    append_text(build_path(ws, phase), "\n".join(lines))
