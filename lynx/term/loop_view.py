"""What the break loop prints: the break card, the hint, the verdict of a check, the end of a session."""

from __future__ import annotations

from lynx.activities.breaks import HintResult
from lynx.content.breaks import Break
from lynx.content.fields import text
from lynx.i18n import N_, nt, t
from lynx.term.console import console, out, style
from lynx.term.text import headed, say


def show_card(b: Break, lang: str) -> None:
    """The break's title, what it changes, the files it touches, and the question to predict."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from lynx.term.text import plain, rich

    body = Group(rich(text(b.summary, lang)), Text(""), Text(f"{t('Files', lang)}: {', '.join(b.files)}", style="dim"),
                 Text(""), rich(text(b.prompt, lang), style="bold"))
    title = Text(t("Break {id} — {title}", lang, id=b.id, title=plain(text(b.title, lang))))
    console().print(Panel(body, title=title, title_align="left"))


def applied(branch: str, notes: str, lang: str) -> None:
    # wrapped (a long notes path goes to the next line whole, never cut mid-word by the terminal)
    say(t("Applied on branch {branch}. Prediction saved in {notes}.", lang, branch=f"`{branch}`", notes=f"`{notes}`"))
    out(t("Now: {run} to observe, {hint} for a hint, {check} to test your fix.", lang,
          run=style("lynx run", bold=True), hint=style("lynx hint", bold=True), check=style("lynx check", bold=True)))


def _hint_lines(label: str, body: str, **look) -> list[str]:
    """``Hint 2/4  text…`` with the text wrapped under itself, the label styled."""
    from lynx.term.text import wrap

    head = f"{label}  "
    lines = wrap(body, " " * len(head), first=head)
    return [style(label, **look) + lines[0][len(label):], *lines[1:]]


def hint(res: HintResult, show_all: bool, lang: str) -> None:
    from lynx.term.text import wrap

    label = t("Hint", lang)
    if show_all:
        if not res.texts:
            say(t("No hint revealed yet: `lynx hint` shows the first.", lang))
        for i, h in enumerate(res.texts, 1):
            for line in _hint_lines(f"{label} {i}/{res.total}", h, bold=True):
                out(line)
        return
    if res.number == 0:
        out(last_hint_text(lang))
        return
    for line in _hint_lines(f"{label} {res.number}/{res.total}", res.texts[0], fg="yellow", bold=True):
        out(line)
    if res.last:
        for line in wrap(last_hint_text(lang)):
            out(style(line, dim=True))


def last_hint_text(lang: str) -> str:
    return t("That was the last hint. See the fix with `lynx fix --show-diff`.", lang)


def check_verdict(passed: bool, lang: str) -> None:
    if passed:
        say(t("✓ check passes: the bug is gone. Record it with `lynx done`.", lang), fg="green", bold=True)
    else:
        say(t("✗ check fails: the bug is still in. Try `lynx hint`, or `lynx fix --show-diff`.", lang),
            fg="red", bold=True)


def fix_applied(changed: bool, lang: str) -> None:
    say(t("The fix is applied (your own attempt is saved on the branch). Run `lynx check`, then `lynx done`.", lang)
        if changed else fix_nothing_text(lang))


def fix_nothing_text(lang: str) -> str:
    return t("Your files already match the fix: run `lynx check`, then `lynx done`.", lang)


def calibration_question(lang: str) -> str:
    return t("Was your prediction right? [y/partly/n]", lang)


def calibration_hint(lang: str) -> str:
    return t("(type y, partly or n)", lang)


def recap(ex, lang: str) -> None:
    """The prediction beside what happened, then the hidden cause and why it matters (a break's Explained)."""
    from lynx.term.text import labelled, rule

    out(rule(t("Break {id} — {title}", lang, id=ex.brk.id, title=ex.title)))
    rows = [(t("You predicted:", lang), ex.prediction or t("(no prediction written)", lang))]
    if ex.expected:
        rows += [(t("You expected:", lang), ex.expected), (t("Measured:", lang), ex.measured)]
    rows += [(t("What happened:", lang), ex.recap.happened),
            (t("Hidden cause:", lang), ex.recap.cause),
            (t("Why it matters:", lang), ex.recap.why)]
    for line in labelled(rows):
        out(line)


def next_step(step, lang: str) -> None:
    if step is not None:
        for line in headed(t("Next: ", lang), t(step.msgid, lang, **step.fields)):
            out(line)


def done(kind: str, item: str, home: str, outcome: str, lang: str) -> None:
    how = {"passed": t("validator passed", lang), "solution": t("fixed with the solution shown", lang),
           "aborted": t("aborted", lang)}.get(outcome, t("fixed", lang))
    msg = {"break": N_("Done: break {id} recorded ({how}). Back on {home}."),
           "practice": N_("Done: practice of break {id} recorded ({how}); it comes back later. Back on {home}."),
           "build": N_("Done: build {id} recorded ({how}). Back on {home}.")}.get(kind, N_("Done: {id} recorded ({how}). Back on {home}."))
    out(t(msg, lang, id=item, how=how, home=home))


def aborted(kind: str, item: str, branch: str, home: str, lang: str) -> None:
    msg = {"break": N_("Left break {id}; your work on it is kept on {branch}. Back on {home}."),
           "practice": N_("Left the practice; your work on it is kept on {branch}. Back on {home}."),
           "build": N_("Left build {id}; your work on it is kept on {branch}. Back on {home}.")}.get(
        kind, N_("Left {id}; your work on it is kept on {branch}. Back on {home}."))
    out(t(msg, lang, id=item, branch=branch, home=home))


def offer_resume(bid: str, left: str, lang: str, ask: bool) -> bool:
    """The learner left an attempt of this break: resume it or start fresh? Without a terminal, fresh (and say how
    to resume)."""
    if not ask:
        say(t("You left an attempt of break {id} on {branch}; `lynx break {id} --resume` continues it. Starting "
              "afresh.", lang, id=bid, branch=left))
        return False
    from lynx.term.prompts import ask_line

    question = t("You left an attempt of break {id} on {branch}. Resume it (r) or start afresh (f)?", lang, id=bid,
                 branch=left)
    while True:
        try:
            answer = ask_line(question, t("(type r or f)", lang)).lower()
        except (EOFError, KeyboardInterrupt):
            from lynx.core.errors import LynxError

            raise LynxError("no answer given, the break was not applied", f"run `lynx break {bid}` again when ready",
                            code=1) from None
        if answer in ("r", "resume", "reanudar"):
            return True
        if answer in ("f", "fresh", "nuevo", "n"):
            return False


def reset(changed: bool, lang: str) -> None:
    out(t("Reset: the break's files are broken again; your attempt is the commit before on this branch.", lang)
        if changed else t("Nothing to reset: the break's files are as the break left them.", lang))


def fixed_already(more: bool, lang: str) -> None:
    out(style(t("✓ The bug is fixed: the check passes on your code.", lang), fg="green", bold=True))
    out(t("Where your code still differs from the fix in what it does:", lang) if more
        else t("Your code and the fix differ in nothing that changes behaviour (comments and spacing aside).", lang))


def run_header(session, b: Break, lang: str) -> None:
    from lynx.term.console import flush
    from lynx.term.text import rule

    program = " ".join(b.observe)
    head = (t("lynx run — practice: {program}", lang, program=program) if session.kind == "practice"
            else t("lynx run — break {id}: {program}", lang, id=b.id, program=program))
    out(style(rule(head), dim=True))
    flush()


def run_footer(seen, lang: str) -> None:
    """What the exit status means, and what to look at (the program's own lines are above)."""
    from lynx.term.text import rule

    from lynx.term.text import wrap

    if seen.status == 0:
        what = t("The program ran to its end (exit status 0). Compare what it printed with your prediction.", lang)
    else:
        what = t("The program stopped with exit status {status}: read the last lines above (a traceback ends with "
                 "the error). Was that your prediction?", lang, status=seen.status)
    out(style(rule(t("end of the program", lang)), dim=True))
    lines = wrap(what)
    shown = _measured_text(seen, lang)
    if shown:
        lines += wrap(shown)
    for line in lines + wrap(t("Next: `lynx hint` for a hint, `lynx check` to test a fix.", lang)):
        out(line)


def _measured_text(seen, lang: str) -> str | None:
    """What the break's outcome reads in this run: the number measured, or the option that held."""
    from lynx.activities.outcomes import measured, observe
    from lynx.content.outcome import LETTERS

    o = seen.brk.outcome
    if o is None:
        return None
    got = measured(o, observe(seen.status, seen.output))
    if o.numeric:
        if got.value is None:
            return t("This run measured no {quantity}.", lang, quantity=text(o.quantity, lang))
        return t("Measured: {quantity} = {value}.", lang, quantity=text(o.quantity, lang), value=f"{got.value:g}")
    if got.option is None:
        return t("This run matches none of the break's options.", lang)
    return t("This run matches option ({letter}): {text}", lang, letter=LETTERS[got.option],
             text=text(o.options[got.option].text, lang))


def ask_expectation(b: Break, lang: str):
    """The scored prediction, asked after the free text: an option's letter (or the number), then how sure."""
    from lynx.activities.predictions import Expectation, parse_expect
    from lynx.content.outcome import LETTERS
    from lynx.core.errors import LynxError
    from lynx.term.prompts import ask_line
    from lynx.term.text import wrap

    o = b.outcome
    if o.numeric:
        for line in wrap(t("And as a number: {quantity}?", lang, quantity=text(o.quantity, lang))):
            out(line)
        label = t("Your number", lang)
    else:
        for line in wrap(text(o.question, lang) if o.question else t("Which of these will happen?", lang)):
            out(line)
        for i, option in enumerate(o.options):
            for line in wrap(text(option.text, lang), "     ", first=f"  {LETTERS[i]}) "):
                out(line)
        label = t("Your option (a-{last})", lang, last=LETTERS[len(o.options) - 1])
    while True:
        try:
            answer = ask_line(label, t("(an answer, or Ctrl-C to cancel)", lang))
        except (EOFError, KeyboardInterrupt):
            raise LynxError("no answer given, the break was not applied", f"run `lynx break {b.id}` again when ready",
                            code=1) from None
        try:
            option, value = parse_expect(b, answer)
            break
        except LynxError as exc:
            out(style(f"  {exc.message}", fg="yellow"))
    return Expectation(option, value, ask_confidence(lang))


def ask_confidence(lang: str) -> int:
    from lynx.activities.predictions import parse_confidence
    from lynx.core.errors import LynxError
    from lynx.term.prompts import ask_line

    while True:
        try:
            answer = ask_line(t("How sure are you, 50-100 %", lang), t("(a number from 50 to 100)", lang))
        except (EOFError, KeyboardInterrupt):
            raise LynxError("no confidence given, the break was not applied", "run `lynx break` again when ready",
                            code=1) from None
        try:
            return parse_confidence(answer)
        except LynxError as exc:
            out(style(f"  {exc.message}", fg="yellow"))


def practice(due, session, lang: str) -> None:
    from lynx.core.clock import minute
    from lynx.term.text import wrap

    if session is None:
        if not due.finished_any:
            msg = t("Nothing to practise yet: a break comes back here once you finish it (`lynx break 13`).", lang)
        elif due.next_at is not None:
            msg = t("Nothing is due for practice now; the next break comes back on {when}.", lang,
                    when=minute(due.next_at))
        else:
            msg = t("Nothing is due for practice now.", lang)
        for line in wrap(msg):
            out(line)
        return
    lines = [t("Something is wrong in src/minimodel (practice on branch {branch}).", lang, branch=session.branch),
             t("`lynx run` shows what it does; diagnose it from that. `lynx hint` when stuck, `lynx check` to test your "
               "fix, `lynx done` when it passes.", lang)]
    if due.waiting:
        lines.append(nt("{n} more break is due after this one.", "{n} more breaks are due after this one.", due.waiting,
                        lang))
    for msg in lines:
        for line in wrap(msg):
            out(line)
