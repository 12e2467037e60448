"""minimodel against PyTorch: every op and layer, the forward value and every gradient, in float64.

Shapes come from Hypothesis: scalars and vectors included, every kind of broadcasting (leading axes
added, size-1 axes stretched, on either side), indices that pick the same element several times.
The optimizers run several steps in which some parameters get no gradient.

PyTorch is a test extra (`pip install -e ".[test,test-torch]"`, the CPU build torch==2.13.0); without
it the whole module is skipped, and says why.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed: the differential tests need the test-torch extra "
                    "(pip install -e '.[test,test-torch]', the CPU build torch==2.13.0)")
TF = torch.nn.functional

from minimodel import Parameter, Tensor  # noqa: E402
from minimodel import functional as F  # noqa: E402
from minimodel.nn import (  # noqa: E402
    GPT, LSTM, RNN, AdditiveScores, BlockConfig, Conv1d, Dropout, Embedding, FeedForward, GPTConfig, LayerNorm,
    Linear, LMHead, MultiHeadAttention, TransformerBlock, causal_mask, gelu, lm_loss, scaled_dot_product_attention,
)
from minimodel.ops import concat, masked_fill, stack, swap_last  # noqa: E402
from minimodel.optim import SGD, AdamW, configure_optimizer  # noqa: E402
from minimodel.schedule import clip_grad_norm  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RTOL, ATOL = 1e-9, 1e-11


# -- strategies ---------------------------------------------------------------------------------------
def values(lo: float = -3.0, hi: float = 3.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)


def arrays(shape, lo: float = -3.0, hi: float = 3.0):
    return hnp.arrays(np.float64, shape, elements=values(lo, hi))


def away_from_zero(shape, lo: float = 0.3, hi: float = 3.0):
    """Values with |x| in [lo, hi], either sign (denominators)."""
    return hnp.arrays(np.float64, shape, elements=st.one_of(values(lo, hi), values(-hi, -lo)))


shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4)
pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=1, max_side=4)
matmul_shapes = hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=3, min_side=1, max_side=4)


@st.composite
def axes_of(draw, ndim: int, allow_none: bool = True, allow_tuple: bool = True):
    """None, one axis (negative ones included), or several distinct axes."""
    options = [st.integers(-ndim, ndim - 1)] if ndim else []
    if allow_none or not ndim:
        options.append(st.none())
    if allow_tuple and ndim:
        options.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple))
    return draw(st.one_of(*options))


# -- the check ----------------------------------------------------------------------------------------
def as_torch(a: np.ndarray, grad: bool = True):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def compare(mm_fn, torch_fn, *inputs: np.ndarray, rtol: float = RTOL, atol: float = ATOL, seed: int = 0,
            mm_params=(), torch_params=()) -> None:
    """Forward value and the gradient of every input (and of the given parameters), minimodel vs PyTorch.

    The loss is sum(output * upstream) with a random upstream gradient, so every output element counts.
    """
    mm_in = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in inputs]
    t_in = [as_torch(a) for a in inputs]
    mm_out, t_out = mm_fn(*mm_in), torch_fn(*t_in)
    want = t_out.detach().numpy()
    assert mm_out.shape == want.shape, f"output shape {mm_out.shape}, PyTorch {want.shape}"
    assert mm_out.dtype == np.float64
    np.testing.assert_allclose(mm_out.data, want, rtol=rtol, atol=atol, err_msg="forward")
    upstream = np.random.default_rng(seed).normal(size=want.shape)
    mm_out.backward(upstream.copy())
    t_out.backward(torch.tensor(upstream))
    for i, (m, t) in enumerate([*zip(mm_in, t_in), *zip(mm_params, torch_params)]):
        t_grad = np.zeros(tuple(t.shape)) if t.grad is None else t.grad.numpy()
        m_grad = np.zeros(m.shape) if m.grad is None else m.grad
        assert m_grad.shape == t_grad.shape, f"gradient {i}: shape {m_grad.shape}, PyTorch {t_grad.shape}"
        np.testing.assert_allclose(m_grad, t_grad, rtol=rtol, atol=atol, err_msg=f"gradient of input/parameter {i}")


# -- elementwise and broadcasting ---------------------------------------------------------------------
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
}


@pytest.mark.parametrize("op", list(BINARY))
@SETTINGS
@given(data=st.data())
def test_binary_ops_broadcast_like_pytorch(op, data):
    (sa, sb), _ = data.draw(pairs)
    mm_fn, t_fn = BINARY[op]
    compare(mm_fn, t_fn, data.draw(arrays(sa)), data.draw(arrays(sb)))


@SETTINGS
@given(data=st.data())
def test_division_broadcasts_like_pytorch(data):
    (sa, sb), _ = data.draw(pairs)
    compare(lambda a, b: a / b, lambda a, b: a / b, data.draw(arrays(sa)), data.draw(away_from_zero(sb)))


@SETTINGS
@given(data=st.data())
def test_a_tensor_used_twice(data):
    shape = data.draw(shapes)
    compare(lambda a: a * a + a / 2.0 - a, lambda a: a * a + a / 2.0 - a, data.draw(arrays(shape)))


@SETTINGS
@given(data=st.data(), c=values(-2, 2).filter(lambda v: abs(v) > 0.1))
def test_python_numbers_on_either_side(data, c):
    x = data.draw(arrays(data.draw(shapes), 0.5, 3.0))
    compare(lambda a: (c + a) * (c - a) / (c * a) + c / a - a, lambda a: (c + a) * (c - a) / (c * a) + c / a - a, x)
    compare(lambda a: -a, lambda a: -a, x)


@SETTINGS
@given(data=st.data())
def test_an_ndarray_on_the_left(data):
    (sa, sb), _ = data.draw(pairs)
    left = data.draw(arrays(sa))
    compare(lambda b: left * b + left - b, lambda b: torch.tensor(left) * b + torch.tensor(left) - b, data.draw(arrays(sb)))


UNARY = {
    "exp": (lambda a: a.exp(), torch.exp, -3, 3),
    "log": (lambda a: a.log(), torch.log, 0.1, 5),
    "tanh": (lambda a: a.tanh(), torch.tanh, -5, 5),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid, -30, 30),
    "relu": (lambda a: a.relu(), torch.relu, -3, 3),
    "sqrt": (lambda a: a.sqrt(), torch.sqrt, 0.1, 5),
}


@pytest.mark.parametrize("op", list(UNARY))
@SETTINGS
@given(data=st.data())
def test_unary_ops(op, data):
    mm_fn, t_fn, lo, hi = UNARY[op]
    compare(mm_fn, t_fn, data.draw(arrays(data.draw(shapes), lo, hi)))


@SETTINGS
@given(data=st.data(), exponent=st.sampled_from([2, 3, -1, 0.5, 1.5, -0.5]))
def test_power_with_a_python_exponent(data, exponent):
    compare(lambda a: a**exponent, lambda a: a**exponent, data.draw(arrays(data.draw(shapes), 0.2, 3.0)))


def test_sigmoid_keeps_its_relative_precision_in_both_tails():
    x = np.linspace(-700.0, 700.0, 4001)
    got = Tensor(x).sigmoid().data
    want = torch.sigmoid(torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)  # relative, down to 1e-304
    assert got[0] > 0 and np.all(np.isfinite(got))
    compare(lambda a: a.sigmoid(), torch.sigmoid, np.linspace(-700.0, 0.0, 301), rtol=1e-12, atol=0)
    # Above 0, PyTorch's gradient (1 - s) s loses its digits as s rounds towards 1; sigmoid' is even, and
    # minimodel's gradient at +x is PyTorch's at -x, to the last digits.
    x = np.linspace(0.0, 700.0, 301)
    t = Tensor(x, requires_grad=True)
    t.sigmoid().sum().backward()
    tx = torch.tensor(-x, requires_grad=True)
    torch.sigmoid(tx).sum().backward()
    np.testing.assert_allclose(t.grad, tx.grad.numpy(), rtol=1e-12, atol=0)
    # float32: no overflow warning, no 0 until exp itself underflows
    with np.errstate(all="raise"):
        s32 = Tensor(np.array([-80.0, -30.0, 0.0, 30.0, 80.0], dtype=np.float32)).sigmoid().data
    assert s32.dtype == np.float32 and 0 < s32[1] < 1e-12 and s32[2] == 0.5


# -- reductions -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["sum", "mean"])
@SETTINGS
@given(data=st.data(), keepdims=st.booleans())
def test_sum_and_mean(how, data, keepdims):
    shape = data.draw(shapes)
    axis = data.draw(axes_of(len(shape)))
    dim = tuple(range(len(shape))) if axis is None else axis
    mm_fn = (lambda a: a.sum(axis=axis, keepdims=keepdims)) if how == "sum" else (lambda a: a.mean(axis=axis, keepdims=keepdims))
    t_fn = (lambda a: a.sum(dim=dim, keepdim=keepdims)) if how == "sum" else (lambda a: a.mean(dim=dim, keepdim=keepdims))
    compare(mm_fn, t_fn, data.draw(arrays(shape)))


@SETTINGS
@given(data=st.data(), keepdims=st.booleans())
def test_sums_big_enough_for_blas(data, keepdims):
    """Sums over the last or the leading axes of large arrays take the matrix-vector path."""
    shape = data.draw(st.sampled_from([(64, 80), (3, 40, 50), (2, 3, 30, 40), (8192,)]))
    axis = data.draw(st.sampled_from([-1, 0, (0, 1), None] if len(shape) > 2 else [-1, 0, None]))
    dim = tuple(range(len(shape))) if axis is None else axis
    compare(lambda a: a.sum(axis=axis, keepdims=keepdims), lambda a: a.sum(dim=dim, keepdim=keepdims),
            data.draw(arrays(shape)), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(data=st.data(), keepdims=st.booleans())
def test_max_splits_the_gradient_between_ties_like_amax(data, keepdims):
    shape = data.draw(shapes)
    axis = data.draw(axes_of(len(shape), allow_tuple=False))
    dim = tuple(range(len(shape))) if axis is None else axis
    # few distinct values, so that ties are common
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 0.0, 0.5, 2.0])))
    compare(lambda a: a.max(axis=axis, keepdims=keepdims), lambda a: torch.amax(a, dim=dim, keepdim=keepdims), x)


@SETTINGS
@given(data=st.data(), keepdims=st.booleans())
def test_var_is_the_population_variance(data, keepdims):
    shape = data.draw(shapes)
    axis = data.draw(axes_of(len(shape)))
    dim = tuple(range(len(shape))) if axis is None else axis
    compare(lambda a: a.var(axis=axis, keepdims=keepdims), lambda a: torch.var(a, dim=dim, correction=0, keepdim=keepdims),
            data.draw(arrays(shape)))


# -- shapes and indexing ------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data())
def test_reshape_transpose_and_T(data):
    shape = data.draw(shapes)
    x = data.draw(arrays(shape))
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    compare(lambda a: a.transpose(perm).reshape(-1), lambda a: a.permute(perm).reshape(-1), x)
    compare(lambda a: a.T, lambda a: a.permute(tuple(reversed(range(a.ndim)))), x)
    compare(lambda a: a.transpose(), lambda a: a.permute(tuple(reversed(range(a.ndim)))), x)


def _positive_steps(index) -> bool:  # PyTorch has no negative slice steps
    items = index if isinstance(index, tuple) else (index,)
    return all(not isinstance(i, slice) or i.step is None or i.step > 0 for i in items)


@SETTINGS
@given(data=st.data())
def test_basic_indexing(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    index = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True).filter(_positive_steps))
    compare(lambda a: a[index], lambda a: a[index], data.draw(arrays(shape)))


@SETTINGS
@given(data=st.data())
def test_integer_array_indexing_with_repeated_indices(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    index = data.draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=6)))
    t_index = tuple(torch.tensor(i) for i in index)
    compare(lambda a: a[index], lambda a: a[t_index], data.draw(arrays(shape)))
    # the same ids as Tensors (floats holding integers) select the same elements
    compare(lambda a: a[tuple(Tensor(i) for i in index)], lambda a: a[t_index], data.draw(arrays(shape)))


@pytest.mark.parametrize("make", [
    lambda: (slice(None), np.array([0, 2, 2, 0])),
    lambda: (np.array([[1, 1], [0, 1]]), slice(1, None)),
    lambda: (Ellipsis, np.array([1, 1, 1])),
    lambda: (np.array([0, 0]), np.array([2, 2])),
    lambda: np.array([[True, False, True], [True, True, False]]),
    lambda: (1, np.array([0, 0, 2])),
])
def test_mixed_and_boolean_indexing(make):
    index = make()
    t_index = tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index) if isinstance(index, tuple) \
        else torch.tensor(index)
    x = np.random.default_rng(0).normal(size=(2, 3, 3)) if not (isinstance(index, np.ndarray) and index.dtype == bool) \
        else np.random.default_rng(0).normal(size=(2, 3))
    compare(lambda a: a[index], lambda a: a[t_index], x)


# -- matrix products ------------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data())
def test_matmul_every_shape_combination(data):
    """Vectors, matrices and batches of them, with batch axes that broadcast either way."""
    (sa, sb), _ = data.draw(matmul_shapes)
    compare(lambda a, b: a @ b, lambda a, b: a @ b, data.draw(arrays(sa)), data.draw(arrays(sb)))


@pytest.mark.parametrize("sa, sb", [((4,), (4,)), ((3,), (2, 3, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((2, 3, 4), (4,)),
                                    ((1, 4), (4, 1)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5))])
def test_matmul_listed_shapes(sa, sb):
    rng = np.random.default_rng(0)
    compare(lambda a, b: a @ b, lambda a, b: a @ b, rng.normal(size=sa), rng.normal(size=sb))


def test_matmul_with_a_transposed_weight_and_an_ndarray_on_the_left():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(2, 3, 4)), rng.normal(size=(5, 4))
    compare(lambda a, b: a @ b.T, lambda a, b: a @ b.T, x, w)
    left = rng.normal(size=(3, 2))
    compare(lambda b: left @ b, lambda b: torch.tensor(left) @ b, rng.normal(size=(2, 4)))


# -- ops ---------------------------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data(), n=st.integers(1, 3))
def test_stack_and_concat(data, n):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    xs = [data.draw(arrays(shape)) for _ in range(n)]
    compare(lambda *a: stack(a, axis=axis), lambda *a: torch.stack(a, dim=axis), *xs)
    compare(lambda *a: concat(a, axis=axis), lambda *a: torch.cat(a, dim=axis), *xs)
    compare(lambda a: swap_last(a) if a.ndim >= 2 else a, lambda a: a.transpose(-1, -2) if a.ndim >= 2 else a, xs[0])


@SETTINGS
@given(data=st.data(), value=st.sampled_from([0.0, -1e9, 3.5]))
def test_masked_fill_with_a_broadcast_mask(data, value):
    (sx, sm), _ = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=4))
    # the mask may broadcast against x, but the result keeps x's shape
    shape = np.broadcast_shapes(sx, sm)
    x = data.draw(arrays(shape))
    mask = data.draw(hnp.arrays(bool, sm))
    compare(lambda a: masked_fill(a, mask, value), lambda a: a.masked_fill(torch.tensor(mask), value), x)


# -- functional ----------------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data())
def test_softmax_log_softmax_and_logsumexp(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    keepdims = data.draw(st.booleans())
    x = data.draw(arrays(shape, -20, 20))
    compare(lambda a: F.softmax(a, axis=axis), lambda a: torch.softmax(a, dim=axis), x)
    compare(lambda a: F.log_softmax(a, axis=axis), lambda a: torch.log_softmax(a, dim=axis), x)
    compare(lambda a: F.logsumexp(a, axis=axis, keepdims=keepdims), lambda a: torch.logsumexp(a, dim=axis, keepdim=keepdims), x)


def test_softmax_family_at_extreme_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4 + 1.0, -1e4 - 50.0], [0.0, -800.0, -745.0]])
    compare(lambda a: F.log_softmax(a), lambda a: torch.log_softmax(a, dim=-1), x)
    compare(lambda a: F.softmax(a), lambda a: torch.softmax(a, dim=-1), x)
    compare(lambda a: F.logsumexp(a), lambda a: torch.logsumexp(a, dim=-1), x)
    assert np.all(np.isfinite(F.log_softmax(Tensor(x)).data))  # log of a tiny probability, never log(0)
    # a row of -inf (a query that may see no key): logsumexp -inf, and no nan anywhere else
    inf_row = np.array([[-np.inf, -np.inf], [0.0, 1.0]])
    got = F.logsumexp(Tensor(inf_row), axis=-1).data
    want = torch.logsumexp(torch.tensor(inf_row), dim=-1).numpy()
    np.testing.assert_array_equal(got, want)
    t = Tensor(inf_row, requires_grad=True)
    F.logsumexp(t, axis=-1).sum().backward()
    assert np.all(np.isfinite(t.grad))


@SETTINGS
@given(data=st.data(), as_tensor=st.booleans())
def test_cross_entropy(data, as_tensor):
    lead = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    C = data.draw(st.integers(1, 6))
    logits = data.draw(arrays(lead + (C,), -10, 10))
    targets = data.draw(hnp.arrays(np.int64, lead, elements=st.integers(0, C - 1)))
    given_targets = Tensor(targets) if as_tensor else targets
    compare(lambda z: F.cross_entropy(z, given_targets, num_classes=C),
            lambda z: TF.cross_entropy(z.reshape(-1, C), torch.tensor(targets).reshape(-1)), logits)


def test_cross_entropy_accepts_integer_targets_as_a_tensor_and_refuses_fractions():
    logits = Tensor(np.zeros((2, 3)))
    assert F.cross_entropy(logits, Tensor(np.array([2, 0]))).item() == pytest.approx(math.log(3))
    assert F.cross_entropy(logits, Tensor([1, 2])).item() == pytest.approx(math.log(3))
    assert F.cross_entropy(logits, [1, 2]).item() == pytest.approx(math.log(3))
    with pytest.raises(ValueError, match="integer class ids"):
        F.cross_entropy(logits, Tensor(np.array([0.5, 1.0])))
    with pytest.raises(ValueError, match="integer class ids"):
        F.cross_entropy(logits, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="0..2"):
        F.cross_entropy(logits, Tensor(np.array([3, 0])))


@SETTINGS
@given(data=st.data())
def test_gelu_is_the_tanh_approximation(data):
    compare(gelu, lambda a: TF.gelu(a, approximate="tanh"), data.draw(arrays(data.draw(shapes), -6, 6)))


def test_gelu_far_out():
    compare(gelu, lambda a: TF.gelu(a, approximate="tanh"), np.linspace(-60.0, 60.0, 241), rtol=1e-9, atol=1e-12)


# -- layers ------------------------------------------------------------------------------------------------
def to_torch(p: Parameter):
    return torch.tensor(p.data.copy(), requires_grad=True)


@SETTINGS
@given(data=st.data())
def test_embedding_with_repeated_ids(data):
    V, d = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 4))
    ids = data.draw(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), elements=st.integers(0, V - 1)))
    emb = Embedding(V, d, rng=np.random.default_rng(0), dtype=np.float64)
    tw = to_torch(emb.weight)
    out = emb(ids)
    t_out = TF.embedding(torch.tensor(ids), tw)
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=RTOL)
    g = np.random.default_rng(1).normal(size=out.shape)
    out.backward(g.copy())
    t_out.backward(torch.tensor(g))
    np.testing.assert_allclose(emb.weight.grad, tw.grad.numpy(), rtol=RTOL, atol=ATOL)


@SETTINGS
@given(data=st.data(), bias=st.booleans())
def test_linear_on_inputs_of_any_rank(data, bias):
    i, o = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    lin = Linear(i, o, bias=bias, rng=np.random.default_rng(0), dtype=np.float64)
    tw, tb = to_torch(lin.weight), (to_torch(lin.bias) if bias else None)
    params = [lin.weight] + ([lin.bias] if bias else [])
    compare(lin, lambda x: TF.linear(x, tw, tb), data.draw(arrays(lead + (i,))),
            mm_params=params, torch_params=[tw] + ([tb] if bias else []))


def test_lm_head_tied_to_the_embedding():
    emb = Embedding(7, 4, rng=np.random.default_rng(0), dtype=np.float64)
    head = LMHead(emb)
    tw = to_torch(emb.weight)
    ids = np.array([[1, 1, 6], [0, 6, 6]])

    def mm(h):
        return head(h + emb(ids))

    def tt(h):
        return (h + TF.embedding(torch.tensor(ids), tw)) @ tw.T

    compare(mm, tt, np.random.default_rng(1).normal(size=(2, 3, 4)), mm_params=[emb.weight], torch_params=[tw])


@SETTINGS
@given(data=st.data())
def test_layernorm(data):
    d = data.draw(st.integers(1, 6))
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    ln = LayerNorm(d, dtype=np.float64)
    rng = np.random.default_rng(d)
    ln.weight.data[...] = rng.normal(size=d)
    ln.bias.data[...] = rng.normal(size=d)
    tw, tb = to_torch(ln.weight), to_torch(ln.bias)
    compare(ln, lambda x: TF.layer_norm(x, (d,), tw, tb, eps=ln.eps), data.draw(arrays(lead + (d,), -5, 5)),
            rtol=1e-8, atol=1e-10, mm_params=[ln.weight, ln.bias], torch_params=[tw, tb])


def test_dropout_in_training_and_in_eval():
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    drop = Dropout(0.3, seed=7)
    keep = (np.random.default_rng(7).random(x.shape) >= 0.3).astype(np.float64)  # the mask Dropout draws
    compare(drop, lambda a: a * torch.tensor(keep) / 0.7, x)
    drop.eval()
    compare(drop, lambda a: a * 1.0, x)


@SETTINGS
@given(data=st.data(), causal=st.booleans())
def test_scaled_dot_product_attention(data, causal):
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    T, d_k, d_v = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    q, k, v = (data.draw(arrays(lead + s)) for s in ((T, d_k), (T, d_k), (T, d_v)))
    mask = causal_mask(T) if causal else None
    t_mask = torch.tensor(mask) if causal else None
    compare(lambda a, b, c: scaled_dot_product_attention(a, b, c, mask)[0],
            lambda a, b, c: TF.scaled_dot_product_attention(a, b, c, attn_mask=t_mask), q, k, v)

    def t_weights(a, b, c):
        s = a @ b.transpose(-1, -2) / math.sqrt(d_k)
        return torch.softmax(s.masked_fill(~t_mask, float("-inf")) if causal else s, dim=-1)

    compare(lambda a, b, c: scaled_dot_product_attention(a, b, c, mask)[1], t_weights, q, k, v)


def _torch_mha(mha: MultiHeadAttention):
    """torch.nn.MultiheadAttention holding minimodel's weights: its in_proj rows are q, k, v, as qkv's outputs are."""
    t = torch.nn.MultiheadAttention(mha.d_model, mha.n_heads, bias=True, batch_first=True)
    with torch.no_grad():
        t.in_proj_weight.copy_(torch.tensor(mha.qkv.weight.data))
        t.in_proj_bias.copy_(torch.tensor(mha.qkv.bias.data))
        t.out_proj.weight.copy_(torch.tensor(mha.proj.weight.data))
        t.out_proj.bias.copy_(torch.tensor(mha.proj.bias.data))
    return t


MHA_PARAMS = lambda t: [t.in_proj_weight, t.in_proj_bias, t.out_proj.weight, t.out_proj.bias]  # noqa: E731


@FEW
@given(B=st.integers(1, 3), T=st.integers(1, 6), heads=st.sampled_from([1, 2, 4]), causal=st.booleans())
def test_multi_head_attention_is_torch_multihead_attention(B, T, heads, causal):
    d = 2 * heads
    mha = MultiHeadAttention(BlockConfig(d, heads, causal=causal), rng=np.random.default_rng(0), dtype=np.float64)
    t = _torch_mha(mha)
    t_mask = torch.tensor(~causal_mask(T)) if causal else None  # PyTorch's mask marks what may NOT be seen
    x = np.random.default_rng(1).normal(size=(B, T, d))
    mm_params = [mha.qkv.weight, mha.qkv.bias, mha.proj.weight, mha.proj.bias]
    compare(mha, lambda a: t(a, a, a, attn_mask=t_mask, need_weights=False)[0], x, rtol=1e-8, atol=1e-10,
            mm_params=mm_params, torch_params=MHA_PARAMS(t))
    _, w = mha(Tensor(x), return_weights=True)
    _, tw = t(*(torch.tensor(x),) * 3, attn_mask=t_mask, need_weights=True, average_attn_weights=False)
    np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_additive_scores():
    att = AdditiveScores(3, 4, 5, rng=np.random.default_rng(0), dtype=np.float64)
    wq, wk, v = to_torch(att.w_q.weight), to_torch(att.w_k.weight), to_torch(att.v)
    rng = np.random.default_rng(1)

    def tt(q, k):
        return torch.tanh((q @ wq.T).unsqueeze(-2) + (k @ wk.T).unsqueeze(-3)) @ v

    compare(att, tt, rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 4, 4)),
            mm_params=[att.w_q.weight, att.w_k.weight, att.v], torch_params=[wq, wk, v])


class _TorchBlock(torch.nn.Module):
    """minimodel's pre-norm TransformerBlock, from PyTorch's own layers, holding the same weights."""

    def __init__(self, block: TransformerBlock) -> None:
        super().__init__()
        d = block.ln1.d_model
        self.ln1, self.ln2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        self.attn = _torch_mha(block.attn)
        self.up, self.down = torch.nn.Linear(d, 4 * d), torch.nn.Linear(4 * d, d)
        self.causal = block.attn.causal
        with torch.no_grad():
            for mine, theirs in ((block.ln1, self.ln1), (block.ln2, self.ln2), (block.ffn.up, self.up), (block.ffn.down, self.down)):
                theirs.weight.copy_(torch.tensor(mine.weight.data))
                theirs.bias.copy_(torch.tensor(mine.bias.data))

    def forward(self, x):
        T = x.shape[-2]
        mask = torch.tensor(~causal_mask(T)) if self.causal else None
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.down(TF.gelu(self.up(self.ln2(x)), approximate="tanh"))


def _block_params(block: TransformerBlock, t: _TorchBlock):
    mm = [block.ln1.weight, block.ln1.bias, block.attn.qkv.weight, block.attn.qkv.bias, block.attn.proj.weight,
          block.attn.proj.bias, block.ln2.weight, block.ln2.bias, block.ffn.up.weight, block.ffn.up.bias,
          block.ffn.down.weight, block.ffn.down.bias]
    tt = [t.ln1.weight, t.ln1.bias, *MHA_PARAMS(t.attn), t.ln2.weight, t.ln2.bias, t.up.weight, t.up.bias,
          t.down.weight, t.down.bias]
    return mm, tt


@pytest.mark.parametrize("causal", [True, False])
def test_feed_forward_and_transformer_block(causal):
    block = TransformerBlock(BlockConfig(8, 2, causal=causal), rng=np.random.default_rng(0), dtype=np.float64)
    t = _TorchBlock(block)
    x = np.random.default_rng(1).normal(size=(2, 5, 8))
    compare(block.ffn, lambda a: t.down(TF.gelu(t.up(a), approximate="tanh")), x,
            mm_params=[block.ffn.up.weight, block.ffn.down.bias], torch_params=[t.up.weight, t.down.bias])
    block.zero_grad()
    t.zero_grad()
    mm, tt = _block_params(block, t)
    compare(block, t, x, rtol=1e-8, atol=1e-10, mm_params=mm, torch_params=tt)


def test_feed_forward_alone():
    ffn = FeedForward(BlockConfig(4, 1), rng=np.random.default_rng(3), dtype=np.float64)
    up_w, up_b, down_w, down_b = (to_torch(p) for p in (ffn.up.weight, ffn.up.bias, ffn.down.weight, ffn.down.bias))
    compare(ffn, lambda a: TF.linear(TF.gelu(TF.linear(a, up_w, up_b), approximate="tanh"), down_w, down_b),
            np.random.default_rng(4).normal(size=(3, 4)), mm_params=[ffn.up.weight, ffn.down.weight],
            torch_params=[up_w, down_w])


def test_gpt_and_lm_loss_are_the_same_model_in_pytorch():
    cfg = GPTConfig(vocab_size=11, block_size=6, d_model=8, n_layers=2, n_heads=2, seed=3)
    model = GPT(cfg, dtype=np.float64)
    tok, pos, ln_f = to_torch(model.tok.weight), to_torch(model.pos.weight), torch.nn.LayerNorm(8)
    with torch.no_grad():
        ln_f.weight.copy_(torch.tensor(model.ln_f.weight.data))
        ln_f.bias.copy_(torch.tensor(model.ln_f.bias.data))
    blocks = [_TorchBlock(b) for b in model.blocks]
    window = np.random.default_rng(0).integers(0, 11, size=(3, 7))
    loss = lm_loss(model, window)
    ids, targets = torch.tensor(window[:, :-1]), torch.tensor(window[:, 1:])
    x = TF.embedding(ids, tok) + pos[: ids.shape[1]]
    for b in blocks:
        x = b(x)
    logits = ln_f(x) @ tok.T  # tied head
    t_loss = TF.cross_entropy(logits.reshape(-1, 11), targets.reshape(-1))
    assert loss.item() == pytest.approx(t_loss.item(), rel=1e-12)
    np.testing.assert_allclose(model(window[:, :-1]).data, logits.detach().numpy(), rtol=1e-9, atol=1e-12)
    loss.backward()
    t_loss.backward()
    mm_params = [model.tok.weight, model.pos.weight, model.ln_f.weight, model.ln_f.bias]
    torch_params = [tok, pos, ln_f.weight, ln_f.bias]
    for b, t in zip(model.blocks, blocks):
        mm, tt = _block_params(b, t)
        mm_params += mm
        torch_params += tt
    assert len(mm_params) == len(model.parameters())
    for i, (m, t) in enumerate(zip(mm_params, torch_params)):
        np.testing.assert_allclose(m.grad, t.grad.numpy(), rtol=1e-8, atol=1e-12, err_msg=f"parameter {i}")


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_rnn_and_lstm_are_pytorch_s(kind):
    rng = np.random.default_rng(0)
    layer = (RNN if kind == "rnn" else LSTM)(3, 4, rng=rng, dtype=np.float64)
    t = (torch.nn.RNN if kind == "rnn" else torch.nn.LSTM)(3, 4, batch_first=True)
    with torch.no_grad():  # same gate order [i | f | g | o]; minimodel's recurrent product has no bias
        t.weight_ih_l0.copy_(torch.tensor(layer.w_ih.weight.data))
        t.bias_ih_l0.copy_(torch.tensor(layer.w_ih.bias.data))
        t.weight_hh_l0.copy_(torch.tensor(layer.w_hh.weight.data))
        t.bias_hh_l0.zero_()
    x = rng.normal(size=(2, 5, 3))
    mm_params = [layer.w_ih.weight, layer.w_ih.bias, layer.w_hh.weight]
    torch_params = [t.weight_ih_l0, t.bias_ih_l0, t.weight_hh_l0]
    compare(lambda a: layer(a)[0], lambda a: t(a)[0], x, mm_params=mm_params, torch_params=torch_params)
    last = (lambda a: layer(a)[1]) if kind == "rnn" else (lambda a: layer(a)[1][1])  # h_T, or the LSTM's cell c_T
    t_last = (lambda a: t(a)[1][0]) if kind == "rnn" else (lambda a: t(a)[1][1][0])
    layer.zero_grad()
    t.zero_grad()
    compare(last, t_last, x, mm_params=mm_params, torch_params=torch_params)


@pytest.mark.parametrize("k, dilation, causal", [(1, 1, True), (2, 1, True), (3, 2, True), (3, 1, False), (4, 2, False)])
def test_conv1d_is_a_padded_pytorch_conv1d(k, dilation, causal):
    conv = Conv1d(3, 2, k, dilation=dilation, causal=causal, rng=np.random.default_rng(0), dtype=np.float64)
    w = torch.tensor(conv.weight.data.transpose(0, 2, 1).copy(), requires_grad=True)  # (out, k, in) -> (out, in, k)
    b = to_torch(conv.bias)
    left, right = conv.padding()

    def tt(x):  # (B, T, C) -> (B, C, T) for PyTorch and back
        return TF.conv1d(TF.pad(x.transpose(1, 2), (left, right)), w, b, dilation=dilation).transpose(1, 2)

    x = np.random.default_rng(1).normal(size=(2, 7, 3))
    out = conv(Tensor(x))
    assert out.shape == (2, 7, 2)
    compare(conv, tt, x, mm_params=[conv.bias], torch_params=[b])
    # the weight's gradient, in minimodel's (out, k, in) layout
    np.testing.assert_allclose(conv.weight.grad, w.grad.numpy().transpose(0, 2, 1), rtol=1e-9, atol=1e-12)


# -- optimizers and clipping ---------------------------------------------------------------------------
def _grad_schedule(data, shapes, steps):
    """Gradients for each parameter at each step; None where that parameter gets none."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    present = data.draw(st.lists(st.lists(st.booleans(), min_size=len(shapes), max_size=len(shapes)),
                                 min_size=steps, max_size=steps))
    return [[rng.normal(size=s) if here else None for s, here in zip(shapes, row)] for row in present]


def _run_both(mm_opt, mm_params, t_opt, t_params, schedule, lrs=None):
    for step, grads in enumerate(schedule):
        for p, tp, g in zip(mm_params, t_params, grads):
            p.grad = None if g is None else g.copy()
            tp.grad = None if g is None else torch.tensor(g)
        if lrs is not None:
            mm_opt.lr = lrs[step]
            for group in t_opt.param_groups:
                group["lr"] = lrs[step]
        mm_opt.step()
        t_opt.step()
        for i, (p, tp) in enumerate(zip(mm_params, t_params)):
            np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12,
                                       err_msg=f"step {step + 1}, parameter {i}")


PARAM_SHAPES = [(3,), (2, 4), (1,), (2, 2, 3)]


@SETTINGS
@given(data=st.data(), momentum=st.sampled_from([0.0, 0.9]), weight_decay=st.sampled_from([0.0, 0.1]),
       lr=st.sampled_from([0.01, 0.3]))
def test_sgd_over_steps_where_some_parameters_get_no_gradient(data, momentum, weight_decay, lr):
    init = [np.random.default_rng(i).normal(size=s) for i, s in enumerate(PARAM_SHAPES)]
    mm = [Parameter(a.copy()) for a in init]
    tt = [torch.tensor(a, requires_grad=True) for a in init]
    _run_both(SGD(mm, lr=lr, momentum=momentum, weight_decay=weight_decay), mm,
              torch.optim.SGD(tt, lr=lr, momentum=momentum, weight_decay=weight_decay), tt,
              _grad_schedule(data, PARAM_SHAPES, 6))


@SETTINGS
@given(data=st.data(), betas=st.sampled_from([(0.9, 0.999), (0.9, 0.95), (0.5, 0.6)]),
       weight_decay=st.sampled_from([0.0, 0.01, 0.1]), eps=st.sampled_from([1e-8, 1e-3]))
def test_adamw_keeps_a_step_count_per_parameter(data, betas, weight_decay, eps):
    init = [np.random.default_rng(i).normal(size=s) for i, s in enumerate(PARAM_SHAPES)]
    mm = [Parameter(a.copy()) for a in init]
    tt = [torch.tensor(a, requires_grad=True) for a in init]
    lrs = data.draw(st.lists(st.sampled_from([1e-3, 3e-3, 0.05]), min_size=7, max_size=7))
    _run_both(AdamW(mm, lr=lrs[0], betas=betas, eps=eps, weight_decay=weight_decay), mm,
              torch.optim.AdamW(tt, lr=lrs[0], betas=betas, eps=eps, weight_decay=weight_decay), tt,
              _grad_schedule(data, PARAM_SHAPES, 7), lrs)


def test_adamw_bias_correction_of_a_parameter_that_starts_late():
    """The issue's case: no gradient on the first step, then one. Its first update is lr * sign(g), as for
    a parameter on its own first step, and the following ones match PyTorch."""
    a, b = Parameter(np.zeros(2)), Parameter(np.zeros(2))
    ta, tb = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    schedule = [[np.ones(2), None], [np.ones(2), np.array([0.5, -2.0])], [np.ones(2), np.array([1.0, 1.0])]]
    opt = AdamW([a, b], lr=0.1, weight_decay=0.0)
    _run_both(opt, [a, b], torch.optim.AdamW([ta, tb], lr=0.1, weight_decay=0.0), [ta, tb], schedule[:2])
    np.testing.assert_allclose(b.data, [-0.1, 0.1], rtol=1e-6)
    assert opt.t == [2, 1]


def test_configure_optimizer_is_pytorch_adamw_with_two_groups():
    model = GPT(GPTConfig(vocab_size=7, block_size=4, d_model=8, n_layers=1, n_heads=2), dtype=np.float64)
    params = model.parameters()
    tt = [torch.tensor(p.data.copy(), requires_grad=True) for p in params]
    decay = [t for p, t in zip(params, tt) if p.ndim >= 2]
    no_decay = [t for p, t in zip(params, tt) if p.ndim < 2]
    t_opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                              lr=3e-3, betas=(0.9, 0.95))
    rng = np.random.default_rng(0)
    schedule = [[rng.normal(size=p.shape) if (i + s) % 3 else None for i, p in enumerate(params)] for s in range(5)]
    _run_both(configure_optimizer(model, lr=3e-3, weight_decay=0.1), params, t_opt, tt, schedule,
              lrs=[3e-3, 2e-3, 1e-3, 5e-4, 1e-4])


@SETTINGS
@given(data=st.data(), max_norm=st.sampled_from([0.1, 1.0, 100.0]))
def test_clip_grad_norm(data, max_norm):
    grads = [g for g in _grad_schedule(data, PARAM_SHAPES, 1)[0]]
    mm = [Parameter(np.zeros(s)) for s in PARAM_SHAPES]
    tt = [torch.zeros(s, requires_grad=True) for s in PARAM_SHAPES]
    for p, t, g in zip(mm, tt, grads):
        p.grad = None if g is None else g.copy()
        t.grad = None if g is None else torch.tensor(g)
    norm = clip_grad_norm(mm, max_norm)
    t_norm = torch.nn.utils.clip_grad_norm_(tt, max_norm)
    assert norm == pytest.approx(float(t_norm), rel=1e-12)
    for p, t in zip(mm, tt):
        if t.grad is None:
            assert p.grad is None
        else:  # PyTorch divides by (norm + 1e-6), minimodel by (norm + 1e-12)
            np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-5)
