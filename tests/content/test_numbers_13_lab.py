"""The numbers of `lynx lab 13 rank-collapse`, pinned, and page 04 (en and es) quoting exactly them.

The lab runs with its fixed seed; the tolerances absorb BLAS and platform round-off, nothing more.
If a change to minimodel moves these numbers, re-run the lab and update this file AND page 04.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
THEORY = REPO / "phases" / "13-embeddings" / "theory"

# python -m minimodel.labs.rank_collapse --json   (20 epochs, seed 0)
PINNED = {
    "init": {"effective_rank": 123.6527, "top5_share": 0.0828, "near_zero_rows": 0},
    "trained": {"effective_rank": 95.0543, "top5_share": 0.3610, "near_zero_rows": 0},
    "trained_wd": {"effective_rank": 96.9866, "top5_share": 0.3168, "near_zero_rows": 224},
}
CORPUS = {"tokens": 783, "ids_used": 288, "ids_never_seen": 224}
MIN_EPOCH_NO_DECAY = (2, 91.4624)  # (epoch, r_eff): the lowest point of the run without decay


def test_config_is_what_page_04_describes(lab_default):
    c = lab_default["config"]
    assert (c["vocab_size"], c["d_model"], c["epochs"], c["seed"], c["batch"], c["window"]) == (512, 128, 20, 0, 32, 2)
    assert (c["lr"], c["weight_decay"], c["near_zero"]) == (0.05, 0.1, 0.05)
    assert lab_default["corpus"] == CORPUS


@pytest.mark.parametrize("run", list(PINNED))
def test_pinned_numbers(lab_default, run):
    got, want = lab_default[run], PINNED[run]
    assert got["effective_rank"] == pytest.approx(want["effective_rank"], abs=0.05)
    assert got["top5_share"] == pytest.approx(want["top5_share"], abs=0.002)
    assert got["near_zero_rows"] == want["near_zero_rows"]


def test_claims_page_04_makes_in_words(lab_default):
    init, plain, decayed = (lab_default[k] for k in ("init", "trained", "trained_wd"))
    lost = 1 - plain["effective_rank"] / init["effective_rank"]
    assert 0.2 < lost < 0.3, "page 04: training without decay loses 'about a quarter' of the effective rank"
    assert plain["top5_share"] > 1 / 3, "page 04: 'more than a third' of the variance in the top five"
    assert decayed["effective_rank"] > plain["effective_rank"] and decayed["top5_share"] < plain["top5_share"]
    assert decayed["near_zero_rows"] == lab_default["corpus"]["ids_never_seen"], "page 04: every unused row faded"
    per_epoch = plain["effective_rank_per_epoch"]
    epoch, value = MIN_EPOCH_NO_DECAY
    assert int(np.argmin(per_epoch)) + 1 == epoch
    assert min(per_epoch) == pytest.approx(value, abs=0.05)
    assert per_epoch[-1] > min(per_epoch), "page 04: the effective rank 'recovers a little' after its dip"


def test_unused_rows_keep_their_init_without_decay_and_fade_with_it():
    from minimodel.labs import rank_collapse as rc

    ids = rc.corpus_ids()
    unused = np.setdiff1d(np.arange(rc.VOCAB), ids)
    start = rc.CBOW(rc.VOCAB, rc.D_MODEL, np.random.default_rng(rc.SEED)).embed.weight.data.copy()
    plain, *_ = rc.train(ids, 0.0, 2, rc.SEED)
    decayed, *_ = rc.train(ids, rc.WEIGHT_DECAY, 2, rc.SEED)
    assert np.array_equal(plain.embed.weight.data[unused], start[unused])
    shrink = np.linalg.norm(decayed.embed.weight.data[unused], axis=1) / np.linalg.norm(start[unused], axis=1)
    assert np.all(shrink < 1.0)


def _table_numbers(page: str) -> list[str]:
    block = re.search(r"<!-- lab:rank-collapse -->(.*?)<!-- /lab -->", page, re.S)
    assert block, "page 04 must keep its lab table between <!-- lab:rank-collapse --> and <!-- /lab -->"
    rows = [ln for ln in block.group(1).strip().splitlines()[2:]]  # skip the header and the --- line
    cells = [c.strip() for ln in rows for c in ln.strip().strip("|").split("|")[1:]]
    return cells


def _expected_cells(lab: dict, lang: str) -> list[str]:
    def num(x: float, fmt: str) -> str:
        s = format(x, fmt)
        return s.replace(".", ",") if lang == "es" else s

    pct = "%" if lang == "en" else " %"
    out = []
    for key in ("init", "trained", "trained_wd"):
        m = lab[key]
        out += [num(m["effective_rank"], ".1f"), num(100 * m["top5_share"], ".1f") + pct, str(m["near_zero_rows"])]
    return out


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_04_table_shows_the_lab_numbers(lab_default, lang):
    page = (THEORY / f"04-rank-collapse.{lang}.md").read_text(encoding="utf-8")
    assert _table_numbers(page) == _expected_cells(lab_default, lang)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_04_text_quotes_the_lab(lab_default, lang):
    page = (THEORY / f"04-rank-collapse.{lang}.md").read_text(encoding="utf-8")
    c, k = lab_default["config"], lab_default["corpus"]
    comma = (lambda s: s.replace(".", ",")) if lang == "es" else (lambda s: s)
    for fact in (str(k["tokens"]), str(k["ids_used"]), str(k["ids_never_seen"]), f"{c['vocab_size']} × {c['d_model']}",
                 str(c["epochs"]), comma(str(c["lr"])), comma(str(c["weight_decay"])), comma(str(c["near_zero"])),
                 comma(f"{MIN_EPOCH_NO_DECAY[1]:.1f}"), comma("2.7495")):
        assert fact in page, f"page 04 ({lang}) should state {fact!r}"
    # The seed document's unchecked figures must not reappear.
    for stale in ("92.4", "31.7 (", "58.3", "380", "84%", "92,4", "58,3", "84 %"):
        assert stale not in page
