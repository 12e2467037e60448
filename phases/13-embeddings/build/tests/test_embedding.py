"""The validator of build challenge 13: your Embedding against saved fixtures and a few invariants.

Fixtures (fixtures/embedding.npz, float64) hold a table W, ids, an upstream gradient G, and the
expected lookup and table gradient computed from the one-hot identity. Tolerances: rtol 1e-5, atol 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASES, close, lookup, make_embedding, table_grad, with_weight


@pytest.mark.parametrize("case", CASES)
def test_lookup_matches_fixture(fixtures, case):
    emb = with_weight(fixtures[f"{case}_weight"])
    out = lookup(emb, fixtures[f"{case}_ids"])
    assert out.shape == fixtures[f"{case}_out"].shape, f"output shape {out.shape}, expected {fixtures[f'{case}_out'].shape}"
    close(out, fixtures[f"{case}_out"], f"lookup of case {case!r}")


@pytest.mark.parametrize("case", CASES)
def test_table_gradient_matches_fixture(fixtures, case):
    emb = with_weight(fixtures[f"{case}_weight"])
    grad = table_grad(emb, fixtures[f"{case}_ids"], fixtures[f"{case}_upstream"])
    close(grad, fixtures[f"{case}_grad"], f"gradient of the table, case {case!r}")


def test_weight_is_a_parameter_of_shape_vocab_by_d():
    from minimodel.module import Parameter

    emb = make_embedding(11, 5)
    assert isinstance(emb.weight, Parameter), "weight must be a minimodel Parameter, or the optimizer never sees it"
    assert emb.weight.shape == (11, 5), f"weight has shape {emb.weight.shape}, expected (vocab_size, d_model) = (11, 5)"
    assert emb.vocab_size == 11 and emb.d_model == 5
    assert any(p is emb.weight for p in emb.parameters())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_output_shape_and_dtype(dtype):
    emb = make_embedding(9, 3, dtype=dtype)
    assert emb.weight.dtype == dtype, f"weight dtype {emb.weight.dtype}, expected {np.dtype(dtype)}"
    out = emb(np.zeros((2, 5), dtype=np.int64))
    assert out.shape == (2, 5, 3), f"ids (2, 5) gave shape {out.shape}, expected (2, 5, 3)"
    assert out.dtype == dtype, f"output dtype {out.dtype}, expected {np.dtype(dtype)}"


def test_ids_as_list_array_or_tensor():
    from minimodel.tensor import Tensor

    emb = make_embedding(6, 2)
    want = emb.weight.data[[4, 0, 4]]
    for ids in ([4, 0, 4], np.array([4, 0, 4], dtype=np.int32), Tensor(np.array([4, 0, 4]))):
        close(lookup(emb, ids), want, f"lookup of ids given as {type(ids).__name__}")


def test_repeated_ids_accumulate():
    emb = make_embedding(5, 3)
    ids = np.array([2, 2, 2, 4])
    upstream = np.ones((4, 3))
    grad = table_grad(emb, ids, upstream)
    assert np.allclose(grad[2], 3.0), (
        f"id 2 appears 3 times, so its row must receive 3 gradients summed (3.0 each), got {grad[2]}")
    assert np.allclose(grad[4], 1.0) and np.allclose(grad[[0, 1, 3]], 0.0)


def test_gradient_accumulates_across_calls():
    emb = make_embedding(4, 2)
    emb.zero_grad()
    a, b = emb([1]), emb([1, 3])
    (a.sum() + b.sum()).backward()
    assert np.allclose(emb.weight.grad[1], 2.0) and np.allclose(emb.weight.grad[3], 1.0), (
        "two lookups in one graph must both reach the table")


@pytest.mark.parametrize("bad", [12, -1])
def test_out_of_range_ids_raise_a_clear_error(bad):
    emb = make_embedding(12, 2)
    with pytest.raises((IndexError, ValueError)) as info:
        emb(np.array([0, bad, 3]))
    message = str(info.value)
    assert str(bad) in message and "12" in message, (
        f"the error should name the bad id {bad} and vocab_size 12, got: {message!r}")


def test_forward_does_not_build_a_one_hot_matrix(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("forward built an identity/one-hot matrix: index the table instead")

    emb = make_embedding(50, 4)
    monkeypatch.setattr(np, "eye", refuse)
    monkeypatch.setattr(np, "identity", refuse)
    out = emb(np.array([[3, 49], [0, 3]]))
    (out * 1.0).sum().backward()
    assert out.shape == (2, 2, 4)


def test_init_is_small_and_centred():
    emb = make_embedding(512, 64, seed=1)
    w = np.asarray(emb.weight.data, dtype=np.float64)
    assert abs(w.mean()) < 0.002, f"init mean {w.mean():.4f}, expected about 0"
    assert 0.018 < w.std() < 0.022, f"init std {w.std():.4f}, expected 0.02 (N(0, 0.02^2), as in GPT-1)"
    again = make_embedding(512, 64, seed=1)
    assert np.array_equal(emb.weight.data, again.weight.data), "the same rng seed must give the same table"


def test_tied_head_uses_the_same_table_and_vocabulary():
    from minimodel.nn import LMHead

    emb = make_embedding(13, 4)
    head = LMHead(emb)
    assert head.weight is emb.weight, "the tied head must hold the embedding's own Parameter"
    assert head.vocab_size_out == emb.vocab_size, (
        f"head predicts {head.vocab_size_out} classes but the table has {emb.vocab_size} rows")
    from minimodel.tensor import Tensor

    logits = head(Tensor(np.ones((2, 4))))
    assert logits.shape == (2, 13)
