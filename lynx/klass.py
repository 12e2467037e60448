"""`lynx class`: a teacher's view of a class whose learners push their workspaces to git remotes.

Each learner pushes their workspace to a remote: one bare repository per learner (its
default branch is read), or one repository with a branch per learner. lynx only reads
them (``git ls-remote`` and ``git fetch``, never a push) into the teacher's cache, one bare
repository per remote so parallel fetches never contend, then reads lynx's own files of each
learner's branch — ``lynx.toml``, ``learners/<name>/progress.json``, ``cards.json``,
``phase-NN/quiz.yaml`` — straight from git's object database (``git cat-file --batch``),
never a checkout.

What was fetched is remembered (the commit of every branch, and the summary read from
it), so a second run asks each remote what it has (``ls-remote``, in parallel), fetches
nothing when nothing moved, and reads nothing again.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lynx.errors import LynxError

SUMMARY_VERSION = 2  # bump when the summary read from a learner's commit changes shape
GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "SSH_ASKPASS": "true",
           "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")}
# Fetches into one cache repository run side by side: no FETCH_HEAD, no auto-gc, no maintenance.
FETCH_CONFIG = ["-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "fetch.writeCommitGraph=false"]


@dataclass(frozen=True)
class Remote:
    url: str
    name: str | None = None  # shown name (default: the learner in the workspace's lynx.toml)
    branches: str | None = None  # a glob: one learner per matching branch; None = the default branch


# -- the class list ------------------------------------------------------------------------
def read_class_file(path: Path) -> list[Remote]:
    """``class.yaml``: ``remotes: [{url, name?, branches?}, ...]`` (a bare URL string is fine too)."""
    from lynx.content import ContentError, Fields, load_yaml

    top = Fields(path, load_yaml(path))
    top.only(("remotes", "title"))
    remotes = []
    for i, item in enumerate(top.list("remotes", min_len=1)):
        if isinstance(item, str):
            remotes.append(Remote(url=_url(path, item)))
            continue
        f = Fields(path, item, f"remotes[{i}]")
        f.only(("url", "name", "branches"))
        url = _url(path, f.str("url"))
        name = f.str("name") if f.has("name") else None
        branches = item.get("branches")
        if branches is True:
            branches = "*"
        if branches is not None and not (isinstance(branches, str) and branches.strip()):
            raise ContentError(path, f"remotes[{i}].branches", "expected true or a branch glob like learner/*")
        remotes.append(Remote(url=url, name=name, branches=branches))
    return remotes


def _url(path: Path, url: str) -> str:
    """Relative paths in class.yaml are relative to the file."""
    if "://" in url or url.startswith("/") or (":" in url and not url.startswith(".")):
        return url
    return str((path.parent / url).resolve())


@dataclass(frozen=True)
class Setting:
    """Where `lynx class` runs: in the teacher's own workspace (its course, language and `.lynx/class`
    cache), or anywhere else (the installed course, English, ``~/.cache/lynx/class``)."""

    cache: Path
    course: Path | None
    lang: str | None
    in_workspace: bool

    @classmethod
    def find(cls, cache: Path | None) -> "Setting":
        from lynx import workspace

        try:
            ws = workspace.load()
        except LynxError:
            ws = None
        if ws is not None:
            return cls(cache or ws.state_dir / "class", ws.root, ws.lang, True)
        try:
            course = workspace.bundled_course()
        except LynxError:
            course = None
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cls(cache or base / "lynx" / "class", course, None, False)


# -- git plumbing ---------------------------------------------------------------------------
def _git(args: list[str], cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=GIT_ENV, timeout=timeout)
    except FileNotFoundError:
        raise LynxError("git is not installed", "install git, then run `lynx class` again") from None
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, b"", f"timed out after {timeout:.0f} s".encode())


def _err(proc: subprocess.CompletedProcess) -> str:
    lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else None)
    return (first or f"git exited {proc.returncode}").removeprefix("fatal: ").removeprefix("error: ")


def ls_remote(url: str) -> tuple[dict[str, str], str | None]:
    """The remote's branches ``{name: commit}`` and the branch its HEAD points at."""
    if url.startswith("-"):  # would be read as an option of git (e.g. --upload-pack=...)
        raise _Unreachable(f"{url!r} is not a repository URL")
    proc = _git(["ls-remote", "--symref", url, "HEAD", "refs/heads/*"])
    if proc.returncode != 0:
        raise _Unreachable(_err(proc))
    heads: dict[str, str] = {}
    head = None
    for line in proc.stdout.decode().splitlines():
        left, _, ref = line.partition("\t")
        if left.startswith("ref: ") and ref == "HEAD":
            head = left[5:].removeprefix("refs/heads/")
        elif ref.startswith("refs/heads/"):
            heads[ref.removeprefix("refs/heads/")] = left
    return heads, head


class _Unreachable(Exception):
    pass


def _ref_key(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


class ObjectReader:
    """One ``git cat-file --batch`` over a cache repository: blobs and trees by ``<commit>:<path>``."""

    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=GIT_ENV)

    def read(self, rev: str) -> tuple[str, bytes] | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(rev.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        if len(header) != 3:  # "<rev> missing" or "<rev> ambiguous"
            return None
        size = int(header[2])
        body = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return header[1], body

    def text(self, rev: str) -> str | None:
        got = self.read(rev)
        return got[1].decode("utf-8", "replace") if got and got[0] == "blob" else None

    def tree(self, rev: str) -> list[tuple[str, str]]:
        """Entries of a tree as (name, "tree"|"blob")."""
        got = self.read(rev)
        if not got or got[0] != "tree":
            return []
        out, data, i = [], got[1], 0
        while i < len(data):
            sp = data.index(b" ", i)
            nul = data.index(b"\0", sp)
            mode = data[i:sp]
            out.append((data[sp + 1:nul].decode("utf-8", "replace"), "tree" if mode == b"40000" else "blob"))
            i = nul + 21  # 20-byte object id
        return out

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


# -- fetching ----------------------------------------------------------------------------------
@dataclass
class Learner:
    """One row: where it came from, the commit read, and what was read from it."""

    remote: Remote
    branch: str | None
    commit: str | None = None
    error: str | None = None
    summary: dict[str, Any] | None = None

    def shown_name(self) -> str:
        if self.remote.name and not self.remote.branches:
            return self.remote.name
        if self.summary and self.summary.get("learner"):
            return self.summary["learner"]
        if self.remote.branches and self.branch:
            return self.branch.rsplit("/", 1)[-1]
        return Path(self.remote.url.rstrip("/")).name.removesuffix(".git")


class ClassCache:
    """One bare repository per remote (fetches never contend), and the summaries read from each commit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state_file = root / "class.json"
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LynxError(f"cannot make the class cache in {root}: {exc.strerror}", "pass --cache DIR") from None
        try:
            self.state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if self.state.get("version") != SUMMARY_VERSION:
                raise ValueError
        except (OSError, ValueError):
            self.state = {"version": SUMMARY_VERSION, "remotes": {}, "summaries": {}}

    def repo_for(self, url: str) -> Path:
        return self.root / "repos" / f"{_ref_key(url)}.git"

    def sync(self, remote: Remote) -> list[Learner]:
        """Ask the remote what it has; fetch and read only commits never read before. Runs in a worker thread."""
        try:
            heads, head = ls_remote(remote.url)
        except _Unreachable as exc:
            known = self.state["remotes"].get(remote.url, {})
            if known:  # the host is down: show what was fetched last time, and say so
                return [Learner(remote, b or None, commit=c, summary=self.state["summaries"].get(c),
                                error=f"unreachable now, showing the last fetch: {exc}") for b, c in sorted(known.items())]
            return [Learner(remote, None, error=f"unreachable: {exc}")]
        if remote.branches:
            wanted = sorted(b for b in heads if fnmatch.fnmatchcase(b, remote.branches))
        else:
            pick = head if head in heads else next((b for b in ("main", "master") if b in heads), None)
            pick = pick or (sorted(heads)[0] if heads else None)
            wanted = [pick] if pick else []
        if not wanted:
            return [Learner(remote, None, error="no branch to read" if not remote.branches else
                            f"no branch matches {remote.branches}")]
        learners = [Learner(remote, b, commit=heads[b], summary=self.state["summaries"].get(heads[b])) for b in wanted]
        stale = [lr for lr in learners if lr.summary is None]
        if not stale:
            return learners  # nothing moved since the last run: no fetch, no read
        repo = self.repo_for(remote.url)
        specs = [f"+refs/heads/{lr.branch}:refs/lynx/{lr.branch}" for lr in stale]
        proc = self._fetch(repo, remote.url, specs)
        if proc.returncode != 0 and (repo / "HEAD").exists():
            shutil.rmtree(repo, ignore_errors=True)  # a damaged cache is only a cache: start it again once
            proc = self._fetch(repo, remote.url, specs)
        if proc.returncode != 0:
            return [Learner(remote, lr.branch, error=f"fetch failed: {_err(proc)}") for lr in learners]
        reader = ObjectReader(repo)
        try:
            for lr in stale:
                lr.summary = read_learner(reader, lr.commit)
        finally:
            reader.close()
        return learners

    @staticmethod
    def _fetch(repo: Path, url: str, specs: list[str]) -> subprocess.CompletedProcess:
        if not (repo / "HEAD").exists():
            proc = _git(["init", "--bare", "--quiet", str(repo)])
            if proc.returncode != 0:
                raise LynxError(f"cannot make the class cache in {repo}: {_err(proc)}", "pass --cache DIR")
        return _git([*FETCH_CONFIG, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-gc",
                     url, *specs], cwd=repo)

    def save(self, learners: list[Learner]) -> None:
        """Remember each branch's commit and its summary; forget summaries no branch points at any more."""
        from lynx.store import write_json

        remotes: dict[str, dict[str, str]] = {}
        summaries = {}
        for lr in learners:
            if lr.commit and lr.summary is not None:
                remotes.setdefault(lr.remote.url, {})[lr.branch or ""] = lr.commit
                summaries[lr.commit] = lr.summary
        for url, refs in self.state["remotes"].items():  # remotes not in this run keep what they had
            if url not in remotes:
                remotes[url] = refs
                summaries.update({c: self.state["summaries"][c] for c in refs.values() if c in self.state["summaries"]})
        self.state = {"version": SUMMARY_VERSION, "remotes": remotes, "summaries": summaries}
        write_json(self.state_file, self.state)


def collect(remotes: list[Remote], cache: ClassCache, jobs: int) -> list[Learner]:
    """Sync every remote in parallel (ls-remote, fetch and read what is new), then remember it all."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        learners = [lr for group in pool.map(cache.sync, remotes) for lr in group]
    cache.save(learners)
    return learners


# -- what a learner's commit says --------------------------------------------------------------
def read_learner(reader: ObjectReader, commit: str) -> dict[str, Any]:
    """A JSON-able summary of one learner's branch, from lynx's own files only."""
    out: dict[str, Any] = {"learner": None, "committed": _commit_time(reader, commit), "has_data": False}
    toml_text = reader.text(f"{commit}:lynx.toml")
    name = None
    if toml_text:
        try:
            name = tomllib.loads(toml_text).get("workspace", {}).get("learner")
        except tomllib.TOMLDecodeError:
            name = None
    dirs = [n for n, kind in reader.tree(f"{commit}:learners") if kind == "tree"]
    if name not in dirs:
        name = dirs[0] if len(dirs) == 1 else name
    out["learner"] = name if isinstance(name, str) else None
    if not out["learner"] or out["learner"] not in dirs:
        return out
    base = f"{commit}:learners/{out['learner']}"
    progress = _json(reader.text(f"{base}/progress.json"))
    cards = _json(reader.text(f"{base}/cards.json"))
    quizzes = {}
    for entry, kind in reader.tree(base):
        if kind == "tree" and entry.startswith("phase-"):
            q = reader.text(f"{base}/{entry}/quiz.yaml")
            if q:
                quizzes[entry.removeprefix("phase-")] = q
    out.update(summarize(progress, cards, quizzes))
    out["has_data"] = bool(progress or cards or quizzes)
    return out


def _commit_time(reader: ObjectReader, commit: str) -> str | None:
    got = reader.read(commit)
    if not got or got[0] != "commit":
        return None
    for line in got[1].decode("utf-8", "replace").splitlines():
        if line.startswith("committer "):
            try:
                ts = int(line.rsplit(" ", 2)[1])
            except (ValueError, IndexError):
                return None
            return datetime.fromtimestamp(ts, timezone.utc).isoformat()
        if not line:
            break
    return None


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def summarize(progress: Any, cards: Any, quizzes: dict[str, str]) -> dict[str, Any]:
    """Breaks, hints, quiz bests, calibration and card due dates from one learner's files."""
    from lynx import calibration

    progress = progress if isinstance(progress, dict) else {}
    breaks = progress.get("breaks") if isinstance(progress.get("breaks"), dict) else {}
    done = solution = hints = tried = 0
    stamps: list[tuple[str, str]] = []  # (when, phase) of every activity, to tell the current phase
    for bid, entry in breaks.items():
        if not isinstance(entry, dict):
            continue
        attempts = [a for a in entry.get("attempts") or [] if isinstance(a, dict)]
        outcomes = {a.get("outcome") for a in attempts}
        if attempts:
            tried += 1
            hints += int(entry.get("hints") or 0)
        if outcomes & {"fixed", "solution"}:
            done += 1
            solution += "fixed" not in outcomes
        for a in attempts:
            when = a.get("ended") or a.get("started")
            if isinstance(when, str):
                stamps.append((when, bid.split("-", 1)[0]))
    from lynx import card as cardmod
    from lynx.quiz_attempts import best

    quiz = {}
    quiz_wrong = []
    for phase, text in sorted(quizzes.items()):
        attempts = _quiz_attempts(text)
        quiz_wrong.append(cardmod.wrong_answers(attempts))
        top = best(attempts)
        if top:
            quiz[phase] = f"{top[0]}/{top[1]}"
        for a in attempts:
            if isinstance(a.get("started"), str):
                stamps.append((a["started"], phase))
    for phase, b in (progress.get("builds") or {}).items():
        if isinstance(b, dict) and isinstance(b.get("at"), str):
            stamps.append((b["at"], phase))
    cal = calibration.tally(calibration.rated(progress))
    states = {}  # card id -> the two FSRS dates that decide when it is due
    if isinstance(cards, dict) and isinstance(cards.get("cards"), dict):
        for cid, e in cards["cards"].items():
            f = e.get("fsrs") if isinstance(e, dict) else None
            if isinstance(f, dict) and isinstance(f.get("due"), str):
                states[cid] = {"due": f["due"], "last_review": f.get("last_review")}
    phase = max(stamps, key=lambda s: _stamp(s[0]))[1] if stamps else None
    return {"phase": phase, "breaks_done": done, "breaks_with_solution": solution, "breaks_tried": tried,
            "hints": hints, "hints_per_break": round(hints / tried, 2) if tried else None, "quiz": quiz,
            "calibration": cal["score"], "predictions_rated": cal["rated"], "cards": states,
            "missed": {"quiz": [m for a in quiz_wrong for m in a], "breaks": cardmod.wrong_breaks(progress),
                       "tests": cardmod.card_test_misses(cards)},
            "last_activity": max((s[0] for s in stamps), key=_stamp) if stamps else None}


def _quiz_attempts(text: str) -> list[dict[str, Any]]:
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    attempts = data.get("attempts") if isinstance(data, dict) else data
    return [a for a in attempts if isinstance(a, dict)] if isinstance(attempts, list) else []


def _stamp(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


# -- the table --------------------------------------------------------------------------------
COLUMNS = ["name", "phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due", "last_activity", "note"]


def rows(learners: list[Learner], at: datetime, course: Path | None = None,
         workspace_course: bool = False) -> list[dict[str, Any]]:
    """One row per learner. ``course`` (the teacher's workspace or the bundled course) says which
    cards a missed quiz question or a wrong prediction brings back, as in the learner's `lynx cards`.
    Only a workspace's course is parsed through the cache in its ``.lynx/``; an installed course is read as is."""
    from lynx import card as cardmod

    qcards: dict[str, list[str]] = {}
    bcards = _no_cards
    if course is not None:
        from lynx.course import Course

        c = Course(course, use_cache=workspace_course)
        qcards = cardmod.question_cards(course, c.cache)
        bcards = lambda bid: list(c.brk(bid).cards)  # noqa: E731
    out = []
    for lr in learners:
        s = lr.summary or {}
        has = bool(s.get("has_data"))
        committed = s.get("committed")
        last = max((x for x in (s.get("last_activity"), committed) if x), key=_stamp, default=None)
        out.append({
            "name": lr.shown_name(),
            "remote": lr.remote.url,
            "branch": lr.branch,
            "commit": lr.commit,
            "phase": s.get("phase") if has else None,
            "breaks_done": s.get("breaks_done") if has else None,
            "breaks_with_solution": s.get("breaks_with_solution") if has else None,
            "hints_per_break": s.get("hints_per_break") if has else None,
            "quiz": s.get("quiz") if has else None,
            "calibration": s.get("calibration") if has else None,
            "predictions_rated": s.get("predictions_rated") if has else None,
            "cards_due": _cards_due(s, at, qcards, bcards) if has else None,
            "last_activity": last,
            "note": lr.error or ("" if has or not lr.commit else "no lynx data yet"),
        })
    return sorted(out, key=lambda r: r["name"])


def _no_cards(bid: str) -> list[str]:
    return []


def _cards_due(s: dict[str, Any], at: datetime, qcards: dict[str, list[str]], bcards) -> int:
    """Cards due by the end of today, counted as the learner's own `lynx cards --stats` would."""
    from lynx import card as cardmod

    m = s.get("missed") or {}
    misses = cardmod.combine(m.get("quiz", []), m.get("breaks", []), m.get("tests", []), qcards, bcards)
    end_today = cardmod.next_day(at)
    due = 0
    for cid in set(s.get("cards", {})) | set(misses):
        st = s.get("cards", {}).get(cid)
        d = cardmod.due_at({"fsrs": st} if st else None, misses.get(cid, []))
        due += d is not None and d < end_today
    return due


def cell(row: dict[str, Any], col: str) -> str:
    v = row[col]
    if v is None or v == {}:
        return ""
    if col == "quiz":
        return " ".join(f"{p}:{s}" for p, s in v.items())
    if col == "calibration":
        return f"{v:.0%} ({row['predictions_rated']})"
    if col == "breaks_done" and row.get("breaks_with_solution"):
        return f"{v} ({row['breaks_with_solution']} sol.)"
    if col == "last_activity":
        return _stamp(v).strftime("%Y-%m-%d %H:%M")
    return str(v)


NUMERIC = {"phase", "breaks_done", "hints_per_break", "calibration", "cards_due"}
HEAD = {"en": ["Name", "Phase", "Breaks", "Hints/break", "Quiz", "Calibration", "Cards due", "Last activity", "Note"],
        "es": ["Nombre", "Fase", "Breaks", "Pistas/break", "Quiz", "Calibración", "Tarjetas", "Última actividad", "Nota"]}


def print_table(table: list[dict[str, Any]], lang: str) -> None:
    from rich.table import Table

    from lynx.ui import console

    t = Table(show_lines=False, header_style="bold")
    for h, c in zip(HEAD.get(lang, HEAD["en"]), COLUMNS):
        t.add_column(h, overflow="fold", no_wrap=c != "note", justify="right" if c in NUMERIC else "left")
    for r in table:
        t.add_row(*(cell(r, c) for c in COLUMNS))
    console().print(t)


def write_csv(table: list[dict[str, Any]]) -> None:
    import csv
    import sys

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in table:
        w.writerow(["" if r[c] is None else (cell(r, c) if c == "quiz" else r[c]) for c in COLUMNS])
