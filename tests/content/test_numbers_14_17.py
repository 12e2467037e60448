"""Every computed number that phases 14-17 state, recomputed here and matched against the text.

If a page or a quiz quotes a number, the number is produced by the code below (seeded) and the
exact string is looked up in the file, so the text cannot drift away from the computation.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
P14 = REPO / "phases" / "14-sequence-models" / "theory"
P15 = REPO / "phases" / "15-attention" / "theory"
P16 = REPO / "phases" / "16-transformer-block" / "theory"
P17 = REPO / "phases" / "17-mini-gpt" / "theory"
QUIZZES = REPO / "data" / "quizzes"


def both(folder: Path, stem: str) -> list[str]:
    return [(folder / f"{stem}.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "es")]


def pages(folder: Path, stem: str) -> list[tuple[str, str]]:
    """(language, text) of a page in each language."""
    return [(lang, (folder / f"{stem}.{lang}.md").read_text(encoding="utf-8")) for lang in ("en", "es")]


def local(s: str, lang: str) -> str:
    """A number as the page writes it: Spanish has the decimal comma and a dot between thousands
    (lynx.i18n.decimal_point), English the reverse."""
    return s.translate(str.maketrans(".,", ",.")) if lang == "es" else s


def question(quiz: str, qid: str) -> dict:
    data = yaml.safe_load((QUIZZES / quiz).read_text(encoding="utf-8"))
    return next(q for q in data["questions"] if q["id"] == qid)


def correct_option(q: dict, lang: str = "en") -> str:
    (text,) = [o["text"][lang] for o in q["options"] if o.get("correct")]
    return text


# --- phase 14 -------------------------------------------------------------------------


def test_rnn_gradient_bound() -> None:
    # 14/02: the bound sigma_max^(T-k) with sigma_max = 0.9 over 50 steps.
    value = 0.9**50
    assert f"{value:.4f}" == "0.0052"
    for lang, text in pages(P14, "02-rnn-vanishing-gradient"):
        assert local("0.9^50 ≈ 0.0052", lang) in text


def _causal_dilated_stack_reach(k: int, dilations: list[int], T: int = 2048) -> int:
    """How many outputs an impulse at t=0 reaches through a stack of causal dilated convolutions."""
    x = np.zeros(T)
    x[0] = 1.0
    for r in dilations:
        y = np.zeros(T)
        for j in range(k):
            y[j * r:] += x[: T - j * r]  # tap j reads x[t - j*r]
        x = y
    return int(np.count_nonzero(x))


def test_wavenet_receptive_field() -> None:
    # 14/04: kernel 2, dilations 1..512 -> 1024 steps; quiz q-14-05: dilations 1, 2, 4, 8 -> 16.
    dil = [2**i for i in range(10)]
    assert _causal_dilated_stack_reach(2, dil) == 1 + sum(dil) == 1024
    for text in both(P14, "04-convolutions-over-time"):
        assert "1 + (1 + 2 + … + 512) = 1024" in text
    assert _causal_dilated_stack_reach(2, [1, 2, 4, 8]) == 16
    q = question("phase-14-sequence-models.yaml", "q-14-05")
    assert correct_option(q) == "16"


# --- phase 15 -------------------------------------------------------------------------


def _saturation_fn():
    """The `saturation` function exactly as page 15/02 defines it (its own code, executed)."""
    text = (P15 / "02-scores-and-scaling.en.md").read_text(encoding="utf-8")
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in re.findall(r"```python\n(.*?)```", text, re.S):
            exec(compile(block, "02-scores-and-scaling.en.md", "exec"), ns)  # noqa: S102
    return ns["saturation"]


def _independent_saturation(d_k: int, scale: bool, n_keys: int = 16, trials: int = 2000, seed: int = 0):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(trials, 1, d_k))
    K = rng.normal(size=(trials, n_keys, d_k))
    S = np.einsum("tqd,tkd->tk", q, K)
    if scale:
        S = S / math.sqrt(d_k)
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return float(S.std()), float(P.max(axis=1).mean())


def _table_rows(text: str) -> dict[int, list[str]]:
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| (\d+) \| ([\d.,]+) \| ([\d.,]+) \| ([\d.,]+) \| ([\d.,]+) \|$", line)
        if m:
            rows[int(m.group(1))] = list(m.groups()[1:])
    return rows


def test_scaling_table_matches_the_computation() -> None:
    saturation = _saturation_fn()
    expected = {}
    for d_k in (4, 16, 64, 256):
        raw, scaled = saturation(d_k, scale=False), saturation(d_k, scale=True)
        # the page's code and an independent implementation agree
        assert np.allclose(raw, _independent_saturation(d_k, False))
        assert np.allclose(scaled, _independent_saturation(d_k, True))
        expected[d_k] = [f"{raw[0]:.1f}", f"{raw[1]:.2f}", f"{scaled[0]:.1f}", f"{scaled[1]:.2f}"]
    for lang, text in pages(P15, "02-scores-and-scaling"):
        assert _table_rows(text) == {d: [local(v, lang) for v in row] for d, row in expected.items()}
    # the claims the text draws from the table
    assert all(float(expected[d][1]) < float(expected[e][1]) for d, e in [(4, 16), (16, 64), (64, 256)])
    assert {v[2] for v in expected.values()} == {"1.0"}
    assert f"{1 / 16:.2f}" == "0.06"


def test_score_std_and_head_width() -> None:
    assert math.sqrt(64) == 8
    for text in both(P15, "02-scores-and-scaling"):
        assert "`√d_k`: 8 para `d_k = 64`" in text or "`√d_k`: 8 for `d_k = 64`" in text
    assert correct_option(question("phase-15-attention.yaml", "q-15-04")) == "8"
    assert 512 // 8 == 64 and correct_option(question("phase-15-attention.yaml", "q-15-08")) == "64"


# --- phase 16 -------------------------------------------------------------------------


def test_ffn_share_of_a_block() -> None:
    for d in (8, 64, 512):
        attn, ffn = 4 * d * d, d * 4 * d + 4 * d * d
        assert ffn / (attn + ffn) == pytest.approx(2 / 3)
    assert correct_option(question("phase-16-transformer-block.yaml", "q-16-05")) == "2/3"


def test_sinusoidal_shift_is_linear() -> None:
    """16/04 claims PE(pos + k) = PE(pos) R_k with R_k independent of pos; check it for several k."""
    d, n = 32, 200
    omega = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n, d))
    pe[:, 0::2] = np.sin(np.arange(n)[:, None] * omega)
    pe[:, 1::2] = np.cos(np.arange(n)[:, None] * omega)
    for k in (1, 7, 50):
        R, *_ = np.linalg.lstsq(pe[:-k], pe[k:], rcond=None)   # one matrix for all positions
        assert np.allclose(pe[:-k] @ R, pe[k:], atol=1e-8)


# --- phase 17 -------------------------------------------------------------------------


def test_initial_loss_is_ln_v() -> None:
    assert f"{math.log(256):.3f}" == "5.545"
    assert f"{1 / 256:.3f}" == "0.004"
    q = question("phase-17-mini-gpt.yaml", "q-17-01")
    for lang, text in pages(P17, "01-architecture"):
        assert local("ln 256 ≈ 5.545", lang) in text
        assert correct_option(q, lang) == local("`ln 256 ≈ 5.545`", lang)
        assert any(local("1/256 ≈ 0.004", lang) in o["text"][lang] for o in q["options"])


def test_uniform_logits_give_ln_v() -> None:
    """The reason behind ln V: zero logits -> uniform softmax -> cross-entropy ln V, for any target."""
    for V in (2, 256, 1000):
        logits = np.zeros(V)
        logp = logits - np.log(np.exp(logits).sum())
        assert -logp[V // 2] == pytest.approx(math.log(V))


def test_gpt2_small_parameter_estimate() -> None:
    n = 12 * 12 * 768**2
    assert f"{n:,}" == "84,934,656" and round(n / 1e6) == 85
    q = question("phase-17-mini-gpt.yaml", "q-17-05")
    for lang, text in pages(P17, "01-architecture"):
        assert local("12 · 12 · 768² = 84,934,656", lang) in text and "85 M" in text
        assert local("84,934,656", lang) in q["explanation"][lang]
    assert "85" in correct_option(q)


def test_transformer_peak_learning_rate() -> None:
    d_model, warmup = 512, 4000

    def lrate(step: int) -> float:
        return d_model**-0.5 * min(step**-0.5, step * warmup**-1.5)

    steps = np.arange(1, 20001)
    lr = np.array([lrate(int(s)) for s in steps])
    assert int(steps[lr.argmax()]) == warmup                 # peak at the end of warm-up
    assert f"{lr.max():.1e}" == "7.0e-04"
    for lang, text in pages(P17, "02-tied-embeddings-adamw"):
        assert local("512^(−0.5) · 4000^(−0.5) ≈ 7.0e-4", lang) in text


def test_bpe_vocab_size() -> None:
    assert 256 + 300 == 556
    assert correct_option(question("phase-17-mini-gpt.yaml", "q-17-08")) == "556"
