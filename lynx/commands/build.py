"""`lynx build`: a build challenge (write a minimodel piece yourself), checked by a validator."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.app import JsonOpt, LangOpt, app
from lynx.errors import LynxError

L = {
    "objective": {"en": "Objective", "es": "Objetivo"},
    "background": {"en": "Background", "es": "Contexto"},
    "constraints": {"en": "Constraints", "es": "Restricciones"},
    "steps": {"en": "Steps", "es": "Pasos"},
    "pitfalls": {"en": "Pitfalls", "es": "Errores típicos"},
    "started": {"en": "Stub applied on branch [bold]{branch}[/bold] (your own code stays on {home}).\n"
                      "Edit {files}, then run [bold]lynx build {id} --check[/bold]. Leave with `lynx abort`.",
                "es": "Esqueleto aplicado en la rama [bold]{branch}[/bold] (tu código sigue en {home}).\n"
                      "Edita {files} y ejecuta [bold]lynx build {id} --check[/bold]. Sal con `lynx abort`."},
    "pass": {"en": "✓ all {n} tests pass.", "es": "✓ pasan las {n} pruebas."},
    "fail": {"en": "✗ {k} of {n} tests failed.", "es": "✗ fallaron {k} de {n} pruebas."},
    "first": {"en": "First failure", "es": "Primer fallo"},
    "next_fail": {"en": "Fix your code and run `lynx build {id} --check` again.",
                  "es": "Corrige tu código y vuelve a ejecutar `lynx build {id} --check`."},
    "questions": {"en": "Now three conceptual questions; your answers go to your notes.",
                  "es": "Ahora tres preguntas conceptuales; tus respuestas van a tus notas."},
    "ask_later": {"en": "Answer the conceptual questions with `lynx build {id} --questions`, then finish with `lynx done`.",
                  "es": "Responde las preguntas conceptuales con `lynx build {id} --questions` y termina con `lynx done`."},
    "finish": {"en": "Finish with `lynx done` (your answers are written to {notes}).",
               "es": "Termina con `lynx done` (tus respuestas se escriben en {notes})."},
}


def _t(key: str, lang: str, **kw: object) -> str:
    return L[key][lang].format(**kw)


@app.command()
def build(
    phase: Annotated[Optional[str], typer.Argument(help="Phase whose build challenge to take, e.g. 13 (default: the active one).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Run the validator against your code.")] = False,
    questions: Annotated[bool, typer.Option("--questions", help="Answer the conceptual questions (after --check passes).")] = False,
    abort: Annotated[bool, typer.Option("--abort", help="Leave the challenge (same as `lynx abort`).")] = False,
    reference: Annotated[bool, typer.Option("--reference", help="Apply the stub on top of the reference version of the files.")] = False,
    lang: LangOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Build a piece of minimodel yourself: a stub on its own branch, a validator, three questions.

    `lynx build 13` puts a stub on a new branch and shows the brief; `--check` runs the validator
    (exit 1 while a test fails); `lynx done` records the pass; `lynx abort` leaves.

    Example: lynx build 13 --check
    """
    from lynx import build as builds
    from lynx import i18n, workspace

    if sum(map(bool, (check, questions, abort))) > 1:
        raise LynxError("use only one of --check, --questions and --abort", "e.g. `lynx build 13 --check`")
    ws = workspace.load()
    lang = i18n.resolve(lang, ws.lang)
    state = builds.active_build(ws)
    if phase is None:
        if state is None:
            raise LynxError("which build challenge?", "name its phase, e.g. `lynx build 13`")
        phase = state["id"]
    pid = phase.strip().lower().removeprefix("phase-")
    if abort:
        _same_build(state, pid)
        from lynx import loop, ui

        st = loop.end(ws, "aborted", None)
        ui.out(f"Left build {st['id']}; your work on it is kept on {st['branch']}. Back on {st['home']}.")
        return
    if check:
        _same_build(state, pid)
        _check(ws, lang, json_)
        return
    if questions:
        _same_build(state, pid)
        _questions(ws, state, lang)
        return
    b = builds.load(ws, pid)
    if state is not None and state["id"] == b.id:
        _brief(b, lang)  # already on it: show the brief again
        return
    state = builds.begin(ws, b, reference)
    _brief(b, lang)
    from lynx.ui import console

    console().print(_t("started", lang, branch=state["branch"], home=state["home"], files=", ".join(b.files), id=b.id))


def _same_build(state: dict | None, pid: str) -> None:
    if state is None:
        raise LynxError("no build challenge is active", f"start one with `lynx build {pid}`")
    if state["id"] != pid:
        raise LynxError(f"the active build is {state['id']}, not {pid}", f"use `lynx build {state['id']} ...`")


def _brief(b, lang: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    from lynx.content import text
    from lynx.ui import console

    def items(values) -> str:
        return "\n".join(f"{i}. {text(v, lang).strip()}" for i, v in enumerate(values, 1))

    md = "\n\n".join([
        f"## {_t('objective', lang, )}\n\n{text(b.objective, lang).strip()}",
        f"## {_t('background', lang)}\n\n{text(b.background, lang).strip()}",
        f"## {_t('constraints', lang)}\n\n{items(b.constraints)}",
        f"## {_t('steps', lang)}\n\n{items(b.steps)}",
        f"## {_t('pitfalls', lang)}\n\n{items(b.pitfalls)}",
    ])
    console().print(Panel(Markdown(md), title=f"Build {b.id} — {text(b.title, lang)}", title_align="left"))


def _check(ws, lang: str, json_: bool) -> None:
    from lynx import build as builds

    b, res = builds.check(ws)
    if json_:
        from lynx.ui import print_json

        print_json({"build": b.id, **res.summary(),
                    "tests": [{"name": t.name, "passed": t.passed, "message": t.message} for t in res.tests]})
        if not res.passed:
            raise typer.Exit(1)
        return
    from rich.markup import escape
    from rich.table import Table

    from lynx.ui import console, is_tty

    con = console()
    table = Table(title=f"lynx build {b.id} --check", title_justify="left")
    table.add_column("")
    table.add_column("test")
    table.add_column("result")
    for t in res.tests:
        table.add_row("[green]✓[/green]" if t.passed else "[red]✗[/red]", escape(t.name),
                      "[green]pass[/green]" if t.passed else "[red]FAIL[/red]")
    con.print(table)
    if not res.passed:
        first = res.failed[0]
        con.print(f"[bold red]{_t('fail', lang, k=len(res.failed), n=len(res.tests))}[/bold red]")
        con.print(f"{_t('first', lang)}: [bold]{escape(first.name)}[/bold]: {escape(first.message)}")
        con.print(_t("next_fail", lang, id=b.id))
        raise typer.Exit(1)
    con.print(f"[bold green]{_t('pass', lang, n=len(res.tests))}[/bold green]")
    state = builds.active_build(ws)
    if is_tty() and not state.get("answers"):
        con.print(_t("questions", lang))
        _ask(ws, b, state, lang)
    elif not state.get("answers"):
        con.print(_t("ask_later", lang, id=b.id))


def _questions(ws, state: dict, lang: str) -> None:
    from lynx import build as builds

    last = state.get("check") or {}
    if not last.get("passed"):
        raise LynxError(f"the questions come after the validator passes (last check: "
                        f"{'failed' if last else 'none yet'})", f"run `lynx build {state['id']} --check` first", code=1)
    _ask(ws, builds.load(ws, state["phase"]), state, lang)


def _ask(ws, b, state: dict, lang: str) -> None:
    from lynx import build as builds
    from lynx.ui import console

    try:
        builds.ask_questions(ws, b, lang)
    except (EOFError, KeyboardInterrupt):
        raise LynxError("the questions were interrupted; nothing was saved",
                        f"answer them later with `lynx build {b.id} --questions`", code=1) from None
    notes = ws.phase_dir(b.phase) / "notes" / "build.md"
    console().print(_t("finish", lang, notes=notes.relative_to(ws.root)))
