"""Reading learners' commits into summaries, many at once: parsing a learner's files is Python work,
which threads cannot spread over cores, so a large class is read by worker processes (forked once the
fetching threads are done), one repository's learners through one object reader.

Each commit read gives two things: its whole summary, written to a file of its own in the cache
(``summaries/ab/abcdef….json``: the item analysis, the detail, the report and --verify read it), and a
light one the class table needs (kept for every learner in the cache's one file, so a second run of a
thousand learners reads one small file).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from lynx.teacher.due import CourseCards, due_times
from lynx.teacher.summary import light, read_learner
from lynx.vcs.objects import OID, ObjectReader, ReadFailed

Item = tuple[str, str | None, str | None]   # (tip, the tip read last time, branch)
Got = tuple[str | None, dict | None, dict | None, str | None, str | None]  # (commit, light, full, warning, error)


def full_path(root: Path, commit: str) -> Path:
    return root / "summaries" / commit[:2] / f"{commit}.json"


def store_full(root: Path, commit: str, full: dict[str, Any]) -> None:
    """Written whole then renamed (a reader never sees half a file); no fsync: a summary lost in a crash is
    read again from its commit next time, and a thousand fsyncs would cost more than the reading."""
    path = full_path(root, commit)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(full, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a cache that cannot be written is read again next time


def load_full(root: Path, commit: str) -> dict[str, Any] | None:
    if not OID.match(commit or ""):
        return None
    try:
        return json.loads(full_path(root, commit).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def reaches(reader: ObjectReader, new: str, old: str, limit: int = 20_000) -> bool:
    """Whether ``old`` is in ``new``'s history, as far as the repository holds it."""
    seen, todo = set(), [new]
    while todo and len(seen) < limit:
        here = todo.pop()
        if here == old:
            return True
        if here in seen:
            continue
        seen.add(here)
        info = reader.commit(here)
        if info is not None:
            todo.extend(info.parents)
    return len(seen) >= limit  # too long a history to tell: no warning


def read_one(reader: ObjectReader, item: Item, as_of: datetime | None) -> Got:
    tip, before, branch = item
    warning = None
    if before and before != tip and not reaches(reader, tip, before):
        warning = f"history rewritten since the last fetch: {before[:12]} is no longer in {branch or 'the branch'}"
    commit: str | None = tip
    if as_of is not None:
        commit = reader.last_before(tip, int(as_of.timestamp()))
        if commit is None:
            return None, None, None, warning, f"nothing pushed by {as_of:%Y-%m-%d %H:%M} UTC"
    known = _SHARED["known"].get(commit)
    if known is not None and known.get("due_key") == _SHARED["cards"].key:
        return commit, known, None, warning, None
    full = load_full(_SHARED["root"], commit) or read_learner(reader, commit)
    store_full(_SHARED["root"], commit, full)
    return commit, light(full, due_times(full, _SHARED["cards"]), _SHARED["cards"].key), full, warning, None


def read_group(job: tuple[Path, list[Item], float, datetime | None]) -> list[Got]:
    """Every pending learner of one repository, through one reader (in a worker process, or not)."""
    repo, items, timeout, as_of = job
    try:
        with ObjectReader(repo, timeout=max(timeout, 60.0)) as reader:
            return [read_one(reader, item, as_of) for item in items]
    except ReadFailed as exc:
        return [(None, None, None, None, f"unreadable: {exc}")] * len(items)


# What every reader needs, set before the workers are forked (each sees the parent's).
_SHARED: dict[str, Any] = {"known": {}, "root": Path("."), "cards": None}


def read_all(work: list[tuple[Path, list[Item], float, datetime | None]], known: dict[str, Any], root: Path,
             cards: CourseCards, jobs: int, progress: Callable[[int, int], None] | None = None) -> list[list[Got]]:
    """``read_group`` of every job, in worker processes when there are many learners."""
    _SHARED.update(known=known, root=root, cards=cards)
    n = sum(len(items) for _, items, _, _ in work)
    procs = min(jobs, os.cpu_count() or 1)
    results = None
    if n >= 64 and procs > 1:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            cards.warm()  # parsed once, before the fork
            with ProcessPoolExecutor(procs, mp_context=multiprocessing.get_context("fork")) as pool:
                results = _counted(pool.map(read_group, work, chunksize=max(1, len(work) // (procs * 8))), work,
                                   progress, n)
    if results is None:
        results = _counted(map(read_group, work), work, progress, n)
    return results


def _counted(results, work, progress, n: int) -> list[list[Got]]:
    out, done = [], 0
    for (_, items, _, _), got in zip(work, results):
        out.append(got)
        done += len(items)
        if progress is not None:
            progress(done, n)
    return out
