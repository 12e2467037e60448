"""Scored predictions: the option (by its letter) or the number a learner expects of a break, how sure they
are (50-100 %), and how that is scored once the break is done — right or wrong for an option, the
log-ratio error for a number."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lynx.content.breaks import Break
from lynx.content.outcome import LETTERS, Outcome
from lynx.content.fields import text
from lynx.core.errors import LynxError
from lynx.i18n import t

if TYPE_CHECKING:
    from lynx.learner.progress import BreakAttempt

CLOSE_ENOUGH = math.log(1.25)  # a number within 25 % of what the program measured counts as right


@dataclass(frozen=True)
class Expectation:
    option: int | None       # the chosen option's index
    value: float | None      # or the number expected
    confidence: int          # 50-100 (%)

    @property
    def shown(self) -> str:
        return LETTERS[self.option] if self.option is not None else f"{self.value:g}"


def parse_expect(b: Break, expect: str) -> tuple[int | None, float | None]:
    """An option's letter (or number) or a quantity, as the learner typed it; bad input is one line."""
    outcome = b.outcome
    if outcome is None:
        raise LynxError(f"--expect: break {b.id} has no outcome to predict", "leave --expect out; --predict TEXT still works")
    text = expect.strip().lower()
    if outcome.numeric:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise LynxError(f"--expect {expect!r}: break {b.id} asks for a number", "e.g. --expect 6.2") from None
        if not math.isfinite(value) or value <= 0:
            raise LynxError(f"--expect {expect!r}: expected a positive number", "e.g. --expect 6.2")
        return None, value
    n = len(outcome.options)
    if len(text) == 1 and text in LETTERS[:n]:
        return LETTERS.index(text), None
    if text.isdigit() and 1 <= int(text) <= n:
        return int(text) - 1, None
    raise LynxError(f"--expect {expect!r} is not an option of break {b.id}",
                    f"use a letter a-{LETTERS[n - 1]} (the options are shown when you break it)")


def parse_confidence(value: str | int) -> int:
    text = str(value).strip().rstrip("%").strip()
    try:
        conf = int(float(text))
    except ValueError:
        raise LynxError(f"--confidence {value!r} is not a number", "give a percentage from 50 to 100, e.g. 70") from None
    if not 50 <= conf <= 100:
        raise LynxError(f"--confidence {conf} is outside 50-100",
                        "50 means a coin toss between your option and the rest, 100 certainty, e.g. 70")
    return conf


@dataclass(frozen=True)
class Scored:
    measured: str          # the right option's letter, or the number
    hit: bool
    log_error: float | None


def score(outcome: Outcome, expectation: Expectation) -> Scored:
    """Right or wrong for an option (against the author's key, which `lynx validate` proves on the broken code);
    for a number, the log-ratio error against what the program measures there, right within 25 %."""
    if outcome.numeric:
        err = abs(math.log(expectation.value / outcome.value))
        return Scored(f"{outcome.value:g}", err <= CLOSE_ENOUGH, round(err, 4))
    right = outcome.right
    return Scored(LETTERS[right], expectation.option == right, None)


def expectation_of(b: Break, attempt: "BreakAttempt") -> Expectation:
    option, value = parse_expect(b, attempt.expect or "")
    return Expectation(option, value, attempt.confidence or 50)


def option_text(b: Break, index: int, lang: str) -> str:
    return f"({LETTERS[index]}) {text(b.outcome.options[index].text, lang)}"


def expected_line(b: Break, e: Expectation, lang: str) -> str:
    """The scored prediction as the notes keep it: the option (letter and text) or the number, and the confidence."""
    what = option_text(b, e.option, lang) if e.option is not None else f"{e.value:g}"
    return t("**Expected:** {what} — confidence {confidence} %", lang, what=what, confidence=e.confidence)


def measured_line(b: Break, attempt: "BreakAttempt", lang: str) -> str:
    o = b.outcome
    got = option_text(b, o.right, lang) if not o.numeric else f"{o.value:g}"
    verdict = t("right", lang) if attempt.hit else t("wrong", lang)
    if o.numeric:
        return t("**Expected {expected}, measured {measured}:** {verdict} (log-ratio error {error})", lang,
                 expected=attempt.expect, measured=got, verdict=verdict, error=f"{attempt.log_error:.2f}")
    return t("**Expected {expected}, measured {measured}:** {verdict}", lang, expected=f"({attempt.expect})",
             measured=got, verdict=verdict)


MAX_PREDICTION_CHARS = 4_000  # a prediction is a few sentences; the notes and progress keep every one


def require_prediction_size(prediction: str | None) -> None:
    """Refuse a prediction too long to be one (before anything is written)."""
    if prediction is not None and len(prediction) > MAX_PREDICTION_CHARS:
        raise LynxError(f"the prediction has {len(prediction)} characters, over the limit of {MAX_PREDICTION_CHARS}",
                        "say what you expect in a few sentences")
