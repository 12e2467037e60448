"""Every number of page 16/05 (RMSNorm, RoPE, SwiGLU), recomputed with minimodel and found in the page.

The page's code sketch is executed and must print what the page says it prints; the other numbers are
computed here (with minimodel, and for RoPE also with an independent NumPy rotation) and looked up as
the page writes them in each language; the lab table is what `lynx lab 16 alternatives --json` returns,
run as `lynx lab` runs it (a subprocess, src/ on the path, one BLAS thread).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from minimodel import Tensor
from minimodel.nn import BlockConfig, FeedForward, GPT, GPTConfig, LayerNorm, RMSNorm, SwiGLU, apply_rope
from minimodel.nn.transformer import swiglu_hidden

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "phases" / "16-transformer-block" / "theory" / "05-modern-alternatives"


def pages() -> list[tuple[str, str]]:
    return [(lang, PAGE.with_name(f"{PAGE.name}.{lang}.md").read_text(encoding="utf-8")) for lang in ("en", "es")]


def local(s: str, lang: str) -> str:
    """A number as the page writes it: Spanish swaps the decimal point and the thousands separator."""
    return s.translate(str.maketrans(".,", ",.")) if lang == "es" else s


def assert_in_pages(*numbers: str) -> None:
    for lang, text in pages():
        for n in numbers:
            assert local(n, lang) in text, f"{lang}: {local(n, lang)!r} is not on the page"


# --- the code sketch --------------------------------------------------------------------


def _run_page_code(text: str) -> str:
    out = io.StringIO()
    ns: dict = {}
    with contextlib.redirect_stdout(out):
        for block in re.findall(r"```python\n(.*?)```", text, re.S):
            exec(compile(block, str(PAGE), "exec"), ns)  # noqa: S102
    return out.getvalue()


def _printed(text: str) -> str:
    (block,) = [b for b in re.findall(r"```text\n(.*?)```", text, re.S) if b.startswith("zero mean:")]
    return block


def test_the_code_sketch_prints_what_the_page_shows() -> None:
    for lang, text in pages():
        assert _run_page_code(text) == _printed(text), lang


# --- RMSNorm ----------------------------------------------------------------------------


def _vectors() -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(0).normal(size=(1, 8))
    centred = x - x.mean()
    return centred, centred + 2.0


def test_rmsnorm_parameters() -> None:
    assert RMSNorm(64).num_parameters() == 64 and LayerNorm(64).num_parameters() == 128
    for lang, text in pages():
        assert ("64 instead of 128" if lang == "en" else "64 en lugar de 128") in text


def test_rmsnorm_against_layernorm_on_a_zero_mean_and_a_shifted_vector() -> None:
    centred, shifted = _vectors()
    ln, rms = LayerNorm(8, dtype=np.float64), RMSNorm(8, dtype=np.float64)

    def run(layer, v):
        return layer(Tensor(v)).data

    assert np.abs(run(ln, centred) - run(rms, centred)).max() < 1e-12
    gap = np.abs(run(ln, shifted) - run(rms, shifted)).max()
    assert np.abs(run(ln, shifted) - run(ln, centred)).max() < 1e-12  # LayerNorm removes the shift
    out = run(rms, shifted)
    # RMSNorm is x / RMS(x), computed here without minimodel
    assert np.allclose(out, shifted / np.sqrt((shifted**2).mean() + 1e-5))
    assert (out > 0).all()
    rms_value, std = np.sqrt((shifted**2).mean()), shifted.std()
    assert f"{std:.3f}" == f"{centred.std():.3f}"  # the shift does not move the standard deviation
    assert_in_pages("1e-12", f"{gap:.3f}", f"{rms_value:.3f}", f"{std:.3f}", f"{out.min():.3f}", f"{out.max():.3f}")
    assert f"{gap:.3f}" == "2.131"


# --- RoPE -------------------------------------------------------------------------------


def _qk() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=16).astype(np.float32), rng.normal(size=16).astype(np.float32)


def _minimodel_score(q, k, m: int, n: int) -> float:
    T = max(m, n) + 1
    Q, K = np.zeros((T, 16), np.float32), np.zeros((T, 16), np.float32)
    Q[m], K[n] = q, k
    return float(apply_rope(Tensor(Q)).data[m] @ apply_rope(Tensor(K)).data[n])


def _numpy_score(q, k, m: int, n: int) -> float:
    """The same score from the paper's formula, in float64, as a block-diagonal rotation matrix."""
    theta = 10000.0 ** (-np.arange(0, 16, 2) / 16)

    def R(p: int) -> np.ndarray:
        out = np.zeros((16, 16))
        for i, w in enumerate(theta):
            c, s = np.cos(p * w), np.sin(p * w)
            out[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
        return out

    return float((R(m) @ q.astype(np.float64)) @ (R(n) @ k.astype(np.float64)))


def test_rope_scores_depend_only_on_the_offset() -> None:
    q, k = _qk()
    same = [_minimodel_score(q, k, m, n) for m, n in ((2, 5), (10, 13))]
    other = _minimodel_score(q, k, 2, 6)
    for (m, n), s in zip(((2, 5), (10, 13), (2, 6)), [*same, other]):
        assert s == pytest.approx(_numpy_score(q, k, m, n), abs=1e-5)
    assert abs(same[0] - same[1]) < 1e-6
    assert f"{same[0]:.6f}" == f"{same[1]:.6f}"
    assert abs(other - same[0]) > 0.1
    plain = float(q @ k)
    assert _minimodel_score(q, k, 7, 7) == pytest.approx(plain, abs=1e-5)
    assert GPTConfig(vocab_size=256, d_model=32, n_heads=2).d_model // 2 == 16  # the lab's head size
    assert_in_pages(f"{same[0]:.6f}", f"{other:.6f}", f"{plain:.6f}", "1e-6")


# --- SwiGLU -----------------------------------------------------------------------------


def test_swiglu_parameters_at_8d_over_3() -> None:
    d = 64
    h = swiglu_hidden(d)
    assert (h, f"{8 * d / 3:.2f}") == (171, "170.67")
    swiglu = SwiGLU(BlockConfig(d, 1)).num_parameters()
    ffn = FeedForward(BlockConfig(d, 1))
    weights = ffn.up.weight.data.size + ffn.down.weight.data.size
    biases = ffn.up.bias.data.size + ffn.down.bias.data.size
    assert swiglu == 3 * d * h and weights == 2 * d * 4 * d and ffn.num_parameters() == weights + biases
    small = SwiGLU(BlockConfig(32, 1)).num_parameters()
    assert swiglu_hidden(32) == 85
    for lang, text in pages():
        assert (f"{biases} more" if lang == "en" else f"{biases} más") in text
    assert_in_pages(f"8 · 64/3 = {8 * d / 3:.2f}", f"`h = {h}`", f"{swiglu:,}", f"{weights:,}", f"{weights + biases:,}",
                    f"`h = {swiglu_hidden(32)}`", f"{small:,}", f"{2 * 32 * 128:,}")


# --- the lab ----------------------------------------------------------------------------


@cache
def _lab(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.alternatives", "--json", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _table(text: str) -> dict[str, tuple[str, str]]:
    """{options: (parameters, loss)} from the page's table; the first row (no options) is ''."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| (.+?) \| ([\d.,]+) \| ([\d.,]+) \|$", line)
        if m:
            flags = m.group(1)
            rows["" if flags.startswith("(") else flags.strip("`")] = (m.group(2), m.group(3))
    return rows


def test_lab_table() -> None:
    en = dict(pages())["en"]
    options = list(_table(en))
    assert options == ["", "--norm rmsnorm", "--ffn swiglu", "--positions sinusoidal", "--positions rope",
                       "--norm rmsnorm --ffn swiglu --positions rope"]
    results = {o: _lab(*o.split()) for o in options}
    for r in results.values():
        assert r["settings"]["steps"] == 40 and len(r["losses"]) == 40
        assert r["final_loss"] == pytest.approx(np.mean(r["losses"][-10:]))
    expected = {o: (f"{r['parameters']:,}", f"{r['final_loss']:.3f}") for o, r in results.items()}
    for lang, text in pages():
        assert _table(text) == {o: tuple(local(v, lang) for v in row) for o, row in expected.items()}, lang

    # the model is the one the page describes, and the differences the text explains
    assert GPT(GPTConfig(vocab_size=256, block_size=16, d_model=32, n_layers=2, n_heads=2)).num_parameters() \
        == results[""]["parameters"]
    base, parts = results[""]["parts"], {o: r["parts"] for o, r in results.items()}
    norms_saved = base["norms"] - parts["--norm rmsnorm"]["norms"]
    ffn_saved_per_block = (base["ffn"] - parts["--ffn swiglu"]["ffn"]) // 2
    assert norms_saved == 5 * 32 and ffn_saved_per_block == 192 and base["positions"] == 16 * 32
    assert parts["--positions rope"]["positions"] == parts["--positions sinusoidal"]["positions"] == 0
    for o, r in results.items():
        assert r["parameters"] == sum(r["parts"].values()), o
    spread = max(r["final_loss"] for r in results.values()) - min(r["final_loss"] for r in results.values())
    seeds = [results[""]["final_loss"]] + [_lab("--seed", str(s))["final_loss"] for s in (1, 2, 3, 4)]
    seed_spread = max(seeds) - min(seeds)
    assert spread < seed_spread
    for lang, text in pages():
        words = {"en": (f"the {norms_saved} biases of the 5 norms", f"saves {ffn_saved_per_block} per block",
                        f"the {base['positions']} weights of the position table"),
                 "es": (f"los {norms_saved} sesgos de las 5", f"ahorra {ffn_saved_per_block} por bloque",
                        f"los {base['positions']} pesos de la tabla")}[lang]
        for w in words:
            assert w in text, (lang, w)
        assert local(f"within {spread:.3f}" if lang == "en" else f"menos de {spread:.3f}", lang) in text
        assert local(f"{seed_spread:.3f}", lang) in text
