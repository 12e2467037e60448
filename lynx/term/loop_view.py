"""What the break loop prints: the break card, the hint, the verdict of a check, the end of a session."""

from __future__ import annotations

from lynx.activities.breaks import HintResult
from lynx.content.breaks import Break
from lynx.content.fields import text
from lynx.i18n import t
from lynx.term.console import console, out, style


def show_card(b: Break, lang: str) -> None:
    """The break's title, what it changes, the files it touches, and the question to predict."""
    from rich.markup import escape
    from rich.panel import Panel

    body = (f"{escape(text(b.summary, lang))}\n\n[dim]{escape(t('Files', lang))}: {escape(', '.join(b.files))}[/dim]"
            f"\n\n[bold]{escape(text(b.prompt, lang))}[/bold]")
    console().print(Panel(body, title=escape(f"Break {b.id} — {text(b.title, lang)}"), title_align="left"))


def applied(branch: str, notes: str, lang: str) -> None:
    out(t("Applied on branch {branch}. Prediction saved in {notes}.", lang, branch=style(branch, bold=True), notes=notes))
    out(t("Now: {run} to observe, {hint} for a hint, {check} to test your fix.", lang,
          run=style("lynx run", bold=True), hint=style("lynx hint", bold=True), check=style("lynx check", bold=True)))


def hint(res: HintResult, show_all: bool, lang: str) -> None:
    label = t("Hint", lang)
    if show_all:
        if not res.texts:
            out(t("No hint revealed yet: `lynx hint` shows the first.", lang))
        for i, h in enumerate(res.texts, 1):
            out(f"{style(f'{label} {i}/{res.total}', bold=True)}  {h}")
        return
    if res.number == 0:
        out(last_hint_text(lang))
        return
    out(f"{style(f'{label} {res.number}/{res.total}', fg='yellow', bold=True)}  {res.texts[0]}")
    if res.last:
        out(style(last_hint_text(lang), dim=True))


def last_hint_text(lang: str) -> str:
    return t("That was the last hint. See the fix with `lynx fix --show-diff`.", lang)


def check_verdict(passed: bool, lang: str) -> None:
    if passed:
        out(style(t("✓ check passes: the bug is gone. Record it with `lynx done`.", lang), fg="green", bold=True))
    else:
        out(style(t("✗ check fails: the bug is still in. Try `lynx hint`, or `lynx fix --show-diff`.", lang),
                  fg="red", bold=True))


def fix_applied(changed: bool, lang: str) -> None:
    out(t("The fix is applied (your own attempt is saved on the branch). Run `lynx check`, then `lynx done`.", lang)
        if changed else fix_nothing_text(lang))


def fix_nothing_text(lang: str) -> str:
    return t("Your files already match the fix: run `lynx check`, then `lynx done`.", lang)


def calibration_question(lang: str) -> str:
    return t("Was your prediction right? [y/partly/n]", lang)


def calibration_hint(lang: str) -> str:
    return t("(type y, partly or n)", lang)


def kind_name(kind: str, lang: str) -> str:
    """`break` or `build` as the learner's language says it."""
    return {"break": t("break", lang), "build": t("build", lang)}.get(kind, kind)


def done(kind: str, item: str, home: str, outcome: str, lang: str) -> None:
    how = {"passed": t("validator passed", lang), "solution": t("fixed with the solution shown", lang),
           "aborted": t("aborted", lang)}.get(outcome, t("fixed", lang))
    out(t("Done: {kind} {id} recorded ({how}). Back on {home}.", lang, kind=kind_name(kind, lang), id=item, how=how,
          home=home))


def aborted(kind: str, item: str, branch: str, home: str, lang: str) -> None:
    out(t("Left {kind} {id}; your work on it is kept on {branch}. Back on {home}.", lang, kind=kind_name(kind, lang),
          id=item, branch=branch, home=home))
