"""`lynx report` (a learner's prediction calibration) and `lynx class` (a teacher's view of a class)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.app import JsonOpt, LangOpt, LearnerOpt, app
from lynx.errors import LynxError


@app.command()
def report(
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also write a PNG chart here (needs matplotlib).")] = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """How often your predictions were right, per phase and over time, and which breaks surprised you most.

    After `lynx done` you say whether your prediction was right (y / partly / n); this is the tally.

    Example: lynx report --plot calibration.png
    """
    from lynx import i18n, workspace
    from lynx import report as rep

    ws = workspace.load(learner=learner)
    lang = i18n.resolve(lang, ws.lang)
    data = rep.build(ws, lang)
    if plot is not None:
        data["plot"] = str(rep.plot(data, plot, lang))
    if json_out:
        from lynx.ui import print_json

        print_json(data)
        return
    rep.show(data, lang)
    if plot is not None:
        print(f"\n→ {data['plot']}")


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
    from lynx import i18n, klass
    from lynx.card import now

    if csv and json_out:
        raise LynxError("use only one of --csv and --json", "pick one output format")
    remotes = [klass.Remote(url=_abs(u), branches=branches) for u in remote or []]
    path = file or (Path("class.yaml") if not remotes and Path("class.yaml").is_file() else None)
    if path is not None:
        remotes += klass.read_class_file(path)
    if not remotes:
        raise LynxError("no learners' remotes given", "pass --remote URL (repeatable) or write a class.yaml with `remotes:`")
    where = klass.Setting.find(cache)
    lang = i18n.resolve(lang, where.lang)
    learners = klass.collect(remotes, klass.ClassCache(where.cache), jobs)
    table = klass.rows(learners, now(), where.course, workspace_course=where.in_workspace)
    if json_out:
        from lynx.ui import print_json

        print_json(table)
    elif csv:
        klass.write_csv(table)
    else:
        klass.print_table(table, lang)
    failed = [r for r in table if r["note"].startswith(("unreachable", "fetch failed", "no branch"))]  # rows kept, noted
    if failed:
        import sys

        sys.stderr.write(f"lynx: {len(failed)} of {len(table)} remotes could not be read (see the note column)\n")


def _abs(url: str) -> str:
    """A local path given on the command line is made absolute (git runs elsewhere)."""
    p = Path(url).expanduser()
    return str(p.resolve()) if "://" not in url and p.exists() else url
