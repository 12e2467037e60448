"""A break: a known bug as data (`breaks/NN-MM-slug/`): break.yaml, break.patch, a check, maybe fix.patch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lynx.content.fields import ContentError, Fields, bilingual, load_yaml, read_content
from lynx.content.outcome import Outcome, parse_outcome
from lynx.content.outcome import from_data as outcome_from_data

BREAK_KEYS = ("id", "phase", "title", "summary", "files", "prompt", "symptom", "cause", "hints", "why",
              "observe", "check", "timeout", "cards", "outcome", "departs")
# Where `lynx run --compare` finds the two runs part (lynx.activities.compare.culprit): a module's path, or
# one of the words for the places that are not a module.
DEPARTS_RE = re.compile(r"^(?:loss|crash|none|no-module|program|[A-Za-z_]\w*(?:#\d+)?(?:\.\w+(?:#\d+)?)*)$")
BREAK_ID_RE = re.compile(r"^[a-z0-9]{1,16}-[a-z0-9]{1,32}\Z")
MAX_PATCH_BYTES = 200_000


@dataclass(frozen=True)
class Break:
    id: str
    phase: str
    dir: Path
    title: dict[str, str]
    summary: dict[str, str]
    files: list[str]
    prompt: dict[str, str]
    symptom: dict[str, str]
    cause: dict[str, str]
    hints: list[dict[str, str]]
    why: dict[str, str]
    observe: list[str]
    check: str
    timeout: int = 120
    cards: list[str] = field(default_factory=list)
    outcome: Outcome | None = None  # what a scored prediction is scored against (lynx.content.outcome)
    departs: str | None = None      # where `lynx run --compare` sees the runs part: a module path, loss, ...

    @property
    def patch(self) -> Path:
        return self.dir / "break.patch"

    @property
    def fix_patch(self) -> Path | None:
        p = self.dir / "fix.patch"
        return p if p.is_file() else None

    @property
    def check_path(self) -> Path:
        return self.dir / self.check


def patch_paths(patch: Path, text: str | None = None) -> list[str]:
    """Every path a git-style patch names (both sides), checked to stay under `src/`."""
    if text is None:
        text = read_content(patch, "patch", MAX_PATCH_BYTES)
    paths: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        names: list[str] = []
        if line.startswith("diff --git "):
            names = line[len("diff --git "):].split()
        elif line.startswith(("--- ", "+++ ")):
            names = [line[4:].split("\t")[0].strip()]
        elif line.startswith(("rename from ", "rename to ", "copy from ", "copy to ")):
            names = ["x/" + line.split(" ", 2)[2]]
        elif line.startswith(("new file mode 120000", "old mode 120000", "new mode 120000", "deleted file mode 120000")):
            raise ContentError(patch, f"line {n}", "patches may not create or change symlinks")
        for name in names:
            if name == "/dev/null":
                continue
            rel = name[2:] if name[:2] in ("a/", "b/", "x/") else name
            problem = unsafe_path(rel)
            if problem:
                raise ContentError(patch, f"line {n}", f"path {rel!r} {problem}",
                                   "a break patch may only touch files under src/")
            if rel not in paths:
                paths.append(rel)
    if not paths:
        raise ContentError(patch, "", "the patch names no file", "write it with `git diff` (a/ and b/ prefixes)")
    return paths


def unsafe_path(rel: str) -> str | None:
    p = PurePosixPath(rel)
    if p.is_absolute() or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        return "is absolute"
    if ".." in p.parts:
        return "leaves the workspace (..)"
    if not p.parts or p.parts[0] != "src" or len(p.parts) < 2:
        return "is outside src/"
    if ".git" in p.parts:
        return "touches .git"
    return None


def parse_break(path: Path) -> dict[str, Any]:
    """Load and check `break.yaml` and its patch; returns plain data (cacheable as JSON)."""
    f = Fields(path, load_yaml(path))
    f.only(BREAK_KEYS)
    bid = f.id("id", BREAK_ID_RE)
    phase = f.id("phase")
    folder = path.parent.name
    if not (folder == bid or folder.startswith(bid + "-")):
        raise ContentError(path, "id", f"id {bid!r} does not match its folder {folder!r}", f"name the folder `{bid}-<slug>`")
    if not bid.startswith(phase + "-"):
        raise ContentError(path, "phase", f"break {bid} is not in phase {phase}", f"ids of phase {phase} start with `{phase}-`")
    files = f.strs("files", min_len=1)
    for i, rel in enumerate(files):
        problem = unsafe_path(rel)
        if problem:
            raise ContentError(path, f"files[{i}]", f"path {rel!r} {problem}", "list only files under src/")
    hints = f.list("hints", min_len=3)
    hint_texts = [bilingual(path, f"hints[{i}]", h) for i, h in enumerate(hints)]
    observe = f.strs("observe", min_len=1)
    check = f.str("check")
    if "/" in check or not check.endswith(".py"):
        raise ContentError(path, "check", f"{check!r} is not a pytest file in the break folder", "use e.g. `check: check_test.py`")
    if not (path.parent / check).is_file():
        raise ContentError(path, "check", f"{check} not found next to break.yaml")
    departs = f.str("departs", default=None) if f.has("departs") else None
    if departs is not None and not DEPARTS_RE.match(departs):
        raise ContentError(path, "departs", f"{departs!r} is not a module path (GPT.blocks.0.attn) nor loss, crash, "
                           "none, no-module or program", "write where `lynx run --compare` sees the runs part")
    timeout = f.int("timeout", default=120)
    if not 1 <= timeout <= 3600:
        raise ContentError(path, "timeout", f"{timeout} s is out of range", "use 1..3600 seconds")
    touched = patch_paths(path.parent / "break.patch")
    extra = [p for p in touched if p not in files]
    if extra:
        raise ContentError(path.parent / "break.patch", "", f"touches {extra[0]}, which break.yaml's `files` does not list",
                           "add it to `files:`")
    fix = path.parent / "fix.patch"
    if fix.exists():
        extra = [p for p in patch_paths(fix) if p not in files]
        if extra:
            raise ContentError(fix, "", f"touches {extra[0]}, which break.yaml's `files` does not list")
    return {
        "id": bid, "phase": phase, "files": files, "observe": observe, "check": check, "timeout": timeout,
        "title": f.bilingual("title"), "summary": f.bilingual("summary"), "prompt": f.bilingual("prompt"),
        "symptom": f.bilingual("symptom"), "cause": f.bilingual("cause"), "why": f.bilingual("why"),
        "hints": hint_texts, "cards": f.strs("cards", default=[]),
        "outcome": parse_outcome(path, f.data["outcome"]) if f.has("outcome") else None, "departs": departs,
    }


def from_data(path: Path, data: dict[str, Any]) -> Break:
    return Break(dir=path.parent, **{**data, "outcome": outcome_from_data(data.get("outcome"))})
