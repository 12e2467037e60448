"""How the flashcards are scheduled for this learner: the settings in ``lynx.toml`` (read through
``ws.config``, the one reader of that file) and the FSRS scheduler they make, with the parameters
``lynx cards --optimize`` fitted to the learner's own reviews when there are some.

``[workspace]`` keys, all optional::

    new_cards_per_day = 10           # new cards a day in the spaced review
    desired_retention = 0.9          # the chance of recalling a card when it comes due, in (0, 1)
    maximum_interval = 36500         # days: no card is scheduled further away
    learning_steps = ["1m", "10m"]   # a new card's steps before it graduates (s, m, h, d)
    relearning_steps = ["10m"]       # a forgotten card's steps before it is back in review

Cheap to import: fsrs is imported when a scheduler is first made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from lynx.core.errors import LynxError
from lynx.learner.cardstates import Fitted
from lynx.learner.workspace import Workspace

NEW_PER_DAY = 10
DESIRED_RETENTION = 0.9
MAXIMUM_INTERVAL = 36500
LEARNING_STEPS = ("1m", "10m")
RELEARNING_STEPS = ("10m",)
_STEP_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class CardSettings:
    new_per_day: int = NEW_PER_DAY
    desired_retention: float = DESIRED_RETENTION
    maximum_interval: int = MAXIMUM_INTERVAL
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)


def settings(ws: Workspace) -> CardSettings:
    """The card settings of ``ws``'s lynx.toml; a bad value is one line naming the key and an example."""
    cfg = ws.config
    where = ws.root / "lynx.toml"
    return CardSettings(
        new_per_day=_whole(cfg.get("new_cards_per_day", NEW_PER_DAY), "new_cards_per_day", 0, where, "10"),
        desired_retention=_retention(cfg.get("desired_retention", DESIRED_RETENTION), where),
        maximum_interval=_whole(cfg.get("maximum_interval", MAXIMUM_INTERVAL), "maximum_interval", 1, where, "365"),
        learning_steps=steps(cfg.get("learning_steps", list(LEARNING_STEPS)), "learning_steps", where),
        relearning_steps=steps(cfg.get("relearning_steps", list(RELEARNING_STEPS)), "relearning_steps", where),
    )


def _whole(value: Any, key: str, least: int, where: object, example: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise LynxError(f"{where}: {key} = {value!r} is not a whole number >= {least}",
                        f"e.g. {key} = {example} under [workspace]")
    return value


def _retention(value: Any, where: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise LynxError(f"{where}: desired_retention = {value!r} is not a number between 0 and 1 (both excluded)",
                        "e.g. desired_retention = 0.9 under [workspace] (Anki's default; 0.8-0.95 is usual)")
    return float(value)


def steps(value: Any, key: str, where: object = "lynx.toml") -> tuple[timedelta, ...]:
    """``["1m", "10m"]`` (or whole minutes, ``[1, 10]``) as timedeltas."""
    example = f'e.g. {key} = ["1m", "10m"] under [workspace] (s, m, h or d after each number)'
    if not isinstance(value, list):
        raise LynxError(f"{where}: {key} = {value!r} is not a list of steps", example)
    out = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            out.append(timedelta(minutes=item))
            continue
        m = _STEP_RE.match(item) if isinstance(item, str) else None
        if not m or float(m.group(1)) <= 0:
            raise LynxError(f"{where}: {key} has the step {item!r}, which is not a duration", example)
        out.append(timedelta(**{_UNITS[m.group(2)]: float(m.group(1))}))
    return tuple(out)


_SCHEDULERS: dict[tuple, Any] = {}


def scheduler(conf: CardSettings | None = None, fitted: Fitted | None = None) -> Any:
    """The FSRS scheduler (``fsrs.Scheduler``) for these settings and parameters; no fuzz, so that
    reviews are reproducible. Default settings and parameters when none are given."""
    conf = conf or CardSettings()
    params = tuple(fitted.parameters) if fitted else None
    key = (conf, params)
    if key not in _SCHEDULERS:
        from fsrs import Scheduler

        kwargs: dict[str, Any] = {}
        if params is not None:
            kwargs["parameters"] = params
        try:
            _SCHEDULERS[key] = Scheduler(desired_retention=conf.desired_retention, learning_steps=conf.learning_steps,
                                         relearning_steps=conf.relearning_steps,
                                         maximum_interval=conf.maximum_interval, enable_fuzzing=False, **kwargs)
        except ValueError as exc:
            raise LynxError(f"cards.json: the fitted FSRS parameters are not usable ({' '.join(str(exc).split())})",
                            "run `lynx cards --optimize` again") from None
    return _SCHEDULERS[key]
