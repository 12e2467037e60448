"""One number an observation program measures, on a line of its own that lynx reads.

`lynx run` and `lynx validate` look for lines `lynx-measure NAME=VALUE`: a break whose outcome is a
number (the first loss, a share of saturated rows...) is scored against the value its program prints here.
"""

from __future__ import annotations


def lynx_measure(name: str, value: float) -> None:
    print(f"lynx-measure {name}={float(value):.6g}", flush=True)
