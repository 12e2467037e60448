"""The text corrections of issue 20, §1: each claim the review found wrong, now stated the way the
course's own code shows it, in English and in Spanish; and one decimal style in the Spanish prose."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from kit import REPO

LANGS = ("en", "es")


def yaml_of(rel: str) -> dict:
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


def question(quiz: str, qid: str) -> dict:
    return next(q for q in yaml_of(f"data/quizzes/{quiz}")["questions"] if q["id"] == qid)


def page(rel: str, lang: str) -> str:
    return (REPO / "phases" / f"{rel}.{lang}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_scaled_dot_product_card_names_d_k(lang: str) -> None:
    card = next(c for c in yaml_of("data/cards/seq-transformers.yaml")["cards"] if c["id"] == "c-15-04")
    back = card["back"][lang]
    assert "sᵀ h / √d_k" in back and "√n" not in back
    assert "d_k" in back.split("√d_k", 1)[1], "d_k is defined where it is used"


@pytest.mark.parametrize("lang", LANGS)
def test_unshifted_targets_repeat_the_last_token(lang: str) -> None:
    # break 17-00's own symptom (pinned in test_break_symptoms.py): the greedy continuation is 'The lynxxxx…'
    from test_break_symptoms import PINS

    assert any(out.startswith("'The lynxxxxxxxx") for out, _ in PINS["17-00"][0])
    last = {"en": "repeats the last token", "es": "repite el último token"}[lang]
    text = page("17-mini-gpt/theory/01-architecture", lang)
    explanation = question("phase-17-mini-gpt.yaml", "q-17-02")["explanation"][lang]
    for where in (text, explanation):
        assert last in where and "'The lynxxxxxxxx…'" in where
        assert "prompt" not in where.split(last, 1)[0][-200:], "no longer 'repeats the prompt'"


def test_tanh_forget_gate_still_erases_at_zero() -> None:
    # what break 14-00's why now claims, computed: tanh(0) = 0 erases; a strongly negative
    # pre-activation gives f ≈ 0 under a sigmoid (erase) but f ≈ -1 under tanh (negate).
    z = -6.0
    sigmoid = 1 / (1 + np.exp(-z))
    assert np.tanh(0.0) == 0.0 and sigmoid < 0.01 and np.tanh(z) < -0.99
    why = yaml_of("breaks/14-00-lstm-forget-tanh/break.yaml")["why"]
    assert "tanh(0) = 0 still erases" in why["en"] and "f ≈ -1" in why["en"]
    assert "tanh(0) = 0 sigue borrando" in why["es"] and "f ≈ -1" in why["es"]
    assert "impossible" not in why["en"] and "imposible" not in why["es"]


@pytest.mark.parametrize("lang", LANGS)
def test_init_std_is_attributed_to_gpt1(lang: str) -> None:
    b = yaml_of("breaks/13-02-embedding-init-scale/break.yaml")
    texts = [b["why"][lang], *(h[lang] for h in b["hints"]), page("13-embeddings/theory/02-init-scale", lang)]
    for text in texts:
        assert "GPT-2" not in text
    assert "GPT-1 (Radford et al. 2018)" in b["why"][lang]
    assert "GPT-1 (Radford et al. 2018)" in page("13-embeddings/theory/02-init-scale", lang)
    assert {"en": "for this reason", "es": "por eso"}[lang] not in b["why"][lang], "the unsupported motive is gone"


@pytest.mark.parametrize("lang", LANGS)
def test_q13_11_agrees_with_page_02(lang: str) -> None:
    # page 13/02's test (test_numbers_13_theory.test_page_02_table) pins that at std 1 the top logit at
    # every position is the input token's own; the quiz now says so instead of "arbitrary tokens".
    explanation = question("phase-13-embeddings.yaml", "q-13-11")["explanation"][lang]
    assert {"en": "input token's own", "es": "propio token de entrada"}[lang] in explanation
    assert {"en": "arbitrary", "es": "arbitrarios"}[lang] not in explanation


def test_q16_10_asks_by_what_factor_in_spanish() -> None:
    q = question("phase-16-transformer-block.yaml", "q-16-10")
    assert "¿por qué factor multiplicaron" in q["prompt"]["es"]


# A decimal number written with a point: 0.02, 1.0 (not a thousands group like 17.440, not 5.3 after "Sección").
_POINT_DECIMAL = re.compile(r"(?<![\w.,])(?:0\.\d+|\d+\.\d{1,2}|\d+\.\d{4,})(?![\w.])")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def _prose(text: str) -> str:
    """Text outside code (fences and inline code keep Python's decimal point), without section numbers."""
    return re.sub(r"Secci[oó]n \d+(\.\d+)*", "", _CODE.sub("", text))


def _spanish_fields(node, where: str):
    if isinstance(node, dict):
        if isinstance(node.get("es"), str):
            yield where, node["es"]
        for k, v in node.items():
            yield from _spanish_fields(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _spanish_fields(v, f"{where}[{i}]")


def _spanish_texts():
    for path in sorted((REPO / "phases").glob("*/theory/*.es.md")):
        yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")
    for folder in ("data", "breaks", "phases"):
        for path in sorted((REPO / folder).rglob("*.yaml")):
            for where, text in _spanish_fields(yaml.safe_load(path.read_text(encoding="utf-8")), ""):
                yield f"{path.relative_to(REPO)}{where}", text


def test_spanish_prose_writes_decimals_with_a_comma() -> None:
    bad = [f"{where}: {m.group()}" for where, text in _spanish_texts() for m in _POINT_DECIMAL.finditer(_prose(text))]
    assert not bad, "Spanish writes 0,02 (lynx.i18n.decimal_point): " + "; ".join(bad[:10])


def test_the_decimal_check_can_fail() -> None:
    assert _POINT_DECIMAL.search(_prose("con desviación 0.02 los logits")) is not None
    assert _POINT_DECIMAL.search(_prose("la pérdida ronda 0.1985")) is not None
    assert _POINT_DECIMAL.search(_prose("1/256 ≈ 0.004")) is not None
    assert _POINT_DECIMAL.search(_prose("17.440 parámetros, `std = 0.02`, Sección 5.3, 0,02")) is None


# Bahdanau et al. 2015, Table 1 ("All" column, BLEU on the English-French test set): the paper's own figures,
# quoted, not computed; pinned so both languages quote the same numbers and name where they come from.
BAHDANAU_TABLE_1 = {"RNNencdec-50": 17.82, "RNNsearch-50": 26.75}


@pytest.mark.parametrize("lang", LANGS)
def test_bahdanau_sentence_length_results_are_cited(lang: str) -> None:
    text = page("14-sequence-models/theory/05-seq2seq-bottleneck", lang)
    for model, bleu in BAHDANAU_TABLE_1.items():
        number = f"{bleu:.2f}".replace(".", "," if lang == "es" else ".")
        assert model in text and number in text
    assert {"en": "Figure 2", "es": "figura 2"}[lang] in text and {"en": "Table 1", "es": "tabla 1"}[lang] in text
    assert "Bahdanau, D., Cho, K., Bengio, Y. 2015" in text
    assert BAHDANAU_TABLE_1["RNNsearch-50"] > BAHDANAU_TABLE_1["RNNencdec-50"]


@pytest.mark.parametrize("lang", LANGS)
def test_textcnn_card_describes_the_multichannel_design(lang: str) -> None:
    card = next(c for c in yaml_of("data/cards/seq-transformers.yaml")["cards"] if c["id"] == "c-14-03")
    back = card["back"][lang]
    for word in {"en": ("multichannel", "static", "fine-tuned", "both"), "es": ("multicanal", "estático", "ajusta", "los dos")}[lang]:
        assert word in back


def test_parameter_count_matches_the_real_model() -> None:
    from minimodel.accounting import gpt_parameters
    from minimodel.nn.gpt import GPT, GPTConfig

    for config in (GPTConfig(vocab_size=384, block_size=32, d_model=64, n_heads=4, n_layers=2),  # lab 17's model
                   GPTConfig(vocab_size=100, block_size=7, d_model=24, n_heads=3, n_layers=3)):
        assert gpt_parameters(config).total == GPT(config).num_parameters()


@pytest.mark.parametrize("lang", LANGS)
def test_gpt2_small_embedding_share(lang: str) -> None:
    from minimodel.accounting import GPT2_SMALL, gpt_parameters

    count = gpt_parameters(GPT2_SMALL)
    assert count.total == 124_439_808 and count.token_embedding == 50_257 * 768 == 38_597_376
    share = f"{100 * count.embedding_share:.1f}"
    assert share == "31.0"
    text = page("13-embeddings/theory/03-tied-embeddings", lang)
    sep = "," if lang == "en" else "."
    for n in (count.total, count.token_embedding, GPT2_SMALL.vocab_size):
        assert f"{n:,}".replace(",", sep) in text
    assert (f"{share}%" if lang == "en" else f"{share.replace('.', ',')} %") in text
