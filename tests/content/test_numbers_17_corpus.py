"""Issue 20 §5, a corpus big enough: minimodel.synthetic and `lynx lab 17 train --corpus synthetic`.

The generator is checked against a recogniser written here from the grammar's description (every
sentence parses, number agrees, Zipf's slope, the exact statistics against the text), and the
section "A corpus big enough" of page 05 against what the code computes and the lab prints.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from minimodel import synthetic
from test_numbers_17_lab import _run_lab

REPO = Path(__file__).resolve().parents[2]
HEADING = {"en": "## A corpus big enough", "es": "## Un corpus suficientemente grande"}

# --- a recogniser of the language, from its description (not from the generator's code) -----------------------
LEX = synthetic.LEXICON
SINGULAR, PLURAL = set(synthetic.DET["sg"]), set(synthetic.DET["pl"])
NOUN = {n: r for r, n in enumerate(LEX.noun)}
RANK = {"adj": {w: r for r, w in enumerate(LEX.adj)}, "verb": {w: r for r, w in enumerate(LEX.verb)},
        "iverb": {w: r for r, w in enumerate(LEX.iverb)}, "prep": {w: r for r, w in enumerate(synthetic.PREP)}}


_NORM = {n: sum((r + 1) ** -synthetic.ZIPF_S for r in range(n)) for n in {4, len(synthetic.PREP), *synthetic.SIZES.values()}}


def _zipf_p(rank: int, n: int) -> float:
    """Zipf's law as the module's docstring states it: P(rank r) = r**-s / sum over the class."""
    return (rank + 1) ** -synthetic.ZIPF_S / _NORM[n]


def _noun_phrase(words: list[str], with_adj: bool) -> tuple[bool, float, list[str]] | None:
    """(singular?, log2 P, rest) if `words` starts with a determiner, an adjective if asked, a noun that agree."""
    need = 3 if with_adj else 2
    if len(words) < need:
        return None
    det, noun = words[0], words[need - 1]
    sg = noun in NOUN
    if not sg and not (noun.endswith("s") and noun[:-1] in NOUN):
        return None
    stem, dets = (noun, synthetic.DET["sg"]) if sg else (noun[:-1], synthetic.DET["pl"])
    if det not in dets or (with_adj and words[1] not in RANK["adj"]):
        return None
    p = (synthetic.P_SINGULAR if sg else 1 - synthetic.P_SINGULAR) * _zipf_p(dets.index(det), 4)
    p *= _zipf_p(NOUN[stem], len(NOUN)) * (_zipf_p(RANK["adj"][words[1]], len(LEX.adj)) if with_adj else 1.0)
    return sg, math.log2(p), words[need:]


def parse(words: list[str]) -> list[tuple[int, float]]:
    """Every (template, log2 P(sentence)) that reads `words`, agreement checked: the verb ends in -s
    exactly when the subject is singular."""
    found = []
    for t, template in enumerate(synthetic.TEMPLATES):
        rest, logp, subject_sg, ok = words, math.log2(synthetic.P_TEMPLATE[t]), None, True
        for slot, with_adj in template:
            if slot == "np":
                np_ = _noun_phrase(rest, with_adj)
                if np_ is None:
                    ok = False
                    break
                sg, lp, rest = np_
                subject_sg = sg if subject_sg is None else subject_sg
                logp += lp
            elif slot == "p":
                if not rest or rest[0] not in RANK["prep"]:
                    ok = False
                    break
                logp, rest = logp + math.log2(_zipf_p(RANK["prep"][rest[0]], len(synthetic.PREP))), rest[1:]
            else:
                kind = RANK["verb" if slot == "v" else "iverb"]
                stem = rest[0][:-1] if rest and subject_sg else (rest[0] if rest else "")
                if not rest or stem not in kind or rest[0].endswith("s") != subject_sg:
                    ok = False
                    break
                logp, rest = logp + math.log2(_zipf_p(kind[stem], len(kind))), rest[1:]
        if ok and not rest:
            found.append((t, logp))
    return found


@pytest.fixture(scope="module")
def text() -> str:
    return synthetic.generate(300_000, seed=7)


@pytest.fixture(scope="module")
def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


# --- the generator ---------------------------------------------------------------------------------------------
def test_deterministic_for_a_seed_and_fast():
    start = time.perf_counter()
    a = synthetic.generate(300_000, seed=3)
    assert time.perf_counter() - start < 3.0, "a few hundred thousand words in well under a few seconds"
    assert a == synthetic.generate(300_000, seed=3)
    assert a != synthetic.generate(300_000, seed=4)
    assert synthetic.LEXICON == synthetic.Lexicon.build(), "the language is the same whatever the text's seed"


def test_at_least_n_words_in_whole_sentences():
    for n in (1, 10, 1000, 12_345):
        text = synthetic.generate(n, seed=0)
        count = len(text.split())
        last = synthetic.sentences(n, seed=0)[-1]
        assert n <= count < n + len(last), "whole sentences, stopping as soon as there are n words"
        assert text.endswith(".") and text[0].isupper()


def test_every_sentence_parses_and_agrees(text):
    sentences = [s.split() for s in text.lower().split(".") if s.strip()]
    assert len(sentences) > 40_000
    templates = Counter()
    for s in sentences:
        parses = parse(s)
        assert len(parses) == 1, f"{' '.join(s)!r} should read one way, read {len(parses)}"
        templates[parses[0][0]] += 1
    share = np.array([templates[t] for t in range(len(synthetic.TEMPLATES))]) / len(sentences)
    assert np.abs(share - synthetic.P_TEMPLATE).max() < 0.01


def test_agreement_is_not_vacuous():
    # the recogniser rejects a singular subject with a plural verb and the reverse
    good = synthetic.sentences(200, seed=1)
    good = next(s for s in good if len(s) == 5)  # template 0: det noun verb det noun
    assert len(parse(good)) == 1
    verb = good[2]
    bad = [*good[:2], verb[:-1] if verb.endswith("s") else verb + "s", *good[3:]]
    assert parse(bad) == []


def test_zipf_slope(words):
    # within a class, frequency against the lexicon's rank: log f = -s log r + c
    counts = Counter(w[:-1] if w not in NOUN and w[:-1] in NOUN else w for w in words)
    f = np.array([counts[n] for n in LEX.noun[:200]], dtype=float)
    slope = np.polyfit(np.log(np.arange(1, 201)), np.log(f), 1)[0]
    assert slope == pytest.approx(-synthetic.ZIPF_S, abs=0.05)
    # and over every word form ranked by frequency, as Zipf plotted it (a mixture of Zipf classes)
    ranked = np.sort(np.array(list(Counter(words).values()), dtype=float))[::-1]
    slope = np.polyfit(np.log(np.arange(10, 1001)), np.log(ranked[9:1000]), 1)[0]
    assert slope == pytest.approx(-synthetic.ZIPF_S, abs=0.15)


def test_statistics_match_the_text(text, words):
    st = synthetic.statistics()
    counts = Counter(words)
    assert set(counts) == set(synthetic.unigram()) and st.vocab_size == len(counts) == 1353
    p = np.array(list(counts.values())) / len(words)
    assert -(p * np.log2(p)).sum() == pytest.approx(st.unigram_entropy_bits, abs=0.01)
    assert len(words) / text.count(".") == pytest.approx(st.mean_sentence_words, abs=0.02)
    u = synthetic.unigram()
    assert sum(u.values()) == pytest.approx(1.0)
    for w in ("the", LEX.noun[0], LEX.verb[0] + "s"):
        assert counts[w] / len(words) == pytest.approx(u[w], rel=0.03)


def test_entropy_rate_is_the_mean_surprise_of_a_sentence(text):
    # H(sentence) estimated as the mean -log2 P(sentence) of the recogniser, over the sentences drawn
    st = synthetic.statistics()
    sentences = [s.split() for s in text.lower().split(".") if s.strip()]
    surprise = np.mean([-parse(s)[0][1] for s in sentences])
    assert surprise / st.mean_sentence_words == pytest.approx(st.entropy_rate_bits, rel=0.01)
    assert st.entropy_rate_bits < st.unigram_entropy_bits < math.log2(st.vocab_size)


# --- page 05 quotes the language's statistics ------------------------------------------------------------------
def dec(x: float, digits: int, lang: str) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "es" else text


def whole(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "es" else text


def section(lang: str) -> str:
    page = (REPO / "phases/17-mini-gpt/theory" / f"05-training-lab.{lang}.md").read_text(encoding="utf-8")
    assert HEADING[lang] in page
    return page.split(HEADING[lang], 1)[1].split("\n## ", 1)[0]


def language_numbers(lang: str) -> list[str]:
    st = synthetic.statistics()
    return [str(synthetic.SIZES["noun"]), str(synthetic.SIZES["verb"]), str(synthetic.SIZES["iverb"]),
            str(synthetic.SIZES["adj"]), str(len(synthetic.PREP)), str(len(synthetic.TEMPLATES)),
            whole(st.vocab_size, lang), f"s = {dec(st.zipf_s, 0, lang)}", dec(st.unigram_entropy_bits, 3, lang),
            dec(st.unigram_perplexity, 1, lang), dec(st.entropy_rate_bits, 3, lang),
            dec(st.entropy_rate_perplexity, 1, lang), dec(st.mean_sentence_words, 2, lang),
            dec(synthetic.P_SINGULAR, 1, lang)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_05_quotes_the_language(lang):
    body = section(lang)
    for value in language_numbers(lang):
        assert value in body, f"page 05 ({lang}), section {HEADING[lang]!r}, should say {value}"


# --- and the lab's real result (slow: two runs of the lab) -----------------------------------------------------
@pytest.fixture(scope="module")
def synthetic_lab() -> dict:
    return _run_lab("--corpus", "synthetic")


@pytest.fixture(scope="module")
def bundled_lab() -> dict:
    return _run_lab()


@pytest.fixture(scope="module")
def longer_lab() -> dict:
    return _run_lab("--corpus", "synthetic", "--steps", "1800")


def lab_numbers(syn: dict, bundled: dict, longer: dict, lang: str) -> list[str]:
    t, p, c = syn["tokens"], syn["perplexity"], syn["corpus"]
    b = bundled["perplexity"]
    assert syn["settings"]["vocab_size"] == bundled["settings"]["vocab_size"], "the same tokenizer pipeline"
    return [str(syn["settings"]["vocab_size"]), whole(c["words"], lang), whole(t["corpus_bytes"], lang), whole(t["corpus_tokens"], lang),
            whole(t["train_tokens"], lang), whole(t["held_out_tokens"], lang),
            "{steps} × {batch_size} × {block_size} = ".format(**syn["settings"])
            + whole(syn["settings"]["steps"] * syn["settings"]["batch_size"] * syn["settings"]["block_size"], lang),
            dec(p["initial"], 1, lang), dec(p["best_held_out"], 1, lang), str(syn["best_held_out"]["step"]),
            dec(p["final_train"], 2, lang), dec(p["final_held_out"], 1, lang), dec(syn["final_train_loss"], 3, lang),
            dec(syn["final_held_out_loss"], 3, lang), dec(c["held_out_bits_per_word"], 3, lang),
            # the bundled corpus, for the contrast (page 06 quotes the same run)
            dec(b["best_held_out"], 1, lang), str(bundled["best_held_out"]["step"]), dec(b["final_held_out"], 1, lang),
            dec(b["final_train"], 2, lang),
            # three times the steps: still no overfitting, closer to the floor
            str(longer["settings"]["steps"]), dec(longer["perplexity"]["best_held_out"], 1, lang),
            dec(longer["perplexity"]["final_train"], 2, lang), dec(longer["corpus"]["held_out_bits_per_word"], 3, lang)]


@pytest.mark.slow
def test_synthetic_corpus_does_not_overfit(synthetic_lab):
    lab = synthetic_lab
    held_out = [e["held_out"] for e in lab["evals"]]
    assert all(b < a for a, b in zip(held_out, held_out[1:])), "the held-out loss falls at every evaluation"
    assert lab["best_held_out"]["step"] == lab["settings"]["steps"] == 600
    assert abs(lab["final_held_out_loss"] - lab["final_train_loss"]) < 0.1, "no gap between training and held out"
    s = lab["settings"]
    assert s["steps"] * s["batch_size"] * s["block_size"] < lab["tokens"]["train_tokens"], "less than one epoch"
    assert lab["corpus"]["language"] == {k: getattr(synthetic.statistics(), k) for k in lab["corpus"]["language"]}
    # a model of the text can be no better than the language's entropy rate (bits per word)
    assert lab["corpus"]["held_out_bits_per_word"] > synthetic.statistics().entropy_rate_bits
    assert lab["greedy"].startswith(f"The {synthetic.LEXICON.noun[0]}")


@pytest.mark.slow
def test_longer_run_still_does_not_overfit(synthetic_lab, longer_lab):
    assert longer_lab["best_held_out"]["step"] == longer_lab["settings"]["steps"] == 1800
    bits = longer_lab["corpus"]["held_out_bits_per_word"]
    st = synthetic.statistics()
    assert st.entropy_rate_bits < bits < st.unigram_entropy_bits < synthetic_lab["corpus"]["held_out_bits_per_word"]


GREEDY_GOOD, GREEDY_BROKEN = "The vilel rosus the vilel.", "The kostun gotals the vilel."
AGREEMENT = ("A vilel rosus the vilel.", "These vilels rosu the vilel.")


def test_page_examples_are_what_the_grammar_says():
    for sentence in AGREEMENT + (GREEDY_GOOD,):
        assert len(parse(sentence.lower().rstrip(".").split())) == 1, sentence
    assert parse(GREEDY_BROKEN.lower().rstrip(".").split()) == []
    assert parse("these vilels rosus the vilel".split()) == [], "the verb agrees with a plural subject"
    assert synthetic.LEXICON.noun[0] == "vilel" and "kostun" in synthetic.LEXICON.adj
    for lang in ("en", "es"):
        body = section(lang)
        assert all(f"`{s}`" in body for s in (*AGREEMENT, GREEDY_GOOD, GREEDY_BROKEN, "The vilel", "kostun"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_05_quotes_the_synthetic_run(synthetic_lab, bundled_lab, longer_lab, lang):
    sentences = [s.strip() + "." for s in synthetic_lab["greedy"].split(".")[:-1]]
    assert GREEDY_GOOD in sentences and GREEDY_BROKEN in sentences, "the page quotes the greedy continuation"
    body = section(lang)
    quoted = lab_numbers(synthetic_lab, bundled_lab, longer_lab, lang) + language_numbers(lang)
    for value in quoted:
        assert value in body, f"page 05 ({lang}), section {HEADING[lang]!r}, should say {value}"
    # and no other number: each one in the section is the code's (the heading and commands aside)
    prose = re.sub(r"`[^`]*`|\"[^\"]*\"|\[[^\]]*\]\([^)]*\)", " ", body)
    allowed = set(quoted) | {"1949"}  # the year of Zipf's book
    for number in re.findall(r"\d[\d.,]*\d|\d", prose):
        number = number.rstrip(".,")
        assert number in allowed or any(number in v for v in allowed), f"page 05 ({lang}) states {number}, not the code's"
