"""`lynx init`: a new workspace, a git repository holding a copy of the course and the learner's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from lynx.core.errors import LynxError
from lynx.core.faults import fault
from lynx.core.files import atomic_write_text
from lynx.i18n import choices, languages
from lynx.learner.workspace import LEARNER_RULE, valid_learner, write_config

COURSE_PARTS = ("phases", "breaks", "data", "src/minimodel")
GITIGNORE = """# lynx's machine-local state and Python's caches
.lynx/
__pycache__/
*.pyc
.pytest_cache/
"""


def create(target: Path, learner: str, lang: str, source: Path) -> Path:
    from lynx.vcs import git as gitrun
    from lynx.vcs import repo as reposmod

    if not valid_learner(learner):
        shown = learner if len(learner) <= 60 else learner[:60] + "…"
        raise LynxError(f"learner name {shown!r} is not valid", f"use {LEARNER_RULE}, e.g. `borja`")
    if lang not in languages():
        raise LynxError(f"unknown language {lang!r}", f"use {choices()}")
    gitrun.require_git()
    target = target.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise LynxError(f"{target} already exists and is not empty", "choose a new folder for the workspace")
    missing = [p for p in COURSE_PARTS if not (source / p).exists()]
    if missing:
        raise LynxError(f"{source} is not a lynx course (no {missing[0]})", "point --from at a folder with phases/ and breaks/")
    created = not target.exists()  # an empty folder the user made is emptied again on failure, not removed
    try:
        target.mkdir(parents=True, exist_ok=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
        for part in COURSE_PARTS:
            fault("copy", target / part)
            shutil.copytree(source / part, target / part, ignore=ignore)
        atomic_write_text(target / ".gitignore", GITIGNORE)
        write_config(target, learner, lang)
        learner_dir = target / "learners" / learner
        learner_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(learner_dir / "README.md",
                          f"# {learner}\n\nYour notes, predictions, quiz attempts and progress live here. lynx only appends.\n")
        reposmod.init(target)
        with reposmod.open_repo(target) as repo:
            repo.run("add", "--all", "--", ".")
            repo.run("commit", "--quiet", "--no-verify", "-m", f"lynx: new workspace for {learner}")
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in target.iterdir():
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        raise
    return target
