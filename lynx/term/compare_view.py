"""`lynx run --compare` on screen: a table of every module at its first call in both runs, the first place
they part marked, the two loss curves side by side, and where a crash happened; or all of it as JSON or a PNG."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from lynx.activities.compare import Compared, Departure, Stats
from lynx.content.fields import text
from lynx.core.errors import LynxError
from lynx.i18n import t
from lynx.term.console import out, style
from lynx.term.text import rule, say

CURVE_ROWS = 8      # loss-curve lines shown: evenly spaced steps, the last one included
WINDOW = 12         # module rows shown
WINDOW_BEFORE = 3   # of them, before the first departure
PLOT_WINDOW = 24    # module bars drawn


def num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3g}" if x == x else "nan"


def show(c: Compared, lang: str) -> None:
    out(rule(t("Break {id}: the reference run beside yours (same seed)", lang, id=c.brk.id)))
    if c.rows:
        for line in module_table(c, lang):
            out(line)
    say(verdict(c.first, c, lang))
    crash = c.yours.crash
    if crash is not None:
        where = f"{crash.file}:{crash.line} ({crash.function})" if crash.file else t("before the program started", lang)
        if crash.modules_ran:
            say(t("Your run then crashed: {error} at {where}.", lang, error=_error(crash), where=where))
        else:
            say(t("Your run crashed before any module ran: {error} at {where}.", lang, error=_error(crash), where=where))
    measures(c, lang)
    curves(c, lang)


def measures(c: Compared, lang: str) -> None:
    names = [*c.reference.measures, *(n for n in c.yours.measures if n not in c.reference.measures)]
    if not names:
        return
    out("")
    out(style(t("What the program measures", lang), bold=True))
    w = max(len(n) for n in names)
    out(f"  {'':<{w}}  {t('reference', lang):>10}  {t('yours', lang):>10}")
    for n in names:
        out(f"  {n:<{w}}  {num(c.reference.measures.get(n)):>10}  {num(c.yours.measures.get(n)):>10}")


def short(x: float | None) -> str:
    """A number in at most about seven characters: 0.998, 3.65, 1.2e-21."""
    if x is None:
        return "—"
    if x != x:
        return "nan"
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.3g}"
    mantissa, _, exp = f"{x:.1e}".partition("e")
    return f"{mantissa}e{int(exp)}"


def _cell(s: Stats | None, key: str) -> str:
    if s is None:
        return "—"
    if s.nan or s.inf:
        return f"{s.nan + s.inf}nan"
    return short(getattr(s, key))


def window(c: Compared, size: int = WINDOW) -> tuple[int, int]:
    """The rows shown: from a few before the first departure, ``size`` in all."""
    at = next((i for i, r in enumerate(c.rows) if c.first and r.path == c.first.path), None)
    lo = 0 if at is None else max(0, at - WINDOW_BEFORE)
    return lo, min(len(c.rows), lo + size)


def module_table(c: Compared, lang: str) -> list[str]:
    """Each module at its first call, in both runs: a window around the first departure (the whole list is in
    --json), names shortened from the left to fit the terminal, gradient columns only when there was a backward."""
    from lynx.term.text import width

    first = c.first.path if c.first else None
    grads = any(r.reference_grad is not None or r.yours_grad is not None for r in c.rows)
    groups = [t("output std", lang), t("max |x|", lang)] + ([t("‖grad‖", lang)] if grads else [])
    lo, hi = window(c)
    shown = c.rows[lo:hi]
    cells = [[(_cell(r.reference, "std"), _cell(r.yours, "std")), (_cell(r.reference, "max"), _cell(r.yours, "max"))]
             + ([(short(r.reference_grad), short(r.yours_grad))] if grads else []) for r in shown]
    ref_w, mine_w = t("ref", lang), t("yours", lang)
    cw = max(len(ref_w), len(mine_w), *(len(x) for row in cells for pair in row for x in pair))
    gw = max(2 * cw + 1, *(len(g) for g in groups))
    room = width() - 2 - len(groups) * (gw + 3)
    name_w = max(12, min(room, max([len(r.path) for r in shown] + [len(t("module", lang))])))

    def fit(name: str) -> str:
        return name if len(name) <= name_w else "…" + name[len(name) - name_w + 1:]

    def line(name: str, row: list[tuple[str, str]]) -> str:
        return f"{name:<{name_w}}" + "".join(f"   {f'{a:>{cw}} {b:>{cw}}':>{gw}}" for a, b in row)

    lines = [style("  " + f"{'':<{name_w}}" + "".join(f"   {g:>{gw}}" for g in groups), bold=True),
             style("  " + line(t("module", lang), [(ref_w, mine_w)] * len(groups)), bold=True)]
    if lo:
        lines.append(style("  " + t("… {n} modules before, all agreeing", lang, n=lo), dim=True))
    for r, row in zip(shown, cells):
        text_ = line(fit(r.path), row)
        if r.path == first:
            lines.append(style("▶ " + text_, fg="red", bold=True))
        else:
            lines.append("  " + (style(text_, fg="yellow") if r.parts else text_))
    if hi < len(c.rows):
        lines.append(style("  " + t("… {n} more modules (`lynx run --compare --json` lists them all)", lang,
                                    n=len(c.rows) - hi), dim=True))
    return lines


def _error(crash) -> str:
    return f"{crash.type}: {crash.message}" if crash.message else crash.type


def verdict(d: Departure | None, c: Compared, lang: str) -> str:
    if d is None:
        if c.where == "no-module":
            return t("This program runs no minimodel module, so there is nothing to set side by side; "
                     "what it measures is below.", lang)
        if c.yours.status != c.reference.status:
            return t("Every module and loss agree; the runs differ only in what the program did with them "
                     "(exit status {ref} against yours {mine}).", lang, ref=c.reference.status, mine=c.yours.status)
        return t("The two runs agree everywhere the recorder looks: the difference, if any, is after the model "
                 "(compare the programs' output with `lynx run`).", lang)
    if d.kind == "forward":
        call = d.call + 1
        if c.where == d.path:
            return t("The runs first part at `{path}` (call {call}): it gets the same input in both runs and returns a "
                     "different output, so the difference is made inside `{path}`.", lang, path=d.path, call=call)
        if c.where == "program":
            return t("The runs first part at `{path}` (call {call}): it already gets a different input, though every "
                     "module before agreed, so the difference is made by the program before it calls `{path}`.",
                     lang, path=d.path, call=call)
        return t("The runs first part at `{path}` (call {call}): it already gets a different input, though every "
                 "module before agreed, so the difference is made in `{parent}`'s own forward, before it calls "
                 "`{path}`.", lang, path=d.path, call=call, parent=c.where)
    if d.kind == "loss":
        return t("Every module's output agrees, but the loss of step {step} differs: {ref} against yours {mine}. "
                 "Look at what the loss is computed from.", lang, step=d.call, ref=num(_v(d.reference)),
                 mine=num(_v(d.yours)))
    if d.kind == "grad":
        return t("The forward pass and the loss agree; the first difference is the gradient of `{path}` at step "
                 "{step}.", lang, path=d.path, step=d.call)
    if d.kind == "stopped":
        return t("The runs agree until yours stops, just before `{path}`.", lang, path=d.path) if d.yours is None \
            else t("The runs agree until the reference stops; yours goes on to `{path}`.", lang, path=d.path)
    return t("The runs agree, then call different things: the reference `{ref}`, yours `{mine}`.", lang,
             ref=d.reference.path if d.reference else "—", mine=d.path)


def _v(e) -> float | None:
    return e.value if e is not None else None


def curves(c: Compared, lang: str) -> None:
    a, b = c.reference.losses, c.yours.losses
    if not a and not b:
        return
    n = max(len(a), len(b))
    steps = sorted({round(i * (n - 1) / (CURVE_ROWS - 1)) for i in range(CURVE_ROWS)}) if n > 1 else [0]
    out("")
    out(style(t("Loss, step by step", lang), bold=True))
    out(f"  {t('step', lang):>6}  {t('reference', lang):>10}  {t('yours', lang):>10}")
    for k in steps:
        out(f"  {k:>6}  {num(a[k]) if k < len(a) else '—':>10}  {num(b[k]) if k < len(b) else '—':>10}")


def as_json(c: Compared) -> str:
    data = asdict(c)
    data["break"] = c.brk.id
    data["title"] = text(c.brk.title, "en")
    del data["brk"]
    return json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False)


def _finite(x):
    """NaN and infinities as null: JSON has no word for them."""
    if isinstance(x, float):
        return x if x == x and abs(x) != float("inf") else None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_finite(v) for v in x]
    return x


def plot(c: Compared, path: Path, lang: str) -> Path:
    """A PNG: the two loss curves, and each module's output std in both runs."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise LynxError("--plot needs matplotlib, which is not installed",
                        "install the extra from lynx's folder: pip install '.[plot]'") from None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 6))
    for losses, label, style_ in ((c.reference.losses, t("reference", lang), "-"), (c.yours.losses, t("yours", lang), "--")):
        if losses:
            ax1.plot(range(len(losses)), losses, style_, label=label)
    ax1.set_title(t("Loss, step by step", lang))
    ax1.set_xlabel(t("step", lang))
    ax1.legend()
    lo, hi = window(c, PLOT_WINDOW)
    shown = c.rows[lo:hi][::-1]  # top to bottom in the order the modules finished
    ys = range(len(shown))
    ax2.barh([y + 0.2 for y in ys], [r.reference.std if r.reference else 0.0 for r in shown], 0.4,
             label=t("reference", lang))
    ax2.barh([y - 0.2 for y in ys], [r.yours.std if r.yours else 0.0 for r in shown], 0.4, label=t("yours", lang))
    ax2.set_yticks(list(ys), [("▶ " if c.first and r.path == c.first.path else "") + r.path for r in shown],
                   fontsize=8)
    for label, r in zip(ax2.get_yticklabels(), shown):
        if c.first and r.path == c.first.path:
            label.set_color("tab:red")
    ax2.set_title(t("Output std of each module, first call", lang))
    ax2.legend()
    fig.suptitle(t("Break {id}: the reference run beside yours (same seed)", lang, id=c.brk.id))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
