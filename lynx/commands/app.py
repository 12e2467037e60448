"""The Typer application every command module registers on, and the options many commands share.

Keep this and every ``lynx/commands/*.py`` module free of heavy imports (git, numpy, yaml, fsrs,
rich.markdown) at their top: they load for every command, even --help. A command parses its
arguments, calls one use case (``lynx.activities``, ``lynx.teacher``, ``lynx.authoring``) and hands
what it returns to the presentation layer (``lynx.term``).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="lynx",
    help=(
        "Learn machine-learning internals by breaking working code on purpose.\n\n"
        "Start with:  lynx init ~/course --learner NAME  then  cd ~/course && lynx break 13"
    ),
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from lynx import __version__

        typer.echo(f"lynx {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of every command after it: en or es.")] = None,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show lynx's version and exit.")] = False,
) -> None:
    """Learn machine-learning internals by breaking working code on purpose.

    With no command: where you are and what to do next (`lynx status`), or this help outside a workspace.
    """
    if lang is not None:
        import os

        from lynx.i18n import resolve

        os.environ["LYNX_LANG"] = resolve(lang)  # the command's own --lang still wins
    if ctx.invoked_subcommand is None:
        from lynx.content.course import find_workspace_root

        if find_workspace_root() is None:
            typer.echo(ctx.get_help())
            raise typer.Exit()
        status = next(c.callback for c in app.registered_commands if c.name == "status")  # no import: no circle
        ctx.invoke(status, json_=False, lang=None)

# Options shared by many commands.
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Language: en or es (default: LYNX_LANG, then the workspace's).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]
LearnerOpt = Annotated[Optional[str], typer.Option("--learner", help="Act as this learner (default: the workspace's).")]
