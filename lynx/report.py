"""`lynx report`: how well the learner predicts what a break does, per phase and over time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lynx import calibration
from lynx.errors import LynxError
from lynx.ui import out, style
from lynx.workspace import Workspace

WORDS = {
    "en": {"title": "Predictions of {who}", "none": "No prediction rated yet: after `lynx done`, say whether yours was right (y / partly / n).",
           "rated": "rated", "right": "right", "partly": "partly", "wrong": "wrong", "score": "score",
           "phase": "phase", "time": "Over time", "surprised": "What surprised you most",
           "you_said": "you predicted", "hints": "hints", "y": "right", "n": "wrong"},
    "es": {"title": "Predicciones de {who}", "none": "Aún no hay predicciones valoradas: tras `lynx done`, di si acertaste (y / partly / n).",
           "rated": "valoradas", "right": "acertadas", "partly": "a medias", "wrong": "falladas", "score": "puntuación",
           "phase": "fase", "time": "A lo largo del tiempo", "surprised": "Lo que más te sorprendió",
           "you_said": "predijiste", "hints": "pistas", "y": "acertada", "n": "fallada"},
}


def build(ws: Workspace, lang: str) -> dict[str, Any]:
    from lynx import progress

    data = calibration.report(progress.load(ws))
    for s in data["surprises"]:
        s["title"] = _title(ws, s["break"], lang)
    return {"learner": ws.learner, **data}


def _title(ws: Workspace, bid: str, lang: str) -> str:
    from lynx.content import text

    try:
        return text(ws.course.brk(bid).title, lang)
    except LynxError:
        return ""


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _bar(x: float | None, width: int = 10) -> str:
    full = round((x or 0.0) * width)
    return "█" * full + "░" * (width - full)


def show(data: dict[str, Any], lang: str) -> None:
    w = WORDS.get(lang, WORDS["en"])
    o = data["overall"]
    out(style(w["title"].format(who=data["learner"]), bold=True))
    if not o["rated"]:
        out(w["none"])
        return
    out(f"{o['rated']} {w['rated']}: {o['right']} {w['right']}, {o['partly']} {w['partly']}, {o['wrong']} {w['wrong']}"
        f" — {w['score']} {_pct(o['score'])}")
    out("")
    out(style(f"{w['phase']:>6} {w['rated']:>10} {w['right']:>10} {w['partly']:>9} {w['wrong']:>9} {w['score']:>11}", dim=True))
    for p, t in data["phases"].items():
        out(f"{p:>6} {t['rated']:>10} {t['right']:>10} {t['partly']:>9} {t['wrong']:>9} {_pct(t['score']):>11}")
    if data["over_time"]:
        out("")
        out(style(w["time"], bold=True))
        for t in data["over_time"]:
            out(f"  {t['period']:<10} {_bar(t['score'])} {_pct(t['score']):>5}  ({t['rated']} {w['rated']})")
    if data["surprises"]:
        out("")
        out(style(w["surprised"], bold=True))
        for s in data["surprises"]:
            head = f"  {s['break']} {s.get('title', '')}".rstrip()
            pred = s["prediction"].strip().splitlines()[0][:90] if s["prediction"].strip() else "—"
            out(f"{head} — {w['score']} {_pct(s['score'])}, {s['hints']} {w['hints']}")
            out(style(f"      {w['you_said']}: {pred}", dim=True))


def plot(data: dict[str, Any], path: Path, lang: str) -> Path:
    """A PNG: the calibration score over time, and right / partly / wrong per phase."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise LynxError("--plot needs matplotlib, which is not installed",
                        "install the extra: pip install 'lynx-course[plot]'") from None
    w = WORDS.get(lang, WORDS["en"])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    times = data["over_time"]
    if times:
        ax1.plot([t["period"] for t in times], [t["score"] for t in times], marker="o")
    ax1.set_ylim(-0.05, 1.05)
    ax1.set_title(w["time"])
    ax1.set_ylabel(w["score"])
    ax1.tick_params(axis="x", rotation=45)
    phases = list(data["phases"])
    bottom = [0] * len(phases)
    for key, color in (("right", "tab:green"), ("partly", "tab:orange"), ("wrong", "tab:red")):
        vals = [data["phases"][p][key] for p in phases]
        ax2.bar(phases, vals, bottom=bottom, color=color, label=w[key])
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax2.set_title(w["phase"])
    ax2.legend()
    fig.suptitle(w["title"].format(who=data["learner"]))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)
    return path
