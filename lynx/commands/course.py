"""Commands for course authors and CI: validate (prove the course), render (its human-readable mirror)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, app


@app.command()
def validate(
    course: Annotated[Optional[Path], typer.Option("--course", help="Course folder (default: this workspace or checkout).")] = None,
    json_: JsonOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Checks run at once (break proofs, then build validators).")] = 2,
) -> None:
    """Prove the course: every file loads, every break breaks its check and its fix restores it.

    Exit 1 on any failure; usable in CI.

    Example: lynx validate --json
    """
    from lynx.authoring.validate import validate as prove
    from lynx.content.course import locate
    from lynx.term import validate_view

    root = locate(course)
    rows = prove(root, jobs=jobs)
    if json_:
        from lynx.term.console import print_json

        print_json(validate_view.as_json(root, rows))
    else:
        validate_view.show(rows)
    if not all(r.ok for r in rows):
        raise typer.Exit(1)


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
