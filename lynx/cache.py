"""A JSON cache of parsed YAML content, rebuilt whenever the source file changes.

Parsing YAML costs ~40 ms of import alone; commands run dozens of times an hour
(`lynx hint`, `lynx status`) read the cached JSON instead.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable


def cached(cache_dir: Path | None, source: Path, build: Callable[[Path], Any]) -> Any:
    """Return ``build(source)``, reusing the last result while ``source`` is unchanged."""
    if cache_dir is None:
        return build(source)
    try:
        st = source.stat()
    except FileNotFoundError:
        return build(source)  # let the builder raise its own clear error
    key = f"{st.st_mtime_ns}:{st.st_size}"
    # One entry per (source, builder): two readers of one file (a quiz count, the parsed quiz) must not collide.
    name = f"{getattr(build, '__module__', '')}.{getattr(build, '__qualname__', '')}:{source}"
    entry = cache_dir / (hashlib.sha1(name.encode()).hexdigest()[:16] + ".json")
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        if data.get("key") == key and data.get("source") == str(source):
            if "error" in data:  # a broken file stays broken until it changes: no need to parse it again
                from lynx.errors import LynxError

                raise LynxError(*data["error"])
            return data["value"]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    from lynx.errors import LynxError

    try:
        value = build(source)
    except LynxError as exc:
        _write(entry, {"key": key, "source": str(source), "error": [exc.message, exc.fix, exc.code]})
        raise
    _write(entry, {"key": key, "source": str(source), "value": value})
    return value


def _write(entry: Path, data: dict) -> None:
    try:
        from lynx.store import atomic_write_text

        atomic_write_text(entry, json.dumps(data))
    except OSError:
        pass  # a read-only workspace still works, only slower


def cache_dir_for(root: Path) -> Path | None:
    """Caches live in a workspace's `.lynx/`; a checkout or an installed bundle is read directly."""
    if not (root / "lynx.toml").is_file():
        return None
    d = root / ".lynx" / "cache"
    if d.is_dir() or os.access(root, os.W_OK):
        return d
    return None
