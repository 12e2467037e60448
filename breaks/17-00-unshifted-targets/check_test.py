"""Check for break 17-00: the LM loss at position t scores token t+1, the one not yet seen.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np

from minimodel.nn.gpt import GPT, GPTConfig, lm_loss
from minimodel.tensor import no_grad


def log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def test_loss_scores_the_next_token():
    model = GPT(GPTConfig(vocab_size=11, block_size=6, d_model=8, n_layers=1, n_heads=2, seed=0), dtype=np.float64)
    window = np.random.default_rng(0).integers(0, 11, size=(3, 7))
    with no_grad():
        loss = lm_loss(model, window).item()
        logits = model(window[:, :-1]).data  # the model reads tokens 0..5
    logp = log_softmax(logits)
    expected = -np.take_along_axis(logp, window[:, 1:, None], -1).mean()  # and predicts tokens 1..6
    assert abs(loss - expected) < 1e-9, f"lm_loss = {loss:.6f}, but the next-token loss is {expected:.6f}"


def test_a_model_that_copies_its_input_scores_badly():
    # Build a GPT that predicts "the token I am reading": silence both sub-layers and the position
    # table, and make the token table one-hot-like, so logits = ln_f(E[x]) @ E^T peak at x itself.
    model = GPT(GPTConfig(vocab_size=5, block_size=4, d_model=8, n_layers=1, n_heads=2, seed=1), dtype=np.float64)
    for layer in (model.blocks[0].attn.proj, model.blocks[0].ffn.down):
        layer.weight.data[...] = 0.0
        layer.bias.data[...] = 0.0
    model.pos.weight.data[...] = 0.0
    model.tok.weight.data[...] = 3.0 * np.eye(5, 8)
    window = np.array([[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]])  # every token differs from the next one
    with no_grad():
        loss = lm_loss(model, window).item()
    assert loss > np.log(5), (
        f"a model that only copies its current input gets lm_loss {loss:.3f} (ln 5 = {np.log(5):.3f}) on text where "
        "the next token is never the current one: the loss is rewarding copying"
    )
