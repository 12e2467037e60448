"""`lynx cards` on par with Anki, driven as a learner would (pexpect, real workspaces, a fixed clock): the
intervals on the rating buttons, each mode's summary, typed answers, the retention setting, the stats."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pexpect

from lynx.activities import card_games
from lynx.content import deck
from kit import ENV, lynx

DAY0 = "2026-03-02T09:00:00+00:00"


def spawn(ws: Path, *args: str, now: str = DAY0, columns: int = 120) -> pexpect.spawn:
    env = {**ENV, "LYNX_NOW": now, "TERM": "xterm", "COLUMNS": str(columns)}
    return pexpect.spawn(sys.executable, ["-m", "lynx", "cards", *args], cwd=str(ws), env=env,
                         encoding="utf-8", timeout=30, dimensions=(50, columns))


def states(ws: Path) -> dict:
    return json.loads((ws / "learners" / "borja" / "cards.json").read_text())


def set_toml(ws: Path, lines: str) -> None:
    toml = ws / "lynx.toml"
    toml.write_text(toml.read_text().replace("[workspace]\n", f"[workspace]\n{lines}\n"))


def test_the_buttons_show_each_rating_s_interval_and_the_review_ends_with_a_summary(workspace):
    child = spawn(workspace, "--phase", "13", "--new", "1")
    child.expect(r"\[1/1\] c-13-01 .* new")
    child.expect("Enter shows the answer")
    child.sendline("")
    # FSRS's defaults for a new card, learning steps 1m and 10m:
    child.expect(re.escape("1 Again · 1m  2 Hard · 6m  3 Good · 10m  4 Easy · 8d"))
    child.expect(r"How well did you recall it\? 1-4")
    child.sendline("3")
    child.expect("good → next in 10m")
    child.expect(r"\[2/2\] c-13-01 .* again")
    child.expect("Enter shows the answer")
    child.sendline("")
    child.expect(r"1 Again · (\d+)m  2 Hard · (\d+)m  3 Good · (\d+)d  4 Easy · (\d+)d")
    again, hard, good, easy = map(int, child.match.groups())
    assert again < hard and good < easy
    child.expect("How well did you recall it")
    child.sendline("5")  # not a button
    child.expect("type 1, 2, 3 or 4")
    child.sendline("3")
    child.expect(f"good → next in {good}d")
    child.expect("Done for today: 2 reviews")
    child.expect(r"Reviewed 2 · Again 0 · Hard 0 · Good 2 · Easy 0 · \d+s")
    child.expect(rf"Next card due in {good}d \(2026-03-0\d 09:00 UTC\)\.")
    child.expect(pexpect.EOF)
    log = states(workspace)["log"]
    assert [r["rating"] for r in log] == [3, 3]
    assert all(isinstance(r["ms"], int) and r["ms"] >= 0 for r in log)


def test_a_stopped_review_still_ends_with_its_summary(workspace):
    child = spawn(workspace, "--phase", "13", "--new", "2")
    child.expect("Enter shows the answer")
    child.sendline("")
    child.expect("How well did you recall it")
    child.sendline("1")
    child.expect("again → next in 1m")
    child.expect("Enter shows the answer")
    child.sendline("q")
    child.expect("Stopped; what you did is saved.")
    child.expect(r"Reviewed 1 · Again 1 · Hard 0 · Good 0 · Easy 0")
    child.expect(r"Next card due in 1m \(2026-03-02 09:01 UTC\)\. 1 due by the end of today\.")
    child.expect(pexpect.EOF)


def test_learn_ends_with_a_summary_in_spanish(workspace):
    child = spawn(workspace, "--learn", "--count", "1", "--phase", "14", "--lang", "es")
    child.expect("Intro muestra la respuesta")
    child.sendline("")
    child.expect("¿Lo recordabas")
    child.sendline("n")
    child.expect("Intro muestra la respuesta")
    child.sendline("")
    child.expect("¿Lo recordabas")
    child.sendline("s")
    child.expect("Aprendida 1 tarjeta nueva.")
    child.expect(r"Repasadas 2 · Otra vez 1 · Difícil 0 · Bien 1 · Fácil 0 · \d+ s")
    child.expect(r"La próxima tarjeta toca dentro de 10 min")
    child.expect(pexpect.EOF)


def test_a_higher_desired_retention_shows_shorter_intervals_on_the_buttons(workspace):
    """A fixed clock, one new card, three retention targets: Easy's interval shrinks as the target rises."""
    easy = {}
    for retention in ("0.8", "0.9", "0.97"):
        toml = workspace / "lynx.toml"
        text = re.sub(r"desired_retention = [0-9.]+\n", "", toml.read_text())
        toml.write_text(text.replace("[workspace]\n", f"[workspace]\ndesired_retention = {retention}\n"))
        r = lynx("cards", "--phase", "13", "--new", "1", cwd=workspace, input="\nq\n", env={"LYNX_NOW": DAY0})
        assert r.returncode == 0, r.stderr
        easy[retention] = int(re.search(r"4 Easy · (\d+)d", r.stdout).group(1))
    assert easy["0.97"] < easy["0.9"] < easy["0.8"], easy
    assert not (workspace / "learners/borja/cards.json").exists()  # stopped before any rating


def test_a_retention_outside_0_1_is_one_line_and_nothing_is_written(workspace):
    set_toml(workspace, "desired_retention = 1.5")
    for args in ((), ("--stats",), ("--learn",)):
        r = lynx("cards", *args, cwd=workspace, input="\n3\n")
        assert r.returncode == 2 and "desired_retention = 1.5" in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert not (workspace / "learners/borja/cards.json").exists()


def test_the_test_ends_with_the_score_and_the_missed_cards_and_takes_the_word_a_blank_hides(workspace):
    pool = deck.load(workspace)
    chosen = deck.select(pool, phase="13")
    seed = next(s for s in range(200) if any(q.kind == "typed" and q.card.id == "c-13-05"
                                             for q in card_games.make_test(chosen, pool, 6, random.Random(s))))
    questions = card_games.make_test(chosen, pool, 6, random.Random(seed))
    child = spawn(workspace, "--test", "--count", "6", "--phase", "13", "--seed", str(seed))
    missed = []
    for i, q in enumerate(questions, 1):
        child.expect(rf"\[{i}/6\] {q.card.id}")
        if q.card.id == "c-13-05":
            child.expect(re.escape("____ requires the input and output"))
            child.expect("> ")
            child.sendline("tying")  # what the blank hides, not the card's whole title
            child.expect("Right.")
            continue
        missed.append(q.card)
        if q.kind == "choice":
            child.expect(r"Your answer \(a-d")
            right = "abcd"[[o.id for o in q.options].index(q.card.id)]
            child.sendline("abcd"[("abcd".index(right) + 1) % 4])
        else:
            child.expect("> ")
            child.sendline("no idea")
        child.expect("Not quite")
    child.expect(re.escape("Score 1/6 (17%)"))
    child.expect(re.escape("Missed (due again tomorrow):"))
    for c in missed:
        child.expect(re.escape(c.id) + r"\s+" + re.escape(c.term["en"]))
    child.expect(pexpect.EOF)
    assert states(workspace)["sessions"][-1]["missed"] == [c.id for c in missed]


def test_match_shows_each_round_s_score_and_cuts_no_definition_mid_word(workspace):
    cards = deck.select(deck.load(workspace), phase="15")
    rounds = card_games.match_rounds(cards, 2, 5, 9)
    child = spawn(workspace, "--match", "--phase", "15", "--seed", "9", columns=80)
    seen = ""
    for r, (terms, defs) in enumerate(rounds, 1):
        child.expect(f"Round {r}\r\n")
        if r == 1:
            child.expect("Pair a number")
            seen += child.before
            child.sendline("1" + "abcde"[(defs.index(terms[0]) + 1) % 5])
            child.expect("✗")
        for n, c in enumerate(terms, 1):
            child.expect("Pair a number")
            seen += child.before
            child.sendline(f"{n}{'abcde'[defs.index(c)]}")
            child.expect(f"✓ {n}")
        child.expect(f"Round {r}: 5 ✓  {1 if r == 1 else 0} ✗")
    child.expect("10 ✓  1 ✗")
    child.expect(pexpect.EOF)
    assert not re.search(r"\w…", seen), "a definition was cut inside a word"
    assert all(len(line) <= 80 for line in seen.splitlines())
    assert states(workspace)["sessions"][-1]["rounds"] == [[5, 1], [5, 0]]


def test_stats_fit_80_columns_with_a_forecast_heatmap_and_streak(workspace):
    r = lynx("cards", "--phase", "13", "--new", "3", cwd=workspace, input="\n4\n\n4\n\n4\n", env={"LYNX_NOW": DAY0})
    assert r.returncode == 0, r.stderr
    r = lynx("cards", "--stats", cwd=workspace, env={"LYNX_NOW": DAY0, "COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "Due in the next 14 days" in r.stdout and "Reviews a day, the last 26 weeks" in r.stdout
    assert "streak: 1 day (longest 1 day)" in r.stdout and "target 90%" in r.stdout
    forecast = [ln for ln in lines if re.match(r" (today|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+\d\d-\d\d", ln)]
    assert len(forecast) == 14 and forecast[0].startswith(" today  03-02")
    heat = [ln for ln in lines if re.match(r" (Mon |Wed |Fri |    ) [·░▒▓█]( [·░▒▓█ ])+$", ln)]
    assert len(heat) == 7 and heat[0].rstrip().endswith("█")  # today, a Monday, is the busiest day
    s = json.loads(lynx("cards", "--stats", "--json", cwd=workspace, env={"LYNX_NOW": DAY0}).stdout)
    assert s["streak"] == {"current": 1, "longest": 1, "days": 1}
    assert sum(d["due"] for d in s["forecast"]) == 3 and s["heatmap"]["days"] == {"2026-03-02": 3}
    assert s["retention_target"] == 0.9 and s["reviews_today"] == 3


def test_plot_writes_a_png_or_refuses_a_missing_folder(workspace, tmp_path):
    png = tmp_path / "cards.png"
    r = lynx("cards", "--stats", "--plot", str(png), cwd=workspace, env={"LYNX_NOW": DAY0})
    assert r.returncode == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = lynx("cards", "--plot", str(tmp_path / "no" / "c.png"), cwd=workspace)
    assert r.returncode == 2 and "does not exist" in r.stderr and not (tmp_path / "no").exists()


def test_every_new_option_has_an_example_in_its_help(workspace):
    r = lynx("cards", "--help", cwd=workspace)
    assert r.returncode == 0
    for option in ("--export", "--import", "--deck", "--optimize", "--plot"):
        assert re.search(rf"{option}.*?Example:", " ".join(r.stdout.split()), re.S), option
