"""Numbers that theory pages 02 and 03 state, computed with minimodel and checked against the pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from minimodel.programs import tied_lm as T
from minimodel.tensor import no_grad

THEORY = Path(__file__).resolve().parents[2] / "phases" / "13-embeddings" / "theory"


def first_batch_with_init(std: float):
    """tied_lm with seed 0, its table redrawn from N(0, std^2); logits and loss on the first batch."""
    model = T.TiedLM(rng=np.random.default_rng(0))
    if std != 0.02:
        model.embed.weight.data[...] = np.random.default_rng(0).normal(0.0, std, model.embed.weight.shape)
    x, y = next(T.batches(0))
    with no_grad():
        logits = model(x)
        loss = T.loss_of(model, x, y).item()
    return x, logits.data, loss


def page(name: str, lang: str) -> str:
    return (THEORY / f"{name}.{lang}.md").read_text(encoding="utf-8")


def fmt(x: float, spec: str, lang: str) -> str:
    s = format(x, spec)
    return s.replace(".", ",") if lang == "es" else s


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_02_table(lang):
    text = page("02-init-scale", lang)
    ln_v = np.log(T.MODEL_VOCAB)
    _, small_logits, small_loss = first_batch_with_init(0.02)
    x, big_logits, big_loss = first_batch_with_init(1.0)
    assert small_loss == pytest.approx(ln_v, abs=0.005)
    rows = [f"| {fmt(small_logits.std(), '.3f', lang)} | {fmt(small_loss, '.2f', lang)} | {fmt(ln_v, '.2f', lang)} |",
            f"| {fmt(big_logits.std(), '.1f', lang)} | {fmt(big_loss, '.2f', lang)} | {fmt(ln_v, '.2f', lang)} |"]
    for row in rows:
        assert row in text, f"page 02 ({lang}) should contain the row ending {row!r}"
    # "at every position of the first batch the top logit is the input token itself"
    assert np.all(big_logits.argmax(-1) == x)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_03_parameter_counts(lang):
    text = page("03-tied-embeddings", lang)
    model = T.TiedLM(rng=np.random.default_rng(0))
    tied = model.num_parameters()
    extra = model.embed.weight.size  # a separate V x d output matrix
    sep = "," if lang == "en" else "."
    assert f"{tied:,}".replace(",", sep) in text
    assert f"{extra:,}".replace(",", sep) in text
    assert model.head.weight is model.embed.weight and (T.MODEL_VOCAB, T.D_MODEL) == (512, 32)
