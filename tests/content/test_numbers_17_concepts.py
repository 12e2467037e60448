"""Every number of phase 17, page 06 (perplexity, the KV cache, FLOPs, dropout, label smoothing), computed
by minimodel and looked up on the page in both languages.

The labs run as `lynx lab 17 train` and `lynx lab 17 kv-cache` run them: a subprocess, the repository's
src/ on the path, one BLAS thread. Lab 17's training takes seconds, so the perplexity checks are `slow`
as in test_numbers_17_lab.py; the rest runs in the quick suite. The last test allows no other number on
the page than the ones computed here (and page, phase and formula references).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
STEM = "06-perplexity-kv-cache-flops"
LANGS = ("en", "es")


def page(lang: str) -> str:
    return (REPO / "phases/17-mini-gpt/theory" / f"{STEM}.{lang}.md").read_text(encoding="utf-8")


def dec(x: float, places: int, lang: str) -> str:
    text = f"{x:.{places}f}"
    return text.replace(".", ",") if lang == "es" else text


def whole(n: int, lang: str) -> str:
    """As the pages write integers: a thousands separator from five digits on (Spanish: a dot)."""
    if n < 10_000:
        return str(n)
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "es" else text


def _lab(module: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", module, "--json", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def kv() -> dict:
    return _lab("minimodel.labs.kv_cache")


@pytest.fixture(scope="module")
def gpt_lab() -> dict:
    return _lab("minimodel.labs.gpt_train")


# --- what the page may say, computed ---------------------------------------------------------------------------


def perplexity_numbers(lab: dict, lang: str) -> list[str]:
    p = lab["perplexity"]
    assert p["initial"] == pytest.approx(math.exp(lab["initial_loss"]))
    assert p["best_held_out"] == pytest.approx(math.exp(lab["best_held_out"]["held_out"]))
    return [dec(p["initial"], 1, lang), str(lab["settings"]["vocab_size"]), dec(lab["initial_loss"], 3, lang),
            str(lab["best_held_out"]["step"]), dec(lab["best_held_out"]["held_out"], 3, lang),
            dec(p["best_held_out"], 1, lang), str(lab["settings"]["steps"]), dec(p["final_held_out"], 1, lang),
            dec(p["final_train"], 2, lang), dec(lab["final_train_loss"], 3, lang)]


def kv_numbers(kv: dict, lang: str) -> list[str]:
    last = kv["steps"][-1]
    a, b = kv["total"]["no_cache"], kv["total"]["cache"]
    assert kv["same_tokens"] and kv["largest_logit_gap"] < 1e-6  # the page: "less than 10⁻⁶"
    assert last["no_cache"]["context"] == kv["block_size"] == kv["prompt_tokens"] + kv["new_tokens"] - 1
    return [str(kv["prompt_tokens"]), str(kv["new_tokens"]), str(kv["block_size"]),
            whole(last["no_cache"]["scores"], lang), whole(last["no_cache"]["multiply_adds"], lang),
            whole(last["cache"]["scores"], lang), whole(last["cache"]["multiply_adds"], lang),
            whole(a["scores"], lang), whole(b["scores"], lang), dec(a["scores"] / b["scores"], 1, lang) + "x",
            whole(a["multiply_adds"], lang), whole(b["multiply_adds"], lang),
            dec(a["multiply_adds"] / b["multiply_adds"], 1, lang) + "x"]


def flops_numbers(lang: str) -> list[str]:
    from minimodel.accounting import GPT2_SMALL, MINI_GPT, gpt_parameters, training_flops
    from minimodel.labs.gpt_train import Settings

    s = Settings()
    assert (MINI_GPT.vocab_size, MINI_GPT.block_size, MINI_GPT.d_model, MINI_GPT.n_layers, MINI_GPT.n_heads) == \
        (s.vocab_size, s.block_size, s.d_model, s.n_layers, s.n_heads), "MINI_GPT is the model lab 17 trains"
    mini, gpt2 = training_flops(MINI_GPT), training_flops(GPT2_SMALL)
    tokens = s.steps * s.batch_size * s.block_size
    mantissa, exponent = f"{mini.six_n * tokens:.1e}".split("e")
    superscript = str(int(exponent)).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return [whole(mini.non_embedding, lang), whole(mini.six_n, lang), whole(mini.with_attention, lang),
            whole(mini.total, lang), f"{s.steps} × {s.batch_size} × {s.block_size} = {whole(tokens, lang)}",
            f"{dec(float(mantissa), 1, lang)}·10{superscript}",
            whole(gpt_parameters(GPT2_SMALL).total, lang), whole(gpt2.non_embedding, lang), whole(gpt2.six_n, lang),
            whole(gpt2.with_attention, lang), str(GPT2_SMALL.block_size), whole(gpt2.total, lang),
            whole(GPT2_SMALL.vocab_size, lang)]


def dropout_numbers(lang: str) -> list[str]:
    from minimodel.nn.dropout import Dropout
    from minimodel.tensor import Tensor

    drop = Dropout(0.1)
    ones = Tensor(np.ones(10_000, dtype=np.float32))
    y = drop(ones).data
    zeroed = int((y == 0).sum())
    drop.eval()
    assert drop(ones) is ones  # eval mode: the identity
    return [dec(drop.p, 1, lang), whole(ones.size, lang), str(zeroed), dec(100 * zeroed / ones.size, 2, lang) + "%",
            dec(float(y.max()), 4, lang), dec(float(y.mean()), 4, lang)]


def smoothing_numbers(lang: str) -> list[str]:
    from minimodel import F

    V, eps = 384, 0.1
    q = np.full(V, eps / V)
    q[0] += 1 - eps
    best = F.cross_entropy(Tensor64(np.log(q)[None]), [0], label_smoothing=eps).item()  # predicting q itself
    assert best == pytest.approx(-(q * np.log(q)).sum())
    return [dec(eps, 1, lang), str(V), dec(q[0], 4, lang), dec(eps / V, 5, lang), dec(best, 4, lang),
            dec(math.exp(best), 3, lang)]


def Tensor64(a: np.ndarray):
    from minimodel.tensor import Tensor

    return Tensor(a.astype(np.float64))


# --- the page quotes them --------------------------------------------------------------------------------------


def _assert_quoted(values: list[str], lang: str) -> None:
    text = page(lang)
    for v in values:
        assert v in text, f"page 06 ({lang}) should say {v}"


@pytest.mark.parametrize("lang", LANGS)
def test_headings_name_the_concepts(lang):
    headings = " ".join(re.findall(r"^#{1,2} .*$", page(lang), re.M)).lower()
    words = (["perplexity", "kv cache", "flops", "dropout", "label smoothing"] if lang == "en"
             else ["perplejidad", "caché kv", "flops", "dropout", "label smoothing"])
    for w in words:
        assert w in headings, w


@pytest.mark.parametrize("lang", LANGS)
def test_kv_cache_numbers(kv, lang):
    _assert_quoted(kv_numbers(kv, lang), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_flops_numbers(lang):
    _assert_quoted(flops_numbers(lang), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_dropout_numbers(lang):
    _assert_quoted(dropout_numbers(lang), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_label_smoothing_numbers(lang):
    _assert_quoted(smoothing_numbers(lang), lang)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_perplexity_numbers(gpt_lab, lang):
    _assert_quoted(perplexity_numbers(gpt_lab, lang), lang)


@pytest.mark.slow
def test_lab_17_prints_perplexity_beside_the_loss():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.gpt_train", "--steps", "50"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    step = re.search(r"^step   50  train loss \d\.\d{3}  held-out loss (\d\.\d{3})  held-out perplexity (\d+\.\d)$",
                     proc.stdout, re.M)
    assert step, proc.stdout
    loss, shown = float(step[1]), float(step[2])  # the loss is rounded to 3 decimals, the perplexity to 1
    assert abs(math.exp(loss) - shown) <= math.exp(loss) * 0.0005 + 0.05
    assert "perplexity = exp(loss): first " in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_other_number(gpt_lab, kv, lang):
    allowed = set(perplexity_numbers(gpt_lab, lang) + kv_numbers(kv, lang) + flops_numbers(lang)
                  + dropout_numbers(lang) + smoothing_numbers(lang))
    allowed |= {"06", "05", "04", "17", "2", "0", "1", "6", "10⁻⁶", "65"}  # page ids, the phase, 2 FLOPs, 6N, "65 tokens"
    body = re.split(r"^## Refer", page(lang), flags=re.M)[0]  # the citations' years are not computed
    body = re.sub(r"```.*?```", " ", body, flags=re.S)  # nor are the formulas and the sketch
    prose = re.sub(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|\"[^\"]*\"", " ", body)
    prose = re.sub(r"et al\. \(?\d{4}\)?", " ", prose)  # a citation's year
    prose = prose.replace("GPT-2", "GPT")  # a name
    for number in re.findall(r"\d[\d.,·×⁰¹²³⁴⁵⁶⁷⁸⁹⁻x%]*", prose):
        number = number.rstrip(".,")
        assert number in allowed or any(number in v for v in allowed), f"page 06 ({lang}) states {number}, not computed"


def test_kv_cache_lab_prints_the_same_totals(kv):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.kv_cache"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    a, b = kv["total"]["no_cache"], kv["total"]["cache"]
    assert re.search(rf"^ all +{a['scores']} +{b['scores']} +{a['multiply_adds']} +{b['multiply_adds']}$", proc.stdout, re.M)
    assert "same tokens with and without the cache: True" in proc.stdout
