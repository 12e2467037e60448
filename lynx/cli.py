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
    _ctrl_c_works()
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()  # here, not at exit: a reader that went away (`| head`) is handled below
    except BrokenPipeError:
        code = _reader_gone()
    sys.exit(code)


def run(argv: list[str]) -> int:
    """Run one command line; every failure a user can fix becomes one `lynx: …` line on stderr. The exit code."""
    try:
        rv = _app_for(argv)(args=argv, prog_name="lynx", standalone_mode=False)
    except LynxError as exc:
        return _fail(exc.line(), exc.code)
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk, a file where a folder should be, an I/O error...: one line, not a traceback
        from lynx.core.errors import from_os_error

        err = from_os_error(exc)
        return _fail(err.line(), err.code)
    except RecursionError:  # a structure nested too deep for Python (JSON or YAML from elsewhere)
        return _fail("the input is nested too deeply to read — it is not a file lynx wrote; "
                     "`lynx recover` restores lynx's own files", 2)
    except typer.Abort as exc:  # Ctrl-D at a prompt
        sys.stderr.write("\n")
        return 130 if isinstance(exc.__cause__, KeyboardInterrupt) else 1
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except typer.TyperException as exc:  # Click's usage errors: one line, not a box
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            return 0
        where = ctx.command_path if ctx is not None else "lynx"
        return _fail(f"{exc.format_message()} — see `{where} --help`", getattr(exc, "exit_code", 2) or 2)
    return rv if isinstance(rv, int) else 0


def _fail(line: str, code: int) -> int:
    from lynx.core.untrusted import visible

    try:
        sys.stderr.write(f"lynx: {visible(' '.join(line.split()))}\n")
    except BrokenPipeError:
        pass
    return code


def _reader_gone() -> int:
    """stdout's reader closed the pipe (`lynx status | head -1`): stop quietly, as `git log | head` does.
    Python would print a second error while flushing at exit; stdout goes to /dev/null instead."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 1  # not everything was shown


def _ctrl_c_works() -> None:
    """At a terminal, Ctrl-C interrupts lynx even when the parent ignored SIGINT (a `nohup`, a background
    job): Python then leaves it ignored, and a prompt or a long check could not be stopped."""
    import signal

    try:
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN and sys.stdin is not None and sys.stdin.isatty():
            signal.signal(signal.SIGINT, signal.default_int_handler)
    except (ValueError, OSError):  # not the main thread, or no stdin
        pass
