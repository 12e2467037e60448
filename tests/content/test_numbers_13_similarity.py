"""The numbers of `lynx lab 13 similarity`, pinned, and page 05 of phase 13 (en and es) quoting exactly them.

The lab runs as `lynx lab` runs it: a subprocess with the repository's src/ on the path, one BLAS thread."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from kit import REPO, env

pytestmark = pytest.mark.slow

PINNED = {"words": 24, "init": 0.187, "trained": 0.337, "variance_share": 27.9,
          "neighbours": {"word": [("lynx", 0.481), ("words", 0.319)], "water": [("bread", 0.227), ("river", 0.191)],
                         "river": [("bread", 0.503)]}}


@pytest.fixture(scope="module")
def lab() -> dict:
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.similarity", "--json"], cwd=REPO,
                          env=env(PYTHONPATH=str(REPO / "src")), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_lab_gives_the_pinned_numbers(lab: dict) -> None:
    assert lab["words"] == PINNED["words"] and lab["config"]["min_count"] == 5 and lab["config"]["d_model"] == 128
    assert round(lab["mean_top1_cosine"]["init"], 3) == PINNED["init"]
    assert round(lab["mean_top1_cosine"]["trained"], 3) == PINNED["trained"]
    assert round(100 * lab["projection"]["variance_share"], 1) == PINNED["variance_share"]
    for word, near in PINNED["neighbours"].items():
        got = [(w, round(c, 3)) for w, c in lab["neighbours"][word]]
        assert got[:len(near)] == near, (word, got)
    assert len(lab["projection"]["points"]) == PINNED["words"]


def test_random_rows_of_width_128_are_nearly_orthogonal() -> None:
    # the page's "a spread of about 1/sqrt(128) ~ 0.088", measured on the init table the lab starts from
    from minimodel.labs import rank_collapse as rc
    from minimodel.labs.similarity import cosine_matrix

    table = np.asarray(rc.CBOW(rc.VOCAB, rc.D_MODEL, np.random.default_rng(rc.SEED)).embed.weight.data, dtype=np.float64)
    cos = cosine_matrix(table)[np.triu_indices(rc.VOCAB, 1)]
    assert f"{1 / np.sqrt(128):.3f}" == "0.088"
    assert abs(cos.std() - 1 / np.sqrt(128)) < 0.005 and abs(cos.mean()) < 0.01


def test_the_functions_mean_what_the_page_says() -> None:
    from minimodel.labs.similarity import cosine_matrix, nearest, project_2d

    E = np.array([[1.0, 0.0], [10.0, 0.0], [0.0, 2.0], [-3.0, 0.0]])
    cos = cosine_matrix(E)
    assert cos[0, 1] == pytest.approx(1) and cos[0, 2] == pytest.approx(0) and cos[0, 3] == pytest.approx(-1)
    assert nearest(cos, 0, 1) == [1]  # lengths ignored
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 5)) * np.array([5, 3, 0.1, 0.1, 0.1]) + 100  # far from the origin: centring matters
    points, share = project_2d(X)
    assert share > 0.99 and abs(points.mean(axis=0)).max() < 1e-9


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_05_quotes_the_lab(lab: dict, lang: str) -> None:
    page = (REPO / "phases/13-embeddings/theory" / f"05-similarity.{lang}.md").read_text(encoding="utf-8")

    def num(x: float, digits: int = 3) -> str:
        s = f"{x:.{digits}f}"
        return s.replace(".", ",") if lang == "es" else s

    quoted = [str(lab["words"]), num(lab["mean_top1_cosine"]["init"]), num(lab["mean_top1_cosine"]["trained"]),
              num(0.088), "128", (num(100 * lab["projection"]["variance_share"], 1) + ("%" if lang == "en" else " %"))]
    for word, near in PINNED["neighbours"].items():
        quoted += [f'"{w}" ({num(c)})' for w, c in near if word != "river"] or []
    quoted.append(f'"bread" ({num(0.503)})')
    for q in quoted:
        assert q in page, f"page 05 ({lang}) should quote {q}"
    body = re.sub(r"```.*?```", " ", re.split(r"^## Refer", page, flags=re.M)[0], flags=re.S)
    prose = re.sub(r"`[^`]*`", " ", body)
    allowed = set(quoted) | {"05", "04", "5", "2", "1", "0", "−1", "1901", "1954", "13"}
    for number in re.findall(r"\d[\d.,]*\d|\d", prose):
        number = number.rstrip(".,")
        assert number in allowed or any(number in v for v in allowed), f"page 05 ({lang}) states {number}, not from the lab"


def test_plot_and_report(tmp_path) -> None:
    png = tmp_path / "sim.png"
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.similarity", "--plot", str(png)], cwd=REPO,
                          env=env(PYTHONPATH=str(REPO / "src"), MPLBACKEND="Agg"), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "24 words read at least 5 times" in proc.stdout and "27.9% of the variance" in proc.stdout
