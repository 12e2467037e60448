"""A break's outcome, the part of `break.yaml` a learner's prediction is scored against.

Either a question with two to five options, one marked right by the author, each with the condition that
tells it from the program's real behaviour::

    outcome:
      question: {en: What does the first training step do?, es: ...}
      options:
        - text: {en: a crash at the loss, es: ...}
          when: {exit: error, output: "ValueError: cross_entropy"}
          right: true
        - text: {en: a first loss near ln 256 ≈ 5.55, es: ...}
          when: {exit: ok, measure: {first_loss: [5.3, 5.8]}}

or a number the observation program measures, printed on a line of its own as `lynx-measure NAME=VALUE`::

    outcome:
      quantity: {en: the first loss, es: la primera pérdida}
      measure: first_loss
      value: 29.1          # what it measures on the broken code (lynx validate holds the program to it)
      tolerance: 0.05      # relative

A condition holds when all its parts do: ``exit`` (``ok`` or ``error``), ``output`` (a regular expression found
in the program's output) and ``measure`` (each named measure within ``[low, high]``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lynx.content.fields import ContentError, Fields

MEASURE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
LETTERS = "abcde"


@dataclass(frozen=True)
class Condition:
    exit: str | None = None                                  # "ok" or "error"
    output: str | None = None                                # a regex searched in the output
    measures: tuple[tuple[str, float, float], ...] = ()      # (name, low, high)


@dataclass(frozen=True)
class Option:
    text: dict[str, str]
    when: Condition
    right: bool = False


@dataclass(frozen=True)
class Outcome:
    question: dict[str, str] | None = None
    options: tuple[Option, ...] = ()
    quantity: dict[str, str] | None = None
    measure: str | None = None
    value: float | None = None
    tolerance: float = 0.05

    @property
    def numeric(self) -> bool:
        return self.measure is not None

    @property
    def right(self) -> int | None:
        """The index of the right option (None for a number)."""
        return next((i for i, o in enumerate(self.options) if o.right), None)


def parse_outcome(path: Path, raw: Any) -> dict[str, Any]:
    """Check an `outcome:` mapping; returns plain data (cacheable as JSON)."""
    f = Fields(path, raw, "outcome")
    f.only(("question", "options", "quantity", "measure", "value", "tolerance"))
    if f.has("options") == f.has("measure"):
        raise ContentError(path, "outcome", "an outcome has either `options` or a `measure`, not both and not neither",
                           "give options (2 to 5, one `right: true`) or a measure with its value")
    if f.has("measure"):
        name = f.id("measure", MEASURE_NAME)
        value = _number(path, "outcome.value", f.req("value"))
        tolerance = _number(path, "outcome.tolerance", raw.get("tolerance", 0.05))
        if not 0 < tolerance < 1:
            raise ContentError(path, "outcome.tolerance", f"{tolerance} is not between 0 and 1", "e.g. tolerance: 0.05")
        return {"quantity": f.bilingual("quantity"), "measure": name, "value": value, "tolerance": tolerance}
    options = f.list("options", min_len=2)
    if len(options) > len(LETTERS):
        raise ContentError(path, "outcome.options", f"{len(options)} options, at most {len(LETTERS)}")
    out = []
    for i, item in enumerate(options):
        o = Fields(path, item, f"outcome.options[{i}]")
        o.only(("text", "when", "right"))
        out.append({"text": o.bilingual("text"), "when": _condition(path, f"outcome.options[{i}].when", o.req("when")),
                    "right": o.bool("right")})
    if sum(o["right"] for o in out) != 1:
        raise ContentError(path, "outcome.options", "exactly one option must be `right: true`")
    return {"question": f.bilingual("question", optional=True), "options": out}


def _condition(path: Path, where: str, raw: Any) -> dict[str, Any]:
    f = Fields(path, raw, where)
    f.only(("exit", "output", "measure"))
    cond: dict[str, Any] = {"exit": None, "output": None, "measures": []}
    if f.has("exit"):
        cond["exit"] = f.str("exit")
        if cond["exit"] not in ("ok", "error"):
            raise ContentError(path, f"{where}.exit", f"{cond['exit']!r} is neither ok nor error")
    if f.has("output"):
        cond["output"] = f.str("output")
        try:
            re.compile(cond["output"])
        except re.error as exc:
            raise ContentError(path, f"{where}.output", f"not a regular expression ({exc})") from None
    if f.has("measure"):
        m = Fields(path, f.req("measure"), f"{where}.measure")
        for name, bounds in m.data.items():
            if not (isinstance(name, str) and MEASURE_NAME.match(name)):
                raise ContentError(path, f"{where}.measure", f"bad measure name {name!r}", "use lower_case_names")
            if not (isinstance(bounds, list) and len(bounds) == 2):
                raise ContentError(path, f"{where}.measure.{name}", "expected [low, high]")
            low, high = (_number(path, f"{where}.measure.{name}", b) for b in bounds)
            if low > high:
                raise ContentError(path, f"{where}.measure.{name}", f"[{low}, {high}] is empty")
            cond["measures"].append([name, low, high])
    if not (cond["exit"] or cond["output"] or cond["measures"]):
        raise ContentError(path, where, "a condition needs exit, output or measure")
    return cond


def _number(path: Path, where: str, value: Any) -> float:
    if value in (".inf", "inf"):
        return math.inf
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ContentError(path, where, f"expected a number, got {value!r}")
    return float(value)


def from_data(data: dict[str, Any] | None) -> Outcome | None:
    if not data:
        return None
    if data.get("measure"):
        return Outcome(quantity=data["quantity"], measure=data["measure"], value=data["value"],
                       tolerance=data["tolerance"])
    return Outcome(question=data.get("question"), options=tuple(
        Option(o["text"], Condition(o["when"]["exit"], o["when"]["output"],
                                    tuple((n, lo, hi) for n, lo, hi in o["when"]["measures"])), o["right"])
        for o in data["options"]))
