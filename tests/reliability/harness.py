"""The reliability suites' harness: the learner's work with markers, the fast stand-in course, run records
(the snapshots and invariants themselves are in tests/kit.py).

Every learner-written byte carries a unique marker, so "nothing lost" is a search: each marker must be found in
the working tree, the index, or git history (any ref, stashes included).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from kit import ENV, branch, consistency_problem, git, lost, no_traceback, recoverable, state, tree, tree_hash  # noqa: F401

# Many workspaces are made and removed: on tmpfs when there is one (rmdir on overlayfs costs ~1 ms each).
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None

BREAK = "13-00"
BREAK_FILE = "src/minimodel/nn/lm_head.py"           # patched by break 13-00
UNSTAGED_FILE = "src/minimodel/metrics.py"           # the learner's unrelated edits ride along
STAGED_FILE = "src/minimodel/schedule.py"
UNTRACKED_FILE = "scratch/ideas.txt"
JOURNAL = "learners/borja/journal.md"                 # the learner's own notes file
NOTES = "learners/borja/phase-13/notes/breaks.md"     # lynx appends, the learner may too
LYNX_WRITTEN = {"learners/borja/progress.json", "learners/borja/practice.json", NOTES}  # written with the time


def add_learner_work(ws: Path, tag: str) -> list[str]:
    """Unrelated staged, unstaged and untracked work, plus the learner's own notes. Returns the markers."""
    m = [f"MARK-{tag}-{k}" for k in ("unstaged", "staged", "untracked", "journal")]
    _append(ws / UNSTAGED_FILE, f"\n# {m[0]}\n")
    _append(ws / STAGED_FILE, f"\n# {m[1]}\n")
    git("add", "--", STAGED_FILE, cwd=ws)
    (ws / UNTRACKED_FILE).parent.mkdir(parents=True, exist_ok=True)
    (ws / UNTRACKED_FILE).write_text(f"{m[2]}\n")
    _append(ws / JOURNAL, f"{m[3]}\n")
    return m


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def record(section: str, key: str, data: dict) -> None:
    """Add numbers of this run to the JSON file named by $LYNX_RELIABILITY_RESULTS (for docs/reliability.md)."""
    out = os.environ.get("LYNX_RELIABILITY_RESULTS")
    if not out:
        return
    path = Path(out)
    all_ = json.loads(path.read_text()) if path.exists() else {}
    all_.setdefault(section, {})[key] = data
    path.write_text(json.dumps(all_, indent=2, sort_keys=True) + "\n")


FAST_CHECK = '''"""A fast stand-in check for the random-use suite: the bug is in while every line the break added is there."""
from pathlib import Path

HERE = Path(__file__).parent


def added_lines():
    out, target = {}, None
    for line in (HERE / "break.patch").read_text(encoding="utf-8").splitlines():
        if line.startswith("+++ b/"):
            target = line[6:]
        elif line.startswith("+") and not line.startswith("+++") and line[1:].strip() and target:
            out.setdefault(target, []).append(line[1:].strip())
    return out


def test_the_break_is_fixed():
    present = [all(a in Path(rel).read_text(encoding="utf-8") for a in adds) if Path(rel).is_file() else False
               for rel, adds in added_lines().items()]
    assert not all(present), "every line the break added is still there"
'''



def phase13_course(dst: Path, fast: bool = False) -> Path:
    """A course folder with phase 13 of the bundled course only (for `lynx init --from`).

    ``fast``: each break's check becomes FAST_CHECK (still a pytest file run by lynx's runner) and its
    observation `python -c "print('observed')"` (still a subprocess): milliseconds instead of seconds.
    """
    import re
    import shutil

    from lynx.content.course import bundled as bundled_course

    src = bundled_course()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    shutil.copytree(src / "src", dst / "src", ignore=ignore)
    shutil.copytree(src / "phases" / "13-embeddings", dst / "phases" / "13-embeddings", ignore=ignore)
    for b in sorted((src / "breaks").glob("13-*")):
        shutil.copytree(b, dst / "breaks" / b.name, ignore=ignore)
        if fast:
            (dst / "breaks" / b.name / "check_test.py").write_text(FAST_CHECK, encoding="utf-8")
            y = dst / "breaks" / b.name / "break.yaml"
            y.write_text(re.sub(r"^observe: .*$", "observe: [python, -c, \"print('observed')\"]",
                                y.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    (dst / "data" / "quizzes").mkdir(parents=True)
    for f in (src / "data" / "quizzes").glob("phase-13-*.yaml"):
        shutil.copy(f, dst / "data" / "quizzes" / f.name)
    (dst / "data" / "cards").mkdir(parents=True)
    shutil.copy(src / "data" / "cards" / "embeddings.yaml", dst / "data" / "cards")
    return dst
