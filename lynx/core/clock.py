"""The one clock: every timestamp lynx writes or compares comes from :func:`now`.

``LYNX_NOW`` (ISO 8601) fixes it, for tests and demos. Every datetime is UTC. Durations (how long a review
took) come from :func:`stopwatch`, a monotonic clock that ``LYNX_NOW`` leaves running.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from lynx.core.errors import LynxError


def now() -> datetime:
    """The current UTC time, or ``LYNX_NOW`` when set."""
    fixed = os.environ.get("LYNX_NOW")
    if fixed:
        try:
            return parse(fixed)
        except ValueError:
            raise LynxError(f"LYNX_NOW={fixed!r} is not an ISO 8601 datetime", "e.g. LYNX_NOW=2026-11-24T09:00:00Z") from None
    return datetime.now(timezone.utc)


def parse(value: str) -> datetime:
    """An ISO 8601 text (``Z`` or an offset; none means UTC) as an aware UTC datetime; ValueError if it is not one."""
    dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def parse_or_none(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def iso(dt: datetime) -> str:
    """Full precision, ``+00:00`` (card states and review logs)."""
    return dt.astimezone(timezone.utc).isoformat()


def stamp(dt: datetime | None = None) -> str:
    """Second precision, ``+00:00``: when a break or build started and ended (progress.json)."""
    return (dt or now()).astimezone(timezone.utc).replace(microsecond=0).isoformat()


def stamp_z(dt: datetime | None = None) -> str:
    """Second precision, ``Z``: when a quiz attempt started (quiz.yaml)."""
    return stamp(dt).replace("+00:00", "Z")


def minute(dt: datetime | None = None) -> str:
    """What a person reads in their notes: ``2026-11-24 09:00 UTC``."""
    return (dt or now()).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def day_start(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def next_day(dt: datetime) -> datetime:
    """Midnight UTC after ``dt``: when a card missed at ``dt`` becomes due."""
    return day_start(dt) + timedelta(days=1)


def stopwatch() -> float:
    """A start mark for :func:`elapsed_ms`: how long something took, read from a monotonic clock that
    ``LYNX_NOW`` does not fix (a review's duration, a session's length)."""
    import time

    return time.monotonic()


def elapsed_ms(start: float) -> int:
    import time

    return max(0, round((time.monotonic() - start) * 1000))
