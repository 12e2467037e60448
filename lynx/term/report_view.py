"""`lynx report`: how well the learner predicts what a break does, per phase and over time (text and PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.i18n import t, tc
from lynx.term.console import out, style
from lynx.term.text import say


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _bar(x: float | None, width: int = 10) -> str:
    full = round((x or 0.0) * width)
    return "█" * full + "░" * (width - full)


def words(lang: str) -> dict[str, str]:
    """The column words of the report: plural counts of predictions (rated, right, partly, wrong)."""
    return {"rated": tc("predictions", "rated", lang), "right": tc("predictions", "right", lang),
            "partly": tc("predictions", "partly", lang), "wrong": tc("predictions", "wrong", lang),
            "score": t("score", lang), "phase": t("phase", lang)}


def show_scored(sc: dict[str, Any], lang: str) -> None:
    """The scored predictions: the Brier score, the log-ratio error of numbers, and the reliability diagram."""
    from lynx.i18n import number

    out(style(t("Scored predictions", lang), bold=True))
    say(t("{n} scored, {right} right — Brier score {brier} (0 is perfect; always saying 50 % scores 0.25)", lang,
          n=sc["n"], right=sc["right"], brier=number(sc["brier"], lang, 3)))
    if sc["log_error"] is not None:
        say(t("numbers: mean log-ratio error {error} over {n} (0 is exact; 0.22 is 25 % off)", lang,
              error=number(sc["log_error"], lang), n=sc["numbers"]))
    out("")
    out(style(f"{t('confidence', lang):>11} {t('predictions', lang):>12}  {t('right', lang)}", dim=True))
    for b in sc["bins"]:
        rate = b["hit_rate"]
        shown = "" if rate is None else f"{_bar(rate)} {_pct(rate):>5}"
        top = b["high"] if b["high"] >= 100 else b["high"] - 1
        out(f"{b['low']:>5}-{top:<3}% {b['n']:>12}  {shown}")
    say(t("How to read it: you are well calibrated when each bin's share right is close to its confidence.", lang), dim=True)
    for p, row in sc["phases"].items():
        out(f"  {t('phase', lang)} {p}: {row['n']} · Brier {number(row['brier'], lang, 3)}")


def show(data: dict[str, Any], lang: str) -> None:
    w = words(lang)
    o = data["overall"]
    out(style(t("Predictions of {who}", lang, who=data["learner"]), bold=True))
    sc = data.get("scored") or {}
    if sc.get("n"):
        show_scored(sc, lang)
        out("")
    if not o["rated"]:
        say(t("No prediction rated yet: after `lynx done`, say whether yours was right (y / partly / n).", lang))
        return
    out(f"{o['rated']} {w['rated']}: {o['right']} {w['right']}, {o['partly']} {w['partly']}, {o['wrong']} {w['wrong']}"
        f" — {w['score']} {_pct(o['score'])}")
    out("")
    out(style(f"{w['phase']:>6} {w['rated']:>10} {w['right']:>10} {w['partly']:>9} {w['wrong']:>9} {w['score']:>11}", dim=True))
    for p, row in data["phases"].items():
        out(f"{p:>6} {row['rated']:>10} {row['right']:>10} {row['partly']:>9} {row['wrong']:>9} {_pct(row['score']):>11}")
    if data["over_time"]:
        out("")
        out(style(t("Over time", lang), bold=True))
        for row in data["over_time"]:
            out(f"  {row['period']:<10} {_bar(row['score'])} {_pct(row['score']):>5}  ({row['rated']} {w['rated']})")
    if data["surprises"]:
        out("")
        out(style(t("What surprised you most", lang), bold=True))
        for s in data["surprises"]:
            head = f"  {s['break']} {s.get('title', '')}".rstrip()
            pred = s["prediction"].strip().splitlines()[0][:90] if s["prediction"].strip() else "—"
            out(f"{head} — {w['score']} {_pct(s['score'])}, {s['hints']} {t('hints', lang)}")
            out(style(f"      {t('you predicted', lang)}: {pred}", dim=True))


def plot(data: dict[str, Any], path: Path, lang: str) -> Path:
    """A PNG: the calibration score over time, and right / partly / wrong per phase."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise LynxError("--plot needs matplotlib, which is not installed",
                        "install the extra: pip install 'lynx-course[plot]'") from None
    w = words(lang)
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 4))
    times = data["over_time"]
    if times:
        ax1.plot([x["period"] for x in times], [x["score"] for x in times], marker="o")
    ax1.set_ylim(-0.05, 1.05)
    ax1.set_title(t("Over time", lang))
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
    # The reliability diagram: confidence against the share right, per bin; on the diagonal is well calibrated.
    bins = [b for b in (data.get("scored") or {}).get("bins", []) if b["n"]]
    ax3.plot([0.5, 1.0], [0.5, 1.0], linestyle="--", color="grey")
    if bins:
        ax3.scatter([b["confidence"] for b in bins], [b["hit_rate"] for b in bins],
                    s=[40 + 20 * b["n"] for b in bins], color="tab:blue")
    ax3.set_xlim(0.45, 1.02)
    ax3.set_ylim(-0.02, 1.02)
    ax3.set_xlabel(t("confidence", lang))
    ax3.set_ylabel(t("share right", lang))
    ax3.set_title(t("Reliability of scored predictions", lang))
    fig.suptitle(t("Predictions of {who}", lang, who=data["learner"]))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)
    return path
