"""`lynx watch`'s frame (lynx/term/watch_view.py): the title, the hints, the verdict and the keys, narrower
than the terminal and never taller than it, in English and Spanish; the events that change it."""

from __future__ import annotations

import re

import pytest

from lynx.activities.checks import CaseResult, CheckResult
from lynx.activities.watching import Event, Target, Verdict
from lynx.term.watch_screen import KEY
from lynx.term.watch_view import State, apply, frame, key_name

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TARGET = Target("break", "13-01", {"en": "Embedding backward that forgets repeated tokens",
                                   "es": "Un backward del embedding que olvida los tokens repetidos"},
                ("src/minimodel/nn/embedding.py",), hints=4)
FAILING = CheckResult((CaseResult("test_repeated_ids_accumulate", False, "AssertionError: token 2 was read 3 times",
                                  detail="AssertionError: \nNot equal to tolerance rtol=1e-07, atol=0\n"
                                         "token 2 was read 3 times\nMismatched elements: 3 / 3 (100%)"),
                       CaseResult("test_gradient_matches_finite_differences", False, "AssertionError: mismatch"),
                       CaseResult("test_untouched", True)), "")
PASSING = CheckResult(tuple(CaseResult(c.name, True) for c in FAILING.tests), "")
HINTS = ["Which tokens have a ratio of exactly 1, and what do they have in common?",
         "A token read k times contributes k gradients to the same row. The one-hot view says the row's gradient "
         "is onehot(ids)ᵀ @ G, a sum. Does the backward in src/minimodel/nn/embedding.py compute a sum?",
         "Try it in Python: `a = np.zeros(3); a[[0, 0, 0]] += 1; print(a)`. Then look up `np.add.at`."]


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _state(result=FAILING, hints=(), **kw) -> State:
    return State(TARGET, hints=list(hints), verdict=Verdict(result, None, 0.31, True), checking=False, **kw)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("cols,rows", [(100, 40), (80, 24), (60, 20), (40, 12)])
def test_the_frame_fits_the_terminal(lang, cols, rows):
    for st in (_state(hints=HINTS, note="Unknown key x: h hint · r run · d fix diff · c check · q quit."),
               _state(PASSING, hints=HINTS[:1])):
        lines = frame(st, lang, cols, rows)
        assert len(lines) <= rows
        wide = [ln for ln in lines if len(ANSI.sub("", ln)) >= cols]
        assert not wide, f"lines as wide as the terminal (they would wrap): {wide}"


def test_a_failing_frame_names_the_break_its_first_failure_and_the_keys():
    text = "\n".join(frame(_state(hints=HINTS[:1]), "en", 100, 40))
    assert "lynx watch — break 13-01: Embedding backward that forgets repeated tokens" in text
    assert "Hint 1/4  Which tokens have a ratio" in text
    assert "✗ repeated ids accumulate" in text and "✓ untouched" in text
    assert "token 2 was read 3 times" in text and "2 of 3 checks fail." in text
    assert "h next hint · r run the program · d fix diff · c check now · q quit" in text
    assert "check passes" not in text


def test_a_passing_frame_says_so_and_offers_done():
    text = _flat(frame(_state(PASSING), "en", 100, 40))
    assert "All 3 checks pass." in text
    assert "✓ check passes: the bug is gone. Press Enter to record it (lynx done), or q to quit." in text
    assert "✗" not in text and "fail" not in text.lower()


def test_a_small_terminal_keeps_the_last_hint_and_the_verdict_head():
    lines = frame(_state(hints=HINTS), "en", 80, 18)
    text = "\n".join(lines)
    assert "(2 earlier hints: lynx hint --all)" in text and "Hint 3/4" in text and "Hint 1/4" not in text
    assert "lynx check — break 13-01" in text and lines[-1].startswith(("h next hint", "  "))


def test_spanish():
    text = _flat(frame(_state(PASSING), "es", 100, 40))
    assert "ruptura 13-01: Un backward del embedding" in text
    assert "la comprobación pasa" in text and "Vigilando src/" in text


def test_before_the_first_verdict_and_while_checking():
    st = State(TARGET)
    assert "Checking your code…" in "\n".join(frame(st, "en", 100, 40))
    apply(st, Event("verdict", verdict=Verdict(FAILING, None, 1.5, False)), "en")
    assert "Checked in 1.50 s (cold)." in "\n".join(frame(st, "en", 100, 40))
    apply(st, Event("checking", changed=("src/minimodel/nn/embedding.py",)), "en")
    assert "src/minimodel/nn/embedding.py saved: checking…" in "\n".join(frame(st, "en", 100, 40))
    apply(st, Event("verdict", verdict=Verdict(PASSING, None, 0.42, True)), "en")
    text = "\n".join(frame(st, "en", 100, 40))
    assert "Checked 0.42 s after your save (warm)." in text and "check passes" in text


def test_a_check_that_could_not_run_is_a_failure_with_its_reason():
    st = _state()
    st.verdict = Verdict(None, "`python -m pytest` ran longer than 120 s and was stopped", 120.0, True)
    text = _flat(frame(st, "en", 100, 40))
    assert "✗ python -m pytest ran longer than 120 s" in text and "check passes" not in text


def test_a_build_has_no_hints_and_its_own_next_step():
    build = Target("build", "13", {"en": "Write the embedding"}, ("src/minimodel/nn/embedding.py",), hints=0)
    st = State(build, verdict=Verdict(PASSING, None, 0.5, True), checking=False)
    text = _flat(frame(st, "en", 100, 40))
    assert "lynx watch — build 13: Write the embedding" in text and "Hint" not in text
    assert "lynx build 13 --questions" in text and "c check now · q quit" in text


def test_keys_are_read_one_at_a_time_escape_sequences_whole():
    assert [m.group(0) for m in KEY.finditer("hx\x1b[Aq\r")] == ["h", "x", "\x1b[A", "q", "\r"]
    assert key_name("\x1b[A") == "Esc" and key_name("\x01") == "^A" and key_name("z") == "z"
