"""Where a layer's initial weights come from: the random generator it draws them with."""

from __future__ import annotations

import numpy as np


def rng_or_default(rng: np.random.Generator | None) -> np.random.Generator:
    """`rng` itself, or a fresh unseeded generator when it is None.

    Pass one seeded generator down a whole model and every layer draws from it in turn, so the
    same seed always gives the same weights; without one, each run starts from new weights.
    """
    return rng if rng is not None else np.random.default_rng()
