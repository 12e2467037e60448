"""What a break's observation program showed, read against the break's outcome: which option held, what it
measured. The same reading serves `lynx run` (on the learner's code), `lynx done` (scoring the prediction)
and `lynx validate` (the author's key, proven on the broken code)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from lynx.content.outcome import LETTERS, Condition, Outcome

MEASURE_LINE = re.compile(r"^lynx-measure ([a-z][a-z0-9_]*)=(\S+)\s*$", re.M)


@dataclass(frozen=True)
class Observation:
    status: int
    output: str
    measures: dict[str, float] = field(default_factory=dict)


def observe(status: int, output: str) -> Observation:
    """The program's exit status and output, with every `lynx-measure NAME=VALUE` line it printed."""
    found: dict[str, float] = {}
    for name, value in MEASURE_LINE.findall(output):
        try:
            found[name] = float(value)
        except ValueError:
            continue
    return Observation(status, output, found)


def holds(cond: Condition, seen: Observation) -> bool:
    if cond.exit == "ok" and seen.status != 0 or cond.exit == "error" and seen.status == 0:
        return False
    if cond.output is not None and not re.search(cond.output, seen.output, re.M):
        return False
    for name, low, high in cond.measures:
        value = seen.measures.get(name)
        if value is None or not (low <= value <= high):
            return False
    return True


def options_that_hold(outcome: Outcome, seen: Observation) -> list[int]:
    return [i for i, o in enumerate(outcome.options) if holds(o.when, seen)]


@dataclass(frozen=True)
class Measured:
    """What the program showed, as the outcome asks: the option that held (a letter) or the number measured."""

    option: int | None = None
    value: float | None = None

    def shown(self) -> str | None:
        if self.option is not None:
            return LETTERS[self.option]
        return None if self.value is None else f"{self.value:g}"


def measured(outcome: Outcome, seen: Observation) -> Measured:
    if outcome.numeric:
        return Measured(value=seen.measures.get(outcome.measure))
    held = options_that_hold(outcome, seen)
    return Measured(option=held[0] if len(held) == 1 else None)


def proof(outcome: Outcome, seen: Observation) -> str | None:
    """None when the broken code's real behaviour proves the author's key, else why not (one line)."""
    if outcome.numeric:
        value = seen.measures.get(outcome.measure)
        if value is None or not math.isfinite(value):
            return f"the observation program printed no `lynx-measure {outcome.measure}=...` line"
        if not math.isclose(value, outcome.value, rel_tol=outcome.tolerance, abs_tol=1e-12):
            return (f"the program measures {outcome.measure}={value:g}, not the outcome's value {outcome.value:g} "
                    f"(tolerance {outcome.tolerance:g})")
        return None
    held = options_that_hold(outcome, seen)
    right = outcome.right
    if held == [right]:
        return None
    if right not in held:
        return f"the right option ({LETTERS[right]}) does not hold on the broken code (exit status {seen.status})"
    others = ", ".join(LETTERS[i] for i in held if i != right)
    return f"option(s) {others} hold too: the outcome cannot tell them from the right one"
