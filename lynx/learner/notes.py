"""The learner's notes: ``learners/<name>/phase-NN/notes/breaks.md`` and ``build.md``.

Notes are only ever appended to, byte for byte in the learner's own line endings: a learner's
words are never rewritten.
"""

from __future__ import annotations

from pathlib import Path

from lynx.core import clock
from lynx.core.files import append_text
from lynx.learner.workspace import Workspace

OUTCOME_TEXT = {
    "fixed": "fixed it myself",
    "solution": "fixed with the solution shown",
    "aborted": "left without finishing (aborted)",
}
CALIBRATION_TEXT = {"y": "yes", "partly": "partly", "n": "no"}


def breaks_path(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "notes" / "breaks.md"


def build_path(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "notes" / "build.md"


def write_prediction(ws: Workspace, phase: str, bid: str, title: str, prediction: str | None) -> Path:
    path = breaks_path(ws, phase)
    header = "" if path.exists() else f"# Break notes — phase {phase}\n\n"
    body = prediction.strip() if prediction else "_(no prediction written)_"
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    append_text(path, f"{header}## {clock.minute()} — break {bid}: {title}\n\n**Prediction:**\n\n{quoted}\n\n")
    return path


def write_outcome(ws: Workspace, phase: str, bid: str, outcome: str, hints: int, total_hints: int,
                  calibration: str | None, diff_shown: bool) -> None:
    lines = [f"**Outcome ({clock.minute()}, break {bid}):** {OUTCOME_TEXT.get(outcome, outcome)}; "
             f"hints used: {hints}/{total_hints}" + ("; fix diff viewed" if diff_shown else "") + "."]
    if calibration:
        lines.append(f"**Was my prediction right?** {CALIBRATION_TEXT[calibration]}")
    # Not strict: closing a break must not stop half-way over the notes' encoding; notes only grow.
    append_text(breaks_path(ws, phase), "\n\n".join(lines) + "\n\n", strict=False)


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
