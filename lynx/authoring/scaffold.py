"""`lynx new`: the files of a new break or phase, every field present and marked TODO, so an author fills
in text instead of remembering a schema. `lynx validate` then says what is still missing (an empty patch
does not apply; a template check does not fail on the bug)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lynx.content.course import Course
from lynx.core.errors import LynxError
from lynx.core.files import atomic_write_text as atomic_write
from lynx.i18n import languages

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
TODO = "TODO"


@dataclass(frozen=True)
class Scaffolded:
    """What `lynx new` made: the new id, its folder, and every file written or changed (relative to the course)."""

    kind: str
    id: str
    folder: Path
    files: tuple[str, ...]


def _todo(what: str, indent: int) -> str:
    """A bilingual TODO field: one line per language."""
    pad = " " * indent
    return "".join(f"\n{pad}{lang}: \"{TODO} ({lang}): {what}\"" for lang in languages())


def break_yaml(bid: str, phase: str, files: list[str], note: str = "") -> str:
    def field(name: str, what: str) -> str:
        return f"{name}:{_todo(what, 2)}\n"

    def item(what: str, indent: int) -> str:
        """A list item that is a bilingual mapping: ``- en: ...`` then ``es: ...`` under it."""
        lines = _todo(what, indent + 2).splitlines()[1:]
        return " " * indent + "- " + lines[0].lstrip() + "".join("\n" + line for line in lines[1:]) + "\n"

    hints = "".join(item(w, 2) for w in ("where to look first", "what to compare", "the line and the fix"))
    return (
        (f"# {note}\n" if note else "")
        + f"# Draft break made by `lynx new break`. Fill every TODO, write break.patch (a git diff\n"
        f"# against the reference src/) and check_test.py, then run `lynx validate`. Fields: docs/design.md.\n"
        f"id: {bid}\nphase: \"{phase}\"\n"
        + field("title", "a short title, the bug in a few words")
        + field("summary", "what changed, in the learner's terms, without giving the cause away")
        + f"files: [{', '.join(files)}]\n"
        + field("prompt", "what the observation program shows, and the question the learner predicts")
        + field("symptom", "what `lynx run` shows with the bug in, with its measured numbers")
        + field("cause", "the hidden cause, one or two sentences")
        + "hints:\n" + hints
        + field("why", "why practitioners meet this bug, and how to find it fast (cite the source)")
        + "observe: [python, -m, minimodel.programs.TODO]\n"
        + "departs: TODO  # where `lynx run --compare` sees the runs part: a module path, loss, crash, none, ...\n"
        + "check: check_test.py\ntimeout: 120\ncards: []\n"
        + "outcome:\n  question:" + _todo("the question a scored prediction answers", 4) + "\n"
        + "  options:\n"
        + "    - text:" + _todo("what happens if the bug were harmless", 8) + "\n"
        + "      when: {exit: ok, measure: {TODO_measure: [0, 1]}}\n"
        + "    - text:" + _todo("what really happens", 8) + "\n"
        + "      right: true\n      when: {exit: ok, measure: {TODO_measure: [2, 3]}}\n"
        + "    - text:" + _todo("the program crashes", 8) + "\n      when: {exit: error}\n"
    )


CHECK_TEMPLATE = '''"""Check for break {bid}: TODO say what must hold on correct code.

Runs against the learner's src/ (cwd = workspace root). It must PASS on the reference code and FAIL
with break.patch applied; `lynx validate` proves both.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np  # noqa: E402

import minimodel  # noqa: E402,F401


def test_todo_the_property_the_bug_breaks():
    """TODO: the first line of this docstring is what `lynx check` calls the check."""
    np.testing.assert_allclose(np.zeros(3), np.zeros(3))  # TODO: compare the code with a reference computation
'''


def new_break(root: Path, phase: str, slug: str, files: list[str] | None = None, patch: str = "",
              note: str = "") -> Scaffolded:
    """A draft break ``<phase>-NN-<slug>`` (the next free NN), listed in its phase's ``breaks:``."""
    course = Course(root, use_cache=False)
    _slug(slug)
    ph = course.phase(phase)
    taken = {b.split("-", 1)[1] for b in course.break_ids() if b.startswith(ph.id + "-")} | set(ph.breaks)
    n = next(i for i in range(100) if f"{i:02d}" not in {t.split("-")[-1] for t in taken})
    bid = f"{ph.id}-{n:02d}"
    folder = root / "breaks" / f"{bid}-{slug}"
    if folder.exists():
        raise LynxError(f"{folder.relative_to(root)} already exists", "pick another slug")
    files = files or ["src/minimodel/TODO.py"]
    for rel in files:
        if not rel.startswith("src/") or ".." in Path(rel).parts:
            raise LynxError(f"--file {rel!r} is not under src/", "name a file of the reference code, e.g. src/minimodel/nn/rnn.py")
    manifest = ph.manifest
    listed = _with_break(manifest.read_text(encoding="utf-8"), bid, manifest)
    folder.mkdir(parents=True)
    atomic_write(folder / "break.yaml", break_yaml(bid, ph.id, files, note))
    atomic_write(folder / "break.patch", patch)
    atomic_write(folder / "check_test.py", CHECK_TEMPLATE.format(bid=bid))
    atomic_write(manifest, listed)
    rel = [str((folder / f).relative_to(root)) for f in ("break.yaml", "break.patch", "check_test.py")]
    return Scaffolded("break", bid, folder, (*rel, str(manifest.relative_to(root))))


def _with_break(text: str, bid: str, path: Path) -> str:
    """phase.yaml with ``bid`` appended to its one-line ``breaks: [...]`` (the only form lynx rewrites)."""
    m = re.search(r"^breaks:[ \t]*\[([^\]\n]*)\][ \t]*$", text, re.M)
    if not m:
        raise LynxError(f"{path}: `breaks:` is not a one-line list like `breaks: [14-00, 14-01]`",
                        "write it on one line, then run `lynx new break` again")
    items = [x.strip() for x in m.group(1).split(",") if x.strip()]
    return text[:m.start()] + f"breaks: [{', '.join([*items, bid])}]" + text[m.end():]


def _slug(slug: str) -> None:
    if not SLUG_RE.match(slug):
        raise LynxError(f"slug {slug!r} is not lower-case letters, digits and dashes", "e.g. truncated-bptt")


def new_phase(root: Path, pid: str, slug: str) -> Scaffolded:
    """A phase ``phases/<pid>-<slug>/``: phase.yaml (no breaks yet) and a first theory page in every language."""
    _slug(slug)
    if not re.match(r"^[0-9]{2}$", pid):
        raise LynxError(f"phase id {pid!r} is not two digits", "e.g. lynx new phase 18 scaling-laws")
    if pid in Course(root, use_cache=False).phase_ids():
        raise LynxError(f"phase {pid} already exists", "pick the next free number (`lynx phases` lists them)")
    folder = root / "phases" / f"{pid}-{slug}"
    if folder.exists():
        raise LynxError(f"{folder.relative_to(root)} already exists", "pick another slug")
    pages = "".join(f"\n      {lang}: theory/01-{slug}.{lang}.md" for lang in languages())
    manifest = (
        "# Draft phase made by `lynx new phase`. Fill every TODO; add breaks with `lynx new break "
        f"{pid} SLUG`.\n# Optional keys: quiz, build, labs (docs/design.md).\n"
        f"id: \"{pid}\"\ntitle:{_todo('the phase title', 2)}\nsummary:{_todo('what the learner builds and breaks', 2)}\n"
        f"breaks: []\npages:\n  - id: \"01\"\n    title:{_todo('the first page', 6)}\n    file:{pages}\n")
    folder.mkdir(parents=True)
    (folder / "theory").mkdir()
    written = ["phase.yaml"]
    atomic_write(folder / "phase.yaml", manifest)
    for lang in languages():
        name = f"theory/01-{slug}.{lang}.md"
        atomic_write(folder / name, f"# {TODO} ({lang})\n\n{TODO}: every number on a page is computed by the "
                                    "course's code and pinned by a test in tests/content/.\n")
        written.append(name)
    return Scaffolded("phase", pid, folder, tuple(str((folder / w).relative_to(root)) for w in written))
