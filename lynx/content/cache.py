"""A JSON cache of parsed YAML content, rebuilt whenever the source file changes.

Parsing YAML costs ~40 ms of import alone; commands run dozens of times an hour
(`lynx hint`, `lynx status`) read the cached JSON instead.
"""

from __future__ import annotations

import json
import os
import time
import zlib
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
    name, entry = _entry(cache_dir, build, str(source))
    data = _read(entry, name, key)
    if data is not None and data.get("source") == str(source):
        if "error" in data:  # a broken file stays broken until it changes: no need to parse it again
            from lynx.core.errors import LynxError

            raise LynxError(*data["error"])
        if "value" in data:
            return data["value"]
    from lynx.core.errors import LynxError

    try:
        value = build(source)
    except LynxError as exc:
        _write(entry, {"key": key, "source": str(source), "name": name, "error": [exc.message, exc.fix, exc.code]})
        raise
    _write(entry, {"key": key, "source": str(source), "name": name, "value": value})
    return value


def cached_listing(cache_dir: Path | None, folder: Path, suffix: str, build: Callable[[], Any]) -> Any:
    """Return ``build()``, a value derived from every ``*suffix`` file in ``folder`` (e.g. an index of all
    decks), reusing the last result while no such file changed, appeared or went away.

    One listing of the folder (with each file's mtime and size) checks it: no file is opened. A build
    that raises is not cached: the builder's own per-file cache already remembers a broken file.
    """
    if cache_dir is None:
        return build()
    listing = []
    try:
        for e in os.scandir(folder):
            if e.name.endswith(suffix) and e.is_file():
                st = e.stat()
                listing.append([e.name, st.st_mtime_ns, st.st_size])
    except FileNotFoundError:
        pass
    listing.sort()
    name, entry = _entry(cache_dir, build, f"{folder}/*{suffix}")
    data = _read(entry, name, listing)
    if data is not None and "value" in data:
        return data["value"]
    value = build()
    _write(entry, {"key": listing, "name": name, "value": value})
    return value


def _entry(cache_dir: Path, build: Callable, what: str) -> tuple[str, Path]:
    """The entry of ``build`` over ``what``. One entry per (source, builder): two readers of one file (a quiz
    count, the parsed quiz) must not collide. crc32, not hashlib (~3.5 ms of import): an entry records its
    full name, so a collision is only a miss."""
    name = f"{getattr(build, '__module__', '')}.{getattr(build, '__qualname__', '')}:{what}"
    return name, cache_dir / (f"{zlib.crc32(name.encode()):08x}" + ".json")


def _read(entry: Path, name: str, key: Any) -> dict | None:
    """The entry's data if it is ``name``'s and still has ``key``, else None (missing, stale, corrupt)."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("name") == name and data.get("key") == key else None


def _write(entry: Path, data: dict) -> None:
    """Atomic (a reader sees the old entry or the new one) but not durable: no fsync. A cache entry lost
    in a crash is rebuilt; two fsyncs per entry made the first `lynx status` on 500 phases take 10 s."""
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only workspace still works, only slower


def cache_dir_for(root: Path) -> Path | None:
    """Caches live in a workspace's `.lynx/`; a checkout or an installed bundle is read directly."""
    if not (root / "lynx.toml").is_file():
        return None
    d = root / ".lynx" / "cache"
    if d.is_dir() or os.access(root, os.W_OK):
        return d
    return None


def own_cache(cache: Path | None, what: str) -> Path | None:
    """A folder of the parse cache for one kind of derived value (a deck index, the cards a quiz's
    questions name), so that its entries never crowd the per-file ones."""
    return cache / what if cache is not None else None
