"""Make a large course for the scale benchmark: 500 phases and 2,000 breaks by default.

The bundled course (phases, breaks, quizzes, decks, src/minimodel) is copied as it is, then
generated phases are added until the course has --phases phases and --breaks breaks. Each
generated phase has a manifest with two theory pages (en + es), a quiz of four questions and a
deck of four flashcards; its breaks are copies of bundled break 13-00 under new ids, so
`lynx break 401` applies a real patch to the real src/minimodel and its check really runs.

    python benchmarks/make_course.py /tmp/big                  # 500 phases, 2,000 breaks
    python benchmarks/make_course.py /tmp/big --phases 50 --breaks 200
    lynx init /tmp/big-ws --learner perf --from /tmp/big --yes  # a workspace on it

Generated ids start at 100, so the bundled phases (13-17) keep theirs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_PARTS = ("phases", "breaks", "data", "src/minimodel")
TEMPLATE_BREAK = "13-00"
FIRST_ID = 100


def _dump(data) -> str:
    import yaml

    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=110)


def _bilingual(en: str, es: str) -> dict[str, str]:
    return {"en": en, "es": es}


def _template_break(source: Path) -> Path:
    hits = sorted(source.glob(f"breaks/{TEMPLATE_BREAK}-*/break.yaml"))
    if not hits:
        sys.exit(f"make_course: {source} has no breaks/{TEMPLATE_BREAK}-*/break.yaml to copy")
    return hits[0].parent


def _split(total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` buckets, as even as possible (the first ones get the extra)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def make(target: Path, phases: int = 500, breaks: int = 2000, source: Path = REPO) -> dict[str, int]:
    """Write the course into ``target`` (must not exist); returns what it holds."""
    import yaml

    if target.exists():
        sys.exit(f"make_course: {target} already exists; choose a new folder")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for part in COURSE_PARTS:
        shutil.copytree(source / part, target / part, ignore=ignore)
    have_phases = len({p.parent.name.split("-", 1)[0] for p in (target / "phases").glob("*/phase.yaml")})
    have_breaks = len(list((target / "breaks").glob("*/break.yaml")))
    new_phases, new_breaks = phases - have_phases, breaks - have_breaks
    if new_phases <= 0 or new_breaks < 0:
        sys.exit(f"make_course: the bundled course already has {have_phases} phases and {have_breaks} breaks")

    tpl = _template_break(source)
    tpl_break = yaml.load((tpl / "break.yaml").read_text(encoding="utf-8"),
                          Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    tpl_patch = (tpl / "break.patch").read_bytes()
    tpl_check = (tpl / "check_test.py").read_bytes()

    for n, (i, count) in enumerate(zip(range(FIRST_ID, FIRST_ID + new_phases), _split(new_breaks, new_phases))):
        pid = str(i)
        bids = [f"{pid}-{k:02d}" for k in range(count)]
        pdir = target / "phases" / f"{pid}-generated"
        (pdir / "theory").mkdir(parents=True)
        pages = []
        for k in (1, 2):
            files = {}
            for lang, word in (("en", "Page"), ("es", "Página")):
                name = f"theory/{k:02d}-page.{lang}.md"
                (pdir / name).write_text(f"# {word} {k} — {pid}\n\n" + ("Lorem ipsum dolor sit amet. " * 40) + "\n",
                                         encoding="utf-8")
                files[lang] = name
            pages.append({"id": f"{k:02d}", "title": _bilingual(f"Page {k}", f"Página {k}"), "file": files})
        manifest = {
            "id": pid,
            "title": _bilingual(f"Generated phase {pid}", f"Fase generada {pid}"),
            "summary": _bilingual(f"A generated phase ({n + 1} of {new_phases}) for the scale benchmark.",
                                  f"Una fase generada ({n + 1} de {new_phases}) para la prueba de escala."),
            "breaks": bids,
            "quiz": f"phase-{pid}",
            "pages": pages,
        }
        (pdir / "phase.yaml").write_text(_dump(manifest), encoding="utf-8")

        for bid in bids:
            bdir = target / "breaks" / f"{bid}-generated"
            bdir.mkdir()
            data = dict(tpl_break, id=bid, phase=pid)
            data.pop("cards", None)
            (bdir / "break.yaml").write_text(_dump(data), encoding="utf-8")
            (bdir / "break.patch").write_bytes(tpl_patch)
            (bdir / "check_test.py").write_bytes(tpl_check)

        quiz = {
            "id": f"phase-{pid}",
            "phase": pid,
            "title": _bilingual(f"Quiz of phase {pid}", f"Cuestionario de la fase {pid}"),
            "questions": [{
                "id": f"q-{pid}-{q:02d}",
                "kind": "single",
                "topic": _bilingual(f"Topic {q}", f"Tema {q}"),
                "prompt": _bilingual(f"Is {q} + {q} equal to {2 * q}?", f"¿Es {q} + {q} igual a {2 * q}?"),
                "options": [{"text": _bilingual("yes", "sí"), "correct": True}, {"text": _bilingual("no", "no")}],
                "explanation": _bilingual(f"{q} + {q} = {2 * q}.", f"{q} + {q} = {2 * q}."),
            } for q in range(1, 5)],
        }
        (target / "data" / "quizzes" / f"phase-{pid}-generated.yaml").write_text(_dump(quiz), encoding="utf-8")
        deck = {
            "id": f"generated-{pid}",
            "title": _bilingual(f"Phase {pid}", f"Fase {pid}"),
            "cards": [{
                "id": f"c-{pid}-{c:02d}", "phase": pid, "tags": ["generated"],
                "term": _bilingual(f"Term {c}", f"Término {c}"),
                "front": _bilingual(f"Card {c} of phase {pid}: front", f"Tarjeta {c} de la fase {pid}: anverso"),
                "back": _bilingual(f"Card {c}: back", f"Tarjeta {c}: reverso"),
            } for c in range(1, 5)],
        }
        (target / "data" / "cards" / f"generated-{pid}.yaml").write_text(_dump(deck), encoding="utf-8")
    return {"phases": have_phases + new_phases, "breaks": have_breaks + new_breaks}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target", type=Path, help="new folder for the course")
    ap.add_argument("--phases", type=int, default=500)
    ap.add_argument("--breaks", type=int, default=2000)
    ap.add_argument("--source", type=Path, default=REPO, help="course to start from (default: this checkout)")
    a = ap.parse_args()
    got = make(a.target.resolve(), a.phases, a.breaks, a.source.resolve())
    print(f"{a.target}: {got['phases']} phases, {got['breaks']} breaks")


if __name__ == "__main__":
    main()
