"""`lynx cards --optimize`: fit the FSRS parameters to this learner's own review log with fsrs's optimizer,
and keep them in the learner's cards.json, where every later review's scheduler reads them.

The optimizer is fsrs's own (``fsrs[optimizer]``, which pulls PyTorch: lynx's ``optimizer`` extra). It
learns only from reviews made a day or more after the card's previous one, among the first 64 reviews
of each card, and needs 512 of those; :func:`usable_reviews` counts them the same way, so a learner
without enough is told how many are missing before anything heavy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lynx.core import clock, lock
from lynx.core.errors import LynxError
from lynx.learner import cardstates
from lynx.learner.cardstates import Fitted, Review
from lynx.learner.workspace import Workspace

MIN_REVIEWS = 512     # fsrs's mini-batch: below it, its optimizer gives back the defaults
MAX_PER_CARD = 64     # fsrs reads the first 64 reviews of each card


@dataclass(frozen=True)
class OptimizeResult:
    fitted: bool
    usable: int                      # reviews the optimizer learns from
    needed: int
    logged: int                      # every review in the log
    parameters: list[float] | None = None

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.usable)

    def to_json(self) -> dict[str, Any]:
        return {"fitted": self.fitted, "usable_reviews": self.usable, "needed": self.needed,
                "missing": self.missing, "logged_reviews": self.logged, "parameters": self.parameters}


def usable_reviews(log: list[Review]) -> int:
    """How many reviews fsrs's optimizer would learn from: per card, of its first 64 reviews, those made a whole
    day or more after the one before."""
    per_card: dict[str, list] = {}
    for r in log:
        at = clock.parse_or_none(r.at)
        if at is not None and r.rating in (1, 2, 3, 4):
            per_card.setdefault(r.card, []).append(at)
    n = 0
    for times in per_card.values():
        times = sorted(times)[:MAX_PER_CARD]
        n += sum(1 for a, b in zip(times, times[1:]) if (b - a).days > 0)
    return n


def optimize(ws: Workspace) -> OptimizeResult:
    """Fit and keep the learner's parameters, or say how many reviews are missing (nothing changes then)."""
    states = cardstates.load(ws.learner_dir)
    usable = usable_reviews(states.log)
    if usable < MIN_REVIEWS:
        return OptimizeResult(False, usable, MIN_REVIEWS, len(states.log))
    try:
        import pandas  # noqa: F401  (fsrs's optimizer needs these three; fsrs itself does not)
        import torch  # noqa: F401
        import tqdm  # noqa: F401
        from fsrs.optimizer import Optimizer
    except ImportError:
        raise LynxError("--optimize needs fsrs's optimizer and PyTorch, which are not installed",
                        "install lynx's optimizer extra from the clone: pip install '.[optimizer]'") from None
    from fsrs import Rating, ReviewLog

    numbers: dict[str, int] = {}
    logs = []
    for r in states.log:
        at = clock.parse_or_none(r.at)
        if at is None or r.rating not in (1, 2, 3, 4):
            continue
        logs.append(ReviewLog(card_id=numbers.setdefault(r.card, len(numbers) + 1), rating=Rating(r.rating),
                              review_datetime=at, review_duration=r.ms))
    params = [float(x) for x in Optimizer(logs).compute_optimal_parameters()]
    with lock.held(ws.state_dir):  # read again: a review may have been saved meanwhile
        states = cardstates.load(ws.learner_dir)
        states.fitted = Fitted(parameters=params, at=clock.iso(clock.now()), reviews=usable)
        cardstates.save(ws.learner_dir, states)
    return OptimizeResult(True, usable, MIN_REVIEWS, len(states.log), params)
