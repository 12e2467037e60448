"""Commands for course authors and CI: validate (prove the course), render (its human-readable mirror)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app


@app.command()
def validate(
    course: Annotated[Optional[Path], typer.Option("--course", help="Course folder (default: this workspace or checkout).")] = None,
    json_: JsonOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Checks run at once (break proofs, then build validators).")] = 2,
    stale: Annotated[bool, typer.Option("--stale", help="Only the translations: fail where the English changed since one was made.")] = False,
    mutants: Annotated[bool, typer.Option("--mutants", help="Only the mutants of minimodel: report those no break check or build validator kills.")] = False,
    mutate: Annotated[Optional[list[str]], typer.Option("--mutate", help="With --mutants: mutate only this file (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="With --mutants: run this many, spread over all (0: every one).")] = 25,
    drafts: Annotated[bool, typer.Option("--drafts", help="With --mutants: make each survivor a draft break of its phase.")] = False,
) -> None:
    """Prove the course: every file loads, every break breaks its check and its fix restores it.

    Exit 1 on any failure; usable in CI.

    --stale checks only that every translation was made from the current English.

    --mutants reports only which mutants of minimodel survive every check.

    Example: lynx validate --json

    Example: lynx validate --stale

    Example: lynx validate --mutants --mutate src/minimodel/nn/rnn.py --limit 10 --drafts
    """
    from lynx.content.course import locate
    from lynx.term import validate_view

    if (mutate or drafts or limit != 25) and not mutants:
        raise typer.BadParameter("--mutate, --limit and --drafts go with --mutants")
    if stale and mutants:
        raise typer.BadParameter("--stale and --mutants are two runs: use one at a time")
    root = locate(course)
    if stale:
        from lynx.authoring.stale import stale_rows

        rows = stale_rows(root)
    elif mutants:
        from lynx.authoring.mutant_proofs import mutant_rows

        rows = mutant_rows(locate(course, fallback_to_bundled=False) if drafts else root, mutate, limit, jobs, drafts)
    else:
        from lynx.authoring.validate import validate as prove

        rows = prove(root, jobs=jobs)
    if json_:
        from lynx.term.console import print_json

        print_json(validate_view.as_json(root, rows))
    else:
        validate_view.show(rows)
    if not all(r.ok for r in rows):
        raise typer.Exit(1)


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="break or phase.")],
    phase: Annotated[str, typer.Argument(help="The phase: of the break, or the new phase's two-digit id.")],
    slug: Annotated[str, typer.Argument(help="Lower-case words with dashes: the folder's name after the id.")],
    file: Annotated[Optional[list[str]], typer.Option("--file", help="A break: a file of src/ it changes (repeatable).")] = None,
    course: Annotated[Optional[Path], typer.Option("--course", help="Course checkout (default: the current folder).")] = None,
    json_: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Scaffold a break (break.yaml with every field, an empty patch, a check template) or a phase.

    A break gets the next free id of its phase and is listed in the phase's `breaks:`; fill every TODO,
    then `lynx validate` says what is left.

    Example: lynx new break 14 truncated-bptt --file src/minimodel/nn/rnn.py

    Example: lynx new phase 18 scaling-laws
    """
    from lynx.authoring import scaffold
    from lynx.content.course import locate
    from lynx.i18n import resolve, t

    lang = resolve(lang)
    root = locate(course, fallback_to_bundled=False)
    if kind == "break":
        made = scaffold.new_break(root, phase, slug, file)
    elif kind == "phase":
        if file:
            raise typer.BadParameter("--file goes with `lynx new break`")
        made = scaffold.new_phase(root, phase, slug)
    else:
        raise typer.BadParameter(f"{kind!r}: say `break` or `phase`", param_hint="KIND")
    if json_:
        from lynx.term.console import print_json

        print_json({"kind": made.kind, "id": made.id, "folder": str(made.folder), "files": list(made.files)})
        return
    from lynx.term import console

    made_line = t("Made break {id} in {folder}:", lang, id=made.id, folder=made.folder) if made.kind == "break" \
        else t("Made phase {id} in {folder}:", lang, id=made.id, folder=made.folder)
    console.out(made_line)
    for f in made.files:
        console.out(f"  {f}")
    console.out(t("Next: fill every TODO, then run  lynx validate", lang))


@app.command()
def translated(
    files: Annotated[Optional[list[str]], typer.Argument(help="Content files whose translations are up to date.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Record every translation of the course (once, to start).")] = False,
    course: Annotated[Optional[Path], typer.Option("--course", help="Course checkout (default: the current folder).")] = None,
    lang: LangOpt = None,
) -> None:
    """Record that the translations in FILES were made from their current English (for validate --stale).

    Example: lynx translated data/quizzes/phase-13-embeddings.yaml phases/13-embeddings/theory/02-init-scale.es.md
    """
    from lynx.authoring.stale import RECORD, record
    from lynx.content.course import locate
    from lynx.i18n import nt, resolve

    lang = resolve(lang)
    if not files and not all_:
        raise typer.BadParameter("name the files whose translations you brought up to date, or pass --all")
    root = locate(course, fallback_to_bundled=False)
    done = record(root, None if all_ else list(files or []))
    from lynx.term import console

    console.out(nt("Recorded {n} translation in {record}.", "Recorded {n} translations in {record}.", len(done),
                   lang, record=RECORD))


@app.command()
def render(
    course: Annotated[Optional[Path], typer.Option("--course", help="Course folder holding data/ and phases/ (default: the workspace, else the current folder).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write the Markdown tree (default: <course>/docs).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the docs tree is not up to date.")] = False,
) -> None:
    """Write the human-readable mirror of every quiz and theory page as Markdown (English and Spanish).

    The output is deterministic; `mkdocs build --strict` turns it into a site.

    Example: lynx render --check
    """
    from lynx.authoring import mirror
    from lynx.content.course import locate

    root = locate(course, fallback_to_bundled=False)
    target = out if out is not None else root / "docs"
    if check:
        mirror.check(root, target)
        return
    written = mirror.write(root, target)
    typer.echo(f"rendered {len(written)} pages into {target}")
