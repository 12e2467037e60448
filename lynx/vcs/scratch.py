"""Git in scratch folders that are not repositories (or are lynx's own, thrown away after): apply a
patch to a copy of the reference code, or make a patch from two versions of some files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from lynx.vcs import git as gitrun

SCRATCH_IDENT = {"GIT_AUTHOR_NAME": "lynx", "GIT_AUTHOR_EMAIL": "lynx@invalid",
                 "GIT_COMMITTER_NAME": "lynx", "GIT_COMMITTER_EMAIL": "lynx@invalid"}


def apply(folder: Path, patch: Path, reverse: bool = False) -> str | None:
    """Apply ``patch`` to the files under ``folder``; None on success, else git's first line."""
    result = gitrun.run(["apply", *(["-R"] if reverse else []), str(patch)], folder)
    return None if result.status == 0 else (result.err.strip().splitlines() or ["?"])[0]


def diff(reference: Path, files: Sequence[str], changed: dict[str, Path]) -> str:
    """A `git diff` (a/ and b/ prefixes) that turns ``files`` as they are under ``reference`` into the
    files ``changed`` maps them to, made in a throwaway repository."""
    with tempfile.TemporaryDirectory(prefix="lynx-stub-") as tmp:
        work = Path(tmp)

        def git(*args: str) -> str:
            result = gitrun.run(args, work, env={**os.environ, **SCRATCH_IDENT})
            if result.status != 0:
                raise RuntimeError(f"git {args[0]} failed: {result.err.strip()}")
            return result.out

        for rel in files:
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(reference / rel, work / rel)
        git("init", "-q")
        git("add", "--", *files)
        git("commit", "-q", "-m", "reference")
        for rel in files:
            shutil.copyfile(changed[rel], work / rel)
        return git("diff", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--", *files)
