"""`lynx class`: a teacher's view of a class, read from the learners' git remotes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app
from lynx.core.errors import LynxError


@app.command(name="class")
def class_(
    name: Annotated[Optional[str], typer.Argument(help="One learner in detail (their name as the table shows it).")] = None,
    remote: Annotated[Optional[list[str]], typer.Option("--remote", "-r", help="A learner's git remote (repeat it).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="A class.yaml listing the remotes (and a roster).")] = None,
    branches: Annotated[Optional[str], typer.Option("--branches", help="Each --remote holds one branch per learner matching this glob, e.g. '*' or 'learner/*'.")] = None,
    cache: Annotated[Optional[Path], typer.Option("--cache", help="Where fetched work is kept (default: .lynx/class in a workspace, else ~/.cache/lynx/class).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Remotes read (and checks run) at the same time.")] = 8,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds for each git call to a remote; one that never answers becomes its row's note.")] = 30.0,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The class as it stood then, from the repositories' history: a date (its end, UTC) or an ISO time.")] = None,
    verify: Annotated[bool, typer.Option("--verify", help="Re-run the check of every break and build each learner calls done, on their code, sandboxed.")] = False,
    verify_timeout: Annotated[float, typer.Option("--verify-timeout", min=1, help="Seconds for one run of a learner's code under --verify.")] = 300.0,
    items: Annotated[bool, typer.Option("--items", help="Item analysis: per quiz question, break and card, for the whole class.")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write one self-contained HTML report to this file.")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A class at a glance: read each learner's pushed workspace (read-only) and tabulate their progress.

    Reads --remote URLs, or class.yaml (in the current folder, or --file):

      learners:                                   # a roster (optional): who is expected
        - {name: Ana Pérez, id: s014, email: ana@school.example, remote: /srv/git/ana.git}
      remotes:
        - git@school.example:ml/bob.git           # one repository per learner
        - {url: /srv/git/class.git, branches: "learner/*"}   # one branch per learner

    Exit 0 when every remote was read, 1 when some could not be (or, with --verify, when a claim fails), 2 on bad input.

    Example: lynx class --remote /srv/git/ana.git --remote /srv/git/bob.git --csv

    Example: lynx class --items --verify --html report.html

    Example: lynx class ana --as-of 2026-10-01
    """
    from lynx.teacher import classroom, roster
    from lynx.term import class_view

    if sum((csv, json_out)) > 1:
        raise LynxError("use only one of --csv and --json", "pick one output format")
    if html is not None and (csv or json_out or items or name):
        raise LynxError("--html writes a whole report", "run it without --csv, --json, --items or a name")
    if csv and name:
        raise LynxError("--csv is for the class table and --items", "use --json for one learner")
    remotes = [roster.Remote(url=roster.absolute(u), branches=branches) for u in remote or []]
    path = file or (Path("class.yaml") if not remotes and Path("class.yaml").is_file() else None)
    if path is not None:
        remotes += roster.read_class_file(path)
    if not remotes:
        raise LynxError("no learners' remotes given", "pass --remote URL (repeatable) or write a class.yaml with `remotes:`")
    when = _deadline(as_of) if as_of else None
    req = classroom.Request(remotes, cache, jobs, lang, timeout, when, verify, verify_timeout, items, name,
                            everything=html is not None)
    with class_view.progress([class_view.READING, class_view.VERIFYING], lang or "en") as (fetching, verifying):
        result = classroom.run(req, fetching, verifying)
    show = result.lang
    if html is not None:
        from lynx.term import class_html

        class_html.write(html, result)
        class_html.written(html, show)
    elif name is not None:
        from lynx.term import learner_view
        from lynx.term.console import print_json

        if json_out:
            print_json(result.detail)
        else:
            learner_view.show(result.detail, show)
    elif items:
        from lynx.term import items_view
        from lynx.term.console import print_json

        if json_out:
            print_json(result.items)
        elif csv:
            items_view.csv(result.items)
        else:
            items_view.tables(result.items, show)
    elif json_out:
        from lynx.term.console import print_json

        print_json(result.rows)
    elif csv:
        class_view.csv(result.rows, verify)
    else:
        class_view.table(result.rows, show, verify)
    class_view.warnings(result.warnings, show)
    class_view.failures(result.failed, result.total, show)
    failing = sum(r.get("claims_failed") or 0 for r in result.rows) if verify else 0
    class_view.claims_failed(failing, sum(1 for r in result.rows if r.get("claims_failed")), show)
    if result.failed or failing:
        raise typer.Exit(1)


def _deadline(value: str):
    """``--as-of``: a date (the end of that day, UTC) or an ISO 8601 time (UTC when it names no zone)."""
    from datetime import datetime, time, timedelta, timezone

    v = value.strip()
    try:
        if len(v) == 10:
            day = datetime.strptime(v, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return datetime.combine(day.date(), time(23, 59, 59), timezone.utc)
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise LynxError(f"--as-of {value!r} is not a date", "write 2026-10-01 or 2026-10-01T18:00Z") from None
    return (dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt).astimezone(timezone.utc) + timedelta(0)
