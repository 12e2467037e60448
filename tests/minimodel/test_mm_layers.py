"""Layers and losses: gradients, tying, error messages."""

import numpy as np
import pytest

from minimodel import F, Module, Tensor
from minimodel.gradcheck import check_gradients as check
from minimodel.nn import Embedding, Linear, LMHead

rng = np.random.default_rng(2)


def test_log_softmax_and_softmax_gradients():
    check(lambda x: F.log_softmax(x), rng.normal(size=(3, 5)))
    check(lambda x: F.log_softmax(x, axis=0), rng.normal(size=(3, 5)))
    check(lambda x: F.softmax(x), rng.normal(size=(2, 3, 4)))


def test_softmax_is_stable_for_huge_logits():
    x = Tensor(np.array([[1000.0, 1001.0, 1002.0]]))
    p = F.softmax(x).data
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(F.log_softmax(x).data, np.log(p))


def test_cross_entropy_value_and_gradient():
    logits = rng.normal(size=(2, 3, 5))
    targets = rng.integers(0, 5, size=(2, 3))
    loss = F.cross_entropy(Tensor(logits), targets).item()
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -np.take_along_axis(logp, targets[..., None], -1).mean()
    assert loss == pytest.approx(expected)
    check(lambda x: F.cross_entropy(x, targets), logits)


def test_cross_entropy_names_both_shapes():
    logits = Tensor(np.zeros((4, 8, 512), dtype=np.float32))
    targets = np.zeros((4, 8), dtype=np.int64)
    with pytest.raises(ValueError) as err:
        F.cross_entropy(logits, targets, num_classes=256)
    assert "(4, 8, 512)" in str(err.value) and "256" in str(err.value)
    with pytest.raises(ValueError) as err:
        F.cross_entropy(logits, np.zeros((4, 9), dtype=np.int64))
    assert "(4, 8, 512)" in str(err.value) and "(4, 9)" in str(err.value)
    with pytest.raises(ValueError, match="0..511"):
        F.cross_entropy(logits, np.full((4, 8), 600))


def test_embedding_gradient_with_repeated_ids():
    ids = np.array([[1, 3, 1], [1, 0, 3]])
    emb = Embedding(5, 4, rng=rng, dtype=np.float64)

    def fn(w):
        emb.weight = w  # let gradcheck own the table
        return emb(ids)

    check(fn, emb.weight.data.copy())


def test_embedding_repeated_ids_accumulate():
    emb = Embedding(6, 3, rng=rng)
    ids = np.array([2, 2, 2, 4])
    emb(ids).sum().backward()
    # Each use of a row contributes ones(3); row 2 was used three times.
    np.testing.assert_array_equal(emb.weight.grad[2], np.full(3, 3.0))
    np.testing.assert_array_equal(emb.weight.grad[4], np.ones(3))
    np.testing.assert_array_equal(emb.weight.grad[[0, 1, 3, 5]], np.zeros((4, 3)))


def test_embedding_lookup_equals_onehot_matmul():
    emb = Embedding(7, 3, rng=rng)
    ids = np.array([[0, 6, 6], [2, 3, 0]])
    np.testing.assert_allclose(emb(ids).data, np.eye(7)[ids] @ emb.weight.data)
    assert emb(ids).shape == (2, 3, 3)
    assert emb.vocab_size == 7 and emb.d_model == 3 and emb.weight.shape == (7, 3)


@pytest.mark.parametrize("bad", [7, 100, -1])
def test_embedding_out_of_range_ids_are_named(bad):
    emb = Embedding(7, 3, rng=rng)
    with pytest.raises(IndexError) as err:
        emb(np.array([0, bad]))
    assert str(bad) in str(err.value) and "7" in str(err.value)


def test_linear_gradients():
    lin = Linear(4, 3, rng=rng, dtype=np.float64)

    def fn(x, w, b):
        lin.weight, lin.bias = w, b
        return lin(x)

    check(fn, rng.normal(size=(2, 5, 4)), lin.weight.data.copy(), lin.bias.data.copy())
    assert Linear(4, 3, bias=False).bias is None
    assert lin.weight.shape == (3, 4)


def test_lm_head_gradients():
    emb = Embedding(6, 4, rng=rng, dtype=np.float64)
    head = LMHead(emb)

    def fn(h, w):
        emb.weight = w
        return head(h)

    check(fn, rng.normal(size=(2, 3, 4)), emb.weight.data.copy())


def test_tied_lm_gradient_through_both_uses_of_the_table():
    """The table is read by the lookup AND by the head: both paths add to one gradient."""
    emb = Embedding(6, 4, rng=rng, dtype=np.float64)
    head = LMHead(emb)
    ids = np.array([[1, 2, 1]])
    targets = np.array([[2, 1, 5]])

    def fn(w):
        emb.weight = w
        return F.cross_entropy(head(emb(ids).tanh()), targets)

    check(fn, rng.normal(size=(6, 4)))


class Tiny(Module):
    def __init__(self):
        super().__init__()
        self.embed = Embedding(10, 4, rng=rng)
        self.blocks = [Linear(4, 4, rng=rng), Linear(4, 4, bias=False, rng=rng)]
        self.head = LMHead(self.embed)

    def forward(self, ids):
        h = self.embed(ids)
        for block in self.blocks:
            h = block(h).tanh()
        return self.head(h)


def test_tied_weight_is_one_object_listed_once():
    m = Tiny()
    assert m.head.embedding.weight is m.embed.weight
    assert m.head.vocab_size_out == m.embed.vocab_size == 10
    names = [n for n, _ in m.named_parameters()]
    assert names == ["embed.weight", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight"]
    assert sum(p is m.embed.weight for p in m.parameters()) == 1
    assert m.num_parameters() == 10 * 4 + 4 * 4 + 4 + 4 * 4
    assert m(np.array([[1, 2]])).shape == (1, 2, 10)


def test_state_dict_round_trip_keeps_tying():
    a, b = Tiny(), Tiny()
    b.load_state_dict(a.state_dict())
    for (na, pa), (nb, pb) in zip(a.named_parameters(), b.named_parameters()):
        assert na == nb
        np.testing.assert_array_equal(pa.data, pb.data)
    assert b.head.embedding.weight is b.embed.weight
    state = a.state_dict()
    state["embed.weight"] = np.zeros((3, 4))
    with pytest.raises(ValueError, match="embed.weight"):
        b.load_state_dict(state)
    with pytest.raises(KeyError, match="missing"):
        b.load_state_dict({})


def test_zero_grad_and_train_eval():
    m = Tiny()
    F.cross_entropy(m(np.array([[1, 2]])), np.array([[3, 4]])).backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.eval()
    assert not m.training and not m.blocks[0].training and not m.head.embedding.training
    m.train()
    assert m.blocks[1].training


def test_module_repr_shows_the_tree():
    text = repr(Tiny())
    assert text.startswith("Tiny(") and "(embed): Embedding(vocab_size=10, d_model=4)" in text
    assert "(blocks.1): Linear(4, 4, bias=False)" in text and "(head): LMHead(tied to" in text
