"""`lynx class --html report.html`: one self-contained page — the class table (sortable), the item analysis
with charts, activity per week, and a section per learner.

Self-contained: the style and the one script are inline, the charts are inline SVG, nothing is fetched
(a Content-Security-Policy forbids it, and lets only lynx's own script run, by its nonce), so the file
opens from a ``file://`` URL with no network. Every text from a learner's repository goes through
:func:`html.escape`: a name or a prediction holding ``<script>`` is shown, never run.
"""

from __future__ import annotations

import html
import secrets
import sys
from pathlib import Path
from typing import Any

from lynx.i18n import t
from lynx.teacher.table import cell
from lynx.term.class_html_assets import SCRIPT, STYLE
from lynx.term.class_view import clean, heads, note_text


def esc(value: Any) -> str:
    return html.escape(clean("" if value is None else str(value)), quote=True)


def write(path: Path, result) -> None:  # result: lynx.teacher.classroom.ClassResult
    from lynx.core.errors import LynxError
    from lynx.core.files import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, page(result))
    except OSError as exc:
        raise LynxError(f"cannot write {path}: {exc.strerror}", "pick a folder you can write to") from None


def written(path: Path, lang: str) -> None:
    sys.stdout.write(t("Report written to {path}", lang, path=str(path)) + "\n")


def page(r) -> str:
    lang, nonce = r.lang, secrets.token_urlsafe(16)
    title = t("lynx — the class", lang)
    when = r.as_of or r.generated
    sub = (t("as it stood at {when}", lang, when=when.replace("T", " ")) if r.as_of
           else t("read {when}", lang, when=when.replace("T", " ")))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'nonce-{nonce}'; img-src data:\">",
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{esc(title)}</h1><p class=\"sub\">{esc(sub)} · "
        f"{esc(t('{n} learners', lang, n=r.total))}"
        + (f" · <span class=\"bad\">{esc(t('{n} remotes not read', lang, n=r.failed))}</span>" if r.failed else "")
        + (f" · {esc(t('sandbox: {kind}', lang, kind=r.sandbox))}" if r.sandbox else "") + "</p>",
        nav(r, lang), "</header><main>",
        class_table(r, lang),
        activity(r, lang),
        items(r.items or {"questions": [], "breaks": [], "cards": []}, lang),
        learners(r, lang),
        f"</main><script nonce=\"{nonce}\">{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def nav(r, lang: str) -> str:
    links = [("class", t("Class", lang)), ("activity", t("Activity per week", lang)),
             ("questions", t("Questions", lang)), ("breaks", t("Breaks", lang)), ("cards", t("Cards", lang)),
             ("learners", t("Learners", lang))]
    return "<nav>" + " ".join(f'<a href="#{k}">{esc(v)}</a>' for k, v in links) + "</nav>"


def class_table(r, lang: str) -> str:
    names = heads(lang)
    cols = ["name", "phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due", "last_activity"]
    verify = any("verified" in row for row in r.rows)
    cols += ["verified"] if verify else []
    out = [f'<section id="class"><h2>{esc(t("Class", lang))}</h2>',
           f'<p class="hint">{esc(t("Click a heading to sort by it.", lang))}</p>',
           '<table class="sortable" id="class-table"><thead><tr>']
    out += [f'<th scope="col" data-type="{"text" if c in ("name", "quiz") else "num"}">{esc(names[c])}</th>' for c in cols]
    out.append(f'<th scope="col" data-type="text">{esc(names["note"])}</th></tr></thead><tbody>')
    for i, row in enumerate(r.rows):
        tds = []
        for c in cols:
            raw = row.get(c)
            key = "" if raw is None or isinstance(raw, dict) else raw
            text = esc(cell(row, c, lang))
            if c == "name":
                text = f'<a href="#learner-{i}">{text}</a>'
            tds.append(f'<td data-v="{esc(key)}">{text}</td>')
        note = note_text(row.get("note") or "", lang)
        cls = ' class="bad"' if row.get("claims_failed") or row.get("warning") else ""
        tds.append(f"<td{cls}>{esc(note)}{'<br>' + esc(row['warning']) if row.get('warning') else ''}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def bars(rows: list[tuple[str, float, str]], width: int = 640, unit: str = "%") -> str:
    """A horizontal bar chart (inline SVG): ``(label, value 0..1, shown text)`` per bar."""
    if not rows:
        return ""
    h, left = 18, 240
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {len(rows) * (h + 4) + 4}" '
           f'width="{width}" height="{len(rows) * (h + 4) + 4}">']
    for i, (label, value, shown) in enumerate(rows):
        y = 4 + i * (h + 4)
        w = max(1, round((width - left - 60) * max(0.0, min(1.0, value))))
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{esc(label if len(label) <= 34 else label[:33] + "…")}</text>'
                   f'<rect x="{left}" y="{y}" width="{w}" height="{h}" rx="2"><title>{esc(shown)}</title></rect>'
                   f'<text x="{left + w + 4}" y="{y + 13}">{esc(shown)}</text>')
    out.append("</svg>")
    return "".join(out)


def activity(r, lang: str) -> str:
    total: dict[str, int] = {}
    for d in r.details:
        for week, n in (d.get("weeks") or {}).items():
            total[week] = total.get(week, 0) + n
    out = [f'<section id="activity"><h2>{esc(t("Activity per week", lang))}</h2>']
    if not total:
        return out[0] + f"<p>{esc(t('No activity yet.', lang))}</p></section>"
    weeks = sorted(total)[-26:]
    top = max(total[w] for w in weeks)
    width, h = max(320, 28 * len(weeks)), 140
    svg = [f'<svg class="chart" role="img" viewBox="0 0 {width} {h + 34}" width="{width}" height="{h + 34}">']
    for i, w in enumerate(weeks):
        bh = max(1, round(h * total[w] / top))
        svg.append(f'<rect x="{i * 28 + 4}" y="{h - bh + 4}" width="20" height="{bh}" rx="2"><title>{esc(w)}: '
                   f'{total[w]}</title></rect><text class="small" x="{i * 28 + 14}" y="{h + 18}" '
                   f'text-anchor="middle">{esc(w[-3:])}</text>')
    svg.append("</svg>")
    out.append(f"<p>{esc(t('Events per ISO week (breaks, quizzes, card reviews), the whole class.', lang))}</p>")
    out.append("".join(svg) + "</section>")
    return "\n".join(out)


def _table(tid: str, head: list[str], rows: list[list[str]]) -> str:
    out = [f'<table class="sortable" id="{tid}"><thead><tr>']
    out += [f'<th scope="col">{esc(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return "".join(out)


def _pct(v: Any) -> str:
    return "—" if v is None else f"{v:.0%}"


def items(it: dict[str, list[dict[str, Any]]], lang: str) -> str:
    q = it["questions"]
    out = [f'<section id="questions"><h2>{esc(t("Questions", lang))}</h2>',
           f"<p>{esc(t('Share right of each learner’s first answer, the most missed first.', lang))}</p>",
           bars([(f"{x['id']} {x['topic'] or ''}", x["share_correct"], f"{x['correct']}/{x['answered']}") for x in q[:20]]),
           _table("questions-table", [t("Question", lang), t("Topic", lang), t("Answered", lang), t("Right", lang),
                                      t("Most common wrong answer", lang)],
                  [[esc(x["id"]), esc(x["topic"]), str(x["answered"]), f"{x['correct']} ({_pct(x['share_correct'])})",
                    esc(f"{x['wrong_answer']} ×{x['wrong_count']}" + (f": {x['wrong_text']}" if x["wrong_text"] else ""))
                    if x["wrong_answer"] else "—"] for x in q]) if q else f"<p>{esc(t('No quiz answered yet.', lang))}</p>",
           "</section>"]
    b = it["breaks"]
    out += [f'<section id="breaks"><h2>{esc(t("Breaks", lang))}</h2>',
            f"<p>{esc(t('Share whose first prediction was right, the most surprising first.', lang))}</p>",
            bars([(x["id"], x["share_predicted_right"] or 0.0, f"{x['predicted_right']}/{x['rated']}")
                  for x in b if x["share_predicted_right"] is not None]),
            _table("breaks-table", [t("Break", lang), t("Done", lang), t("With solution", lang), t("Mean hints", lang),
                                    t("Predicted right", lang), t("Brier", lang), t("Wrong predictions most often made", lang)],
                   [[esc(x["id"] + (f" {x['title']}" if x["title"] else "")), f"{x['done']}/{x['tried']}",
                     str(x["with_solution"]), esc(x["mean_hints"]), _pct(x["share_predicted_right"]),
                     esc("—" if x["brier"] is None else x["brier"]),
                     "<br>".join(esc(f"{w['prediction']} ×{w['count']}") for w in x["wrong_predictions"]) or "—"]
                    for x in b]) if b else f"<p>{esc(t('No break tried yet.', lang))}</p>",
            "</section>"]
    c = it["cards"][:40]
    out += [f'<section id="cards"><h2>{esc(t("Cards", lang))}</h2>',
            _table("cards-table", [t("Card", lang), t("Term", lang), t("Learners", lang), t("Lapses", lang),
                                   t("Learners with a lapse", lang)],
                   [[esc(x["id"]), esc(x["term"]), str(x["learners"]), str(x["lapses"]), str(x["with_lapses"])] for x in c])
            if c else f"<p>{esc(t('No card studied yet.', lang))}</p>", "</section>"]
    return "\n".join(out)


def learners(r, lang: str) -> str:
    out = [f'<section id="learners"><h2>{esc(t("Learners", lang))}</h2>']
    for i, d in enumerate(r.details):
        facts = " · ".join(esc(x) for x in (d.get("id"), d.get("email"), d.get("remote"), d.get("branch")) if x)
        out.append(f'<article id="learner-{i}"><h3>{esc(d["name"])}</h3><p class="sub">{facts}</p>')
        if d.get("note"):
            out.append(f'<p class="bad">{esc(note_text(d["note"], lang))}</p>')
        rows = []
        for b in d["breaks"]:
            for a in b["attempts"]:
                conf = f" ({a['confidence']:g}%)" if isinstance(a.get("confidence"), (int, float)) else ""
                rows.append([esc(b["id"]), esc(a.get("outcome") or t("open", lang)), esc(a.get("hints") or 0),
                             f'<q>{esc(a.get("prediction") or "—")}</q>{esc(conf)}', esc(a.get("calibration") or "—"),
                             esc(b.get("verified") or "")])
        if rows:
            out.append(_table(f"learner-{i}-breaks", [t("Break", lang), t("Outcome", lang), t("Hints", lang),
                                                       t("Prediction", lang), t("Right?", lang), t("Verified", lang)], rows))
        if d["quizzes"]:
            out.append("<p>" + esc(t("Quiz attempts", lang)) + ": " + ", ".join(
                esc(f"{q.get('quiz')} {q.get('score')}/{q.get('total')} ({(q.get('started') or '')[:10]})")
                for q in d["quizzes"]) + "</p>")
        c = d["cards"]
        out.append("<p>" + esc(t("Cards: {known} studied, {due} due today, {reviews} reviews, {lapses} lapses", lang,
                                 known=c["known"], due=c["due"] if c["due"] is not None else "—",
                                 reviews=c["reviews"], lapses=c["lapses"])) + "</p>")
        weeks = d.get("weeks") or {}
        if weeks:
            top = max(weeks.values())
            spark = "".join(f'<rect x="{j * 8}" y="{24 - max(1, round(22 * n / top))}" width="6" '
                            f'height="{max(1, round(22 * n / top))}"><title>{esc(w)}: {n}</title></rect>'
                            for j, (w, n) in enumerate(sorted(weeks.items())[-40:]))
            out.append(f'<svg class="spark" viewBox="0 0 {8 * min(40, len(weeks))} 24" '
                       f'width="{8 * min(40, len(weeks))}" height="24" role="img">{spark}</svg>')
        out.append("</article>")
    out.append("</section>")
    return "\n".join(out)
