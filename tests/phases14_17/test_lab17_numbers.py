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


@pytest.fixture(scope="module")
def lab() -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.gpt_train", "--json"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


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
