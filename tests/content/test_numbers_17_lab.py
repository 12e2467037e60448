"""The numbers of `lynx lab 17 train` (default settings) that the phase 17 pages may quote.

The lab is run exactly as `lynx lab` runs it: a subprocess, the repository's src/ on the path,
one BLAS thread. If a change to minimodel moves one of these numbers, this test says which, and
the pages quoting it must be updated together with the pin below.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

REPO = Path(__file__).resolve().parents[2]

PINNED = {
    "corpus_bytes": 3988,
    "corpus_tokens": 1812,
    "train_tokens": 1630,
    "held_out_tokens": 182,
    "parameters": 126720,
}
LOSSES = {  # rounded to 3 decimals as the lab prints them
    "ln_vocab": 5.951,
    "initial_loss": 5.976,
    "final_train_loss": 0.175,
    "final_held_out_loss": 5.820,
    "best_held_out": 4.180,
}
BEST_STEP = 150
GREEDY_START = "The lynx walks through the snow at dawn. Its paws are wide and soft"


NO_DECAY = {"final_held_out_loss": 6.073, "best_held_out": 4.180}  # `--weight-decay 0`, 3 decimals
NO_DECAY_BEST_STEP = 150


def _run_lab(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.gpt_train", "--json", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def lab() -> dict:
    return _run_lab()


@pytest.fixture(scope="module")
def lab_no_decay() -> dict:
    return _run_lab("--weight-decay", "0")


def test_weight_decay_slows_the_overfitting(lab, lab_no_decay):
    # page 05: without decay the best held-out point is the same, and the held-out loss climbs higher by the end
    assert lab_no_decay["settings"]["weight_decay"] == 0.0
    assert round(lab_no_decay["final_held_out_loss"], 3) == NO_DECAY["final_held_out_loss"]
    assert round(lab_no_decay["best_held_out"]["held_out"], 3) == NO_DECAY["best_held_out"]
    assert lab_no_decay["best_held_out"]["step"] == NO_DECAY_BEST_STEP == lab["best_held_out"]["step"]
    assert lab_no_decay["final_held_out_loss"] > lab["final_held_out_loss"]
    for lang, f in (("en", "{:.3f}"), ("es", "{:.3f}")):
        page = (REPO / "phases/17-mini-gpt/theory" / f"05-training-lab.{lang}.md").read_text(encoding="utf-8")
        for x in (lab_no_decay["final_held_out_loss"], lab["final_held_out_loss"]):
            text = f.format(x)
            assert (text.replace(".", ",") if lang == "es" else text) in page
        assert "--weight-decay 0" in page


def test_sizes(lab):
    got = {**lab["tokens"], "parameters": lab["parameters"]}
    assert got == PINNED


def test_losses(lab):
    got = {k: lab[k] for k in ("ln_vocab", "initial_loss", "final_train_loss", "final_held_out_loss")}
    got["best_held_out"] = lab["best_held_out"]["held_out"]
    assert {k: round(v, 3) for k, v in got.items()} == LOSSES
    assert lab["best_held_out"]["step"] == BEST_STEP
    assert lab["ln_vocab"] == pytest.approx(np.log(384))


def test_first_loss_is_a_uniform_guess(lab):
    assert abs(lab["initial_loss"] - lab["ln_vocab"]) < 0.05


def test_it_overfits_the_tiny_corpus(lab):
    evals = lab["evals"]
    assert evals[0]["step"] == 0 and evals[-1]["step"] == 600
    assert lab["final_train_loss"] < 0.5 < lab["best_held_out"]["held_out"] < lab["final_held_out_loss"]


def test_greedy_text_recites_the_corpus(lab):
    assert lab["greedy"].startswith(GREEDY_START)
    assert lab["sampled"].startswith("The lynx")


def test_plot_and_text_report(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    png = tmp_path / "loss.png"
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.gpt_train", "--steps", "20", "--plot", str(png)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.stat().st_size > 10_000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "first loss 5.976" in proc.stdout and "step   20" in proc.stdout and "greedy:" in proc.stdout


# -- page 05 quotes the lab: every number on it is one the lab printed ----------------------------------------
def _quoted(lab: dict, lang: str) -> dict[str, object]:
    """What page 05 may say, formatted as the page writes it (Spanish: decimal comma, dot for thousands)."""
    s, t = lab["settings"], lab["tokens"]

    def f3(x: float) -> str:
        text = f"{x:.3f}"
        return text.replace(".", ",") if lang == "es" else text

    def thousands(n: int) -> str:
        text = f"{n:,}"
        return text.replace(",", ".") if lang == "es" else text

    wd = str(s["weight_decay"]).replace(".", ",") if lang == "es" else str(s["weight_decay"])
    temp = str(s["temperature"]).replace(".", ",") if lang == "es" else str(s["temperature"])
    return {
        "corpus bytes": str(t["corpus_bytes"]), "vocab": str(s["vocab_size"]), "merges": str(s["vocab_size"] - 256),
        "tokens": str(t["corpus_tokens"]), "train": str(t["train_tokens"]), "held out": str(t["held_out_tokens"]),
        "parameters": thousands(lab["parameters"]), "width": str(s["d_model"]), "heads": str(s["n_heads"]),
        "blocks": str(s["n_layers"]), "context": str(s["block_size"]), "first loss": f3(lab["initial_loss"]),
        "ln V": f3(lab["ln_vocab"]), "final train": f3(lab["final_train_loss"]), "steps": str(s["steps"]),
        "best step": str(lab["best_held_out"]["step"]), "best held-out": f3(lab["best_held_out"]["held_out"]),
        "final held-out": f3(lab["final_held_out_loss"]), "weight decay": wd, "temperature": temp,
        "top-k": str(s["top_k"]), "greedy": lab["greedy"][:60], "no decay final held-out": f3(NO_DECAY["final_held_out_loss"]),
    }


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_05_quotes_the_lab(lab, lang):
    import re

    page = (REPO / "phases/17-mini-gpt/theory" / f"05-training-lab.{lang}.md").read_text(encoding="utf-8")
    quoted = _quoted(lab, lang)
    for what, value in quoted.items():
        assert value in page, f"page 05 ({lang}) should quote the lab's {what}: {value}"
    # and no other number: each number on the page is one of the lab's, or a page/break/phase reference
    allowed = set(quoted.values()) | {"256", "0", "05", "01", "02", "03", "04", "13-02", "17-00", "17", "150"}
    body = re.split(r"^## Refere", page, flags=re.M)[0]  # the citations' years and pages are not lab numbers
    # the section on --corpus synthetic quotes another run: test_numbers_17_corpus.py checks it
    body = re.sub(r"^## (A corpus big enough|Un corpus suficientemente grande)\n.*?(?=^## )", " ", body, flags=re.S | re.M)
    body = re.sub(r"```.*?```", " ", body, flags=re.S)  # nor is the code sketch
    prose = re.sub(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|\"[^\"]*\"", " ", body)  # links, commands and quotes aside
    for number in re.findall(r"\d[\d.,]*\d|\d", prose):
        number = number.rstrip(".,")
        assert number in allowed or any(number in v for v in allowed), f"page 05 ({lang}) states {number}, not from the lab"
