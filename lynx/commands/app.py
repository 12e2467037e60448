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
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options shared by many commands.
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Language: en or es (default: LYNX_LANG, then the workspace's).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]
LearnerOpt = Annotated[Optional[str], typer.Option("--learner", help="Act as this learner (default: the workspace's).")]
