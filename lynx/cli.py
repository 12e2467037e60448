"""Entry point: registers the command modules and turns LynxError into one line and an exit code."""

from __future__ import annotations

import sys

import typer

from lynx.commands.app import app

# The order of these imports is the order of the commands in `lynx --help`.
from lynx.commands import workspace, loop  # noqa: F401,E402,I001  (each module registers its commands)
from lynx.commands import course, learn, lab, quiz, build, cards, report, teacher  # noqa: F401,E402,I001
from lynx.commands import handin  # noqa: F401,E402,I001  (submit, verify)
from lynx.core.errors import LynxError


def _app_for(argv: list[str]) -> typer.Typer:
    """Only the command being run: Typer turns every registered command into a Click command
    before running one (~15 ms for all of lynx's); `lynx hint` needs just its own."""
    if not argv or argv[0].startswith("-"):
        return app  # --help, completion, or no command: the whole app
    hits = [c for c in app.registered_commands
            if (c.name or c.callback.__name__.replace("_", "-")) == argv[0]]
    if len(hits) != 1:
        return app  # unknown command: let Typer say so, with suggestions
    one = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})
    one.callback()(lambda: None)  # keep it a group, so `lynx hint` still reads as a subcommand
    one.registered_commands = hits
    return one


def main() -> None:
    argv = sys.argv[1:]
    try:
        rv = _app_for(argv)(args=argv, prog_name="lynx", standalone_mode=False)
    except LynxError as exc:
        _fail(exc.line(), exc.code)
    except typer.Abort as exc:  # Ctrl-D at a prompt
        sys.stderr.write("\n")
        sys.exit(130 if isinstance(exc.__cause__, KeyboardInterrupt) else 1)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)
    except typer.TyperException as exc:  # Click's usage errors: one line, not a box
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            sys.exit(0)
        where = ctx.command_path if ctx is not None else "lynx"
        _fail(f"{exc.format_message()} — see `{where} --help`", getattr(exc, "exit_code", 2) or 2)
    sys.exit(rv if isinstance(rv, int) else 0)


def _fail(line: str, code: int) -> None:
    sys.stderr.write(f"lynx: {' '.join(line.split())}\n")
    sys.exit(code)
