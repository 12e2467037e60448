"""A build challenge as data: `phases/NN-slug/<build>/build.yaml`, its stub patch, its validator tests.

`lynx build 13` puts the stub on a branch of its own; the validator (pytest files in `tests/`)
checks the learner's code; three conceptual questions follow (parsed as quiz questions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lynx.content.breaks import patch_paths, unsafe_path
from lynx.content.fields import ContentError, Fields, bilingual, load_yaml
from lynx.content.quiz import Question, parse_question
from lynx.core.errors import LynxError

if TYPE_CHECKING:
    from lynx.content.course import Course

BUILD_KEYS = ("id", "title", "objective", "background", "constraints", "steps", "pitfalls", "files", "stub",
              "tests", "questions", "timeout")
QUESTION_ID = re.compile(r"^bq-\d{2}-\d{2,}$")  # bq-13-01: a build question, not a quiz question


@dataclass(frozen=True)
class Build:
    id: str
    phase: str
    dir: Path
    title: dict[str, str]
    objective: dict[str, str]
    background: dict[str, str]
    constraints: tuple[dict[str, str], ...]
    steps: tuple[dict[str, str], ...]
    pitfalls: tuple[dict[str, str], ...]
    files: tuple[str, ...]
    stub: Path
    tests: Path
    questions: tuple[Question, ...]
    timeout: int = 300


def parse_build(path: Path, phase_id: str) -> Build:
    """Load and check `build.yaml` (schema in docs/design.md); the first problem raises ContentError."""
    f = Fields(path, load_yaml(path))
    f.only(BUILD_KEYS)
    bid = f.str("id")
    if bid != phase_id:
        raise ContentError(path, "id", f"id {bid!r} is not its phase's id {phase_id!r}", f'use id: "{phase_id}"')

    def texts(key: str) -> tuple[dict[str, str], ...]:
        return tuple(bilingual(path, f"{key}[{i}]", v) for i, v in enumerate(f.list(key, min_len=1)))

    files = tuple(f.strs("files", min_len=1))
    for i, rel in enumerate(files):
        problem = unsafe_path(rel)
        if problem:
            raise ContentError(path, f"files[{i}]", f"path {rel!r} {problem}", "list only files under src/")
    stub = path.parent / f.str("stub")
    extra = [p for p in patch_paths(stub) if p not in files]
    if extra:
        raise ContentError(stub, "", f"touches {extra[0]}, which build.yaml's `files` does not list", "add it to `files:`")
    tests = path.parent / f.str("tests")
    if not tests.is_dir() or not any(tests.glob("test_*.py")):
        raise ContentError(path, "tests", f"{tests.name}/ holds no test_*.py file", "put the validator's pytest files there")
    questions = []
    for i, item in enumerate(f.list("questions", min_len=1)):
        q = parse_question(path, i, item, QUESTION_ID)
        if not q.id.startswith(f"bq-{phase_id}-"):
            raise ContentError(path, f"questions[{i}].id", f"{q.id!r} is not a question of build {phase_id}",
                               f"use bq-{phase_id}-NN")
        questions.append(q)
    if len({q.id for q in questions}) != len(questions):
        raise ContentError(path, "questions", "two questions share an id")
    timeout = f.int("timeout", default=300)
    return Build(id=bid, phase=phase_id, dir=path.parent, title=f.bilingual("title"), objective=f.bilingual("objective"),
                 background=f.bilingual("background"), constraints=texts("constraints"), steps=texts("steps"),
                 pitfalls=texts("pitfalls"), files=files, stub=stub, tests=tests, questions=tuple(questions),
                 timeout=timeout)


def load(course: "Course", phase_id: str) -> Build:
    """The build challenge of phase ``phase_id``."""
    ph = course.phase(phase_id)
    if not ph.build_dir:
        raise LynxError(f"phase {ph.id} has no build challenge", "run `lynx phases` to see which phases have one")
    return parse_build(ph.build_dir / "build.yaml", ph.id)
