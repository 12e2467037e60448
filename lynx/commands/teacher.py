"""`lynx class`: a teacher's view of a class, read from the learners' git remotes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app
from lynx.core.errors import LynxError


@app.command(name="class")
def class_(
    remote: Annotated[Optional[list[str]], typer.Option("--remote", "-r", help="A learner's git remote (repeat it).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="A class.yaml listing the remotes.")] = None,
    branches: Annotated[Optional[str], typer.Option("--branches", help="Each --remote holds one branch per learner matching this glob, e.g. '*' or 'learner/*'.")] = None,
    cache: Annotated[Optional[Path], typer.Option("--cache", help="Where fetched work is kept (default: .lynx/class in a workspace, else ~/.cache/lynx/class).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Remotes fetched at the same time.")] = 8,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A class at a glance: fetch each learner's pushed workspace (read-only) and tabulate their progress.

    Reads --remote URLs, or class.yaml (in the current folder, or --file):

      remotes:
        - url: git@school.example:ml/ana.git     # one repository per learner
        - {url: /srv/git/bob.git, name: bob}
        - {url: /srv/git/class.git, branches: "learner/*"}   # one branch per learner

    Example: lynx class --remote /srv/git/ana.git --remote /srv/git/bob.git --csv
    """
    from lynx.teacher import roster, table
    from lynx.term import class_view

    if csv and json_out:
        raise LynxError("use only one of --csv and --json", "pick one output format")
    remotes = [roster.Remote(url=roster.absolute(u), branches=branches) for u in remote or []]
    path = file or (Path("class.yaml") if not remotes and Path("class.yaml").is_file() else None)
    if path is not None:
        remotes += roster.read_class_file(path)
    if not remotes:
        raise LynxError("no learners' remotes given", "pass --remote URL (repeatable) or write a class.yaml with `remotes:`")
    rows, lang = table.class_table(remotes, cache, jobs, lang)
    if json_out:
        from lynx.term.console import print_json

        print_json(rows)
    elif csv:
        class_view.csv(rows)
    else:
        class_view.table(rows, lang)
    failed = table.failed(rows)
    if failed:
        class_view.failures(len(failed), len(rows))
