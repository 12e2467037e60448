"""What lynx remembers: the active break or build (`.lynx/state.json`, machine-local)
and each learner's progress (`learners/<name>/progress.json`, committed with the notes).

Both are small JSON files read without git, so `lynx hint` and `lynx status` stay fast.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lynx.store import read_json, write_json
from lynx.workspace import Workspace


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# -- the active break / build -----------------------------------------------------
def state_path(ws: Workspace) -> Path:
    return ws.state_dir / "state.json"


def active(ws: Workspace) -> dict[str, Any] | None:
    data = read_json(state_path(ws), default=None)
    if data is None:
        return None
    if not isinstance(data, dict) or "id" not in data or "kind" not in data:
        from lynx.errors import LynxError

        raise LynxError(f"{state_path(ws)} is not a lynx state file", "run `lynx recover`")
    return data


def set_active(ws: Workspace, data: dict[str, Any]) -> None:
    write_json(state_path(ws), data)


def clear_active(ws: Workspace) -> None:
    try:
        state_path(ws).unlink()
    except FileNotFoundError:
        pass


# -- the learner's progress --------------------------------------------------------
def progress_path(ws: Workspace) -> Path:
    return ws.learner_dir / "progress.json"


def load(ws: Workspace) -> dict[str, Any]:
    data = read_json(progress_path(ws), default=None)
    if data is None:
        return {"learner": ws.learner, "breaks": {}, "builds": {}}
    if not isinstance(data, dict) or not isinstance(data.get("breaks", {}), dict):
        from lynx.errors import LynxError

        raise LynxError(f"{progress_path(ws)} has an unexpected shape", "run `lynx recover`")
    data.setdefault("breaks", {})
    data.setdefault("builds", {})
    return data


def save(ws: Workspace, data: dict[str, Any]) -> None:
    write_json(progress_path(ws), data)


def break_entry(data: dict[str, Any], bid: str) -> dict[str, Any]:
    entry = data["breaks"].setdefault(bid, {})
    entry.setdefault("hints", 0)
    entry.setdefault("attempts", [])
    return entry


def is_done(data: dict[str, Any], bid: str) -> bool:
    attempts = data.get("breaks", {}).get(bid, {}).get("attempts", [])
    return any(a.get("outcome") in ("fixed", "solution") for a in attempts)


def outcome(data: dict[str, Any], bid: str) -> str | None:
    """The best outcome so far: fixed > solution > aborted."""
    attempts = data.get("breaks", {}).get(bid, {}).get("attempts", [])
    found = {a.get("outcome") for a in attempts}
    for o in ("fixed", "solution", "aborted"):
        if o in found:
            return o
    return None
