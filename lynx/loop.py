"""The break loop as plain functions: pick a break, start it, hint, run, check, fix, done, abort.

The command layer (`lynx/commands/loop.py`) only parses arguments and prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from lynx import progress
from lynx.brk import Break
from lynx.content import text
from lynx.errors import LynxError
from lynx.workspace import Workspace


def pick_break(ws: Workspace, phase_arg: str, which: str | None) -> Break:
    """`lynx break 13` → the next unfinished break of phase 13; `13 00` / `13-00` → that one."""
    from lynx.course import resolve_break_id

    pid, bid = resolve_break_id(phase_arg, which)
    course = ws.course
    phase = course.phase(pid)
    if bid is not None:
        if bid not in phase.breaks:
            raise LynxError(f"phase {pid} has no break {bid!r} (it has {', '.join(phase.breaks) or 'none'})",
                            f"run `lynx break {pid}` to take the next one")
        return course.brk(bid)
    if not phase.breaks:
        raise LynxError(f"phase {pid} has no breaks yet", "run `lynx phases` to see which phases have breaks")
    data = progress.load(ws)
    for b in phase.breaks:
        if not progress.is_done(data, b):
            return course.brk(b)
    raise LynxError(f"every break of phase {pid} is done ({', '.join(phase.breaks)})",
                    f"redo one with `lynx break {phase.breaks[0]}`, or go on to the next phase (`lynx phases`)")


def active_break(ws: Workspace) -> tuple[dict[str, Any], Break]:
    state = progress.active(ws)
    if state is None:
        raise LynxError("no break is active", "start one with `lynx break 13`")
    if state["kind"] != "break":
        raise LynxError(f"the active session is a {state['kind']} ({state['id']}), not a break",
                        f"use `lynx {state['kind']} --check`, `lynx done` or `lynx abort`")
    if state.get("stage") != "active":
        doing = "starting" if state.get("stage") == "starting" else "ending"
        raise LynxError(f"break {state['id']} was interrupted while {doing}", "run `lynx recover`")
    return state, ws.course.brk(state["id"], state.get("dir"))


def begin(ws: Workspace, b: Break, lang: str, reference: bool,
          get_prediction: Callable[[], str | None], show_card: Callable[[], None]) -> dict[str, Any]:
    """Check, show the card, take the prediction, write it, apply the break on its branch."""
    from lynx import gitops, lock, prediction, session

    with lock.held(ws.state_dir), gitops.repo(ws.root) as g:
        home = session.preflight(ws, g, b.files, b.patch, reference, f"break {b.id}")
        from lynx.store import require_utf8

        require_utf8(prediction.notes_path(ws, b.phase))  # before asking anything
        show_card()
        pred = get_prediction()

        def write_notes() -> None:
            prediction.write_prediction(ws, b.phase, b.id, text(b.title, lang), pred)
            data = progress.load(ws)
            entry = progress.break_entry(data, b.id)
            entry["attempts"].append({"started": progress.now(), "prediction": pred, "outcome": None,
                                      "hints": entry["hints"], "calibration": None})
            progress.save(ws, data)

        return session.start(ws, g, kind="break", item_id=b.id, phase=b.phase, title=text(b.title, "en"),
                             files=b.files, patch=b.patch, fix_patch=b.fix_patch, reference=reference, home=home,
                             before_branch=write_notes, folder=b.dir.name)


@dataclass
class HintResult:
    number: int          # 1-based number of the hint shown (0: none left to show)
    total: int
    texts: list[str]     # the hints to print
    last: bool           # no hint left after these


def next_hint(ws: Workspace, lang: str, show_all: bool = False) -> HintResult:
    state, b = active_break(ws)
    total = len(b.hints)
    if show_all:
        shown = min(progress.break_entry(progress.load(ws), b.id)["hints"], total)
        return HintResult(shown, total, [text(h, lang) for h in b.hints[:shown]], shown >= total)
    from lynx import lock

    with lock.held(ws.state_dir):  # read-change-write: never beside another writer
        data = progress.load(ws)
        entry = progress.break_entry(data, b.id)
        shown = min(entry["hints"], total)
        if shown >= total:
            return HintResult(0, total, [], True)
        entry["hints"] = shown + 1
        progress.save(ws, data)
    return HintResult(shown + 1, total, [text(b.hints[shown], lang)], shown + 1 >= total)


def run_observe(ws: Workspace) -> int:
    from lynx import runner

    state, b = active_break(ws)
    return runner.run(ws.root, b.observe, b.timeout).returncode


def run_check(ws: Workspace, b: Break, capture: bool) -> tuple[bool, str]:
    from lynx import runner

    proc = runner.run(ws.root, runner.pytest_argv(b.check_path), b.timeout, capture=capture)
    return proc.returncode == 0, proc.stdout or ""


def fix_diff(ws: Workspace) -> str:
    from lynx import gitops

    state, b = active_break(ws)
    with gitops.repo(ws.root) as g:
        diff = g.diff_to_tree(state["fixed_tree"], state["files"])
    if not state.get("diff_shown"):
        from lynx import lock

        with lock.held(ws.state_dir):
            state = progress.active(ws) or state
            state["diff_shown"] = True
            progress.set_active(ws, state)
    return diff


def fix_apply(ws: Workspace) -> bool:
    """Restore the fixed version of the patched files, after saving the learner's attempt. False if nothing to do."""
    from lynx import gitops, lock, session

    with lock.held(ws.state_dir), gitops.repo(ws.root) as g:
        state, b = active_break(ws)  # read under the lock: another writer may be changing it
        session.require_on_branch(g, state, "`lynx fix --apply`")
        session.save_work(g, state, "saved before fix --apply")
        if not g.run("diff", "--quiet", state["fixed_tree"], "--", *state["files"], check=False)[0]:
            changed = False
        else:
            g.restore_from(state["fixed_tree"], state["files"])
            g.run("commit", "--quiet", "--no-verify", "--only", "-m", f"lynx: solution of break {b.id} applied",
                  "--", *state["files"])
            changed = True
        state["fix_applied"] = True
        progress.set_active(ws, state)
    return changed


def end(ws: Workspace, outcome: str | None, calibration: str | None) -> dict[str, Any]:
    """Record the outcome (fixed / solution / aborted) and return to the learner's branch.

    An end that was interrupted (state "ending") is resumed with the outcome it started with.
    """
    from lynx import gitops, lock, prediction, session

    with lock.held(ws.state_dir), gitops.repo(ws.root) as g:
        state = progress.active(ws)
        if state is None:
            raise LynxError("nothing is active", "start a break with `lynx break 13`")
        if state.get("stage") == "ending":
            outcome, calibration = state["outcome"], state.get("calibration")
        else:
            state["outcome"], state["calibration"] = outcome, calibration
        b = ws.course.brk(state["id"], state.get("dir")) if state["kind"] == "break" else None

        def record() -> None:
            if state["kind"] == "build":
                from lynx import build

                build.record_end(ws, state, outcome)
                return
            if b is None:
                return
            data = progress.load(ws)
            entry = progress.break_entry(data, b.id)
            if any(a.get("branch") == state["branch"] and a.get("outcome") for a in entry["attempts"]):
                return  # recorded before an interruption: never twice
            open_attempts = [a for a in entry["attempts"] if a.get("outcome") is None]
            attempt = open_attempts[-1] if open_attempts else {"started": state["started"], "prediction": None}
            if not open_attempts:
                entry["attempts"].append(attempt)
            attempt.update({"ended": progress.now(), "outcome": outcome, "hints": min(entry["hints"], len(b.hints)),
                            "calibration": calibration, "diff_shown": bool(state.get("diff_shown")),
                            "branch": state["branch"]})
            progress.save(ws, data)
            prediction.write_outcome(ws, b.phase, b.id, outcome, attempt["hints"], len(b.hints), calibration,
                                     bool(state.get("diff_shown")))

        session.finish(ws, g, state, "done" if outcome != "aborted" else "aborted", record)
    return state
