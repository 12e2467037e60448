"""Check for break 17-03: AdamW's weight decay reaches the matrices only, never a LayerNorm gain or a bias.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np

from minimodel.nn.gpt import GPT, GPTConfig
from minimodel.optim import configure_optimizer, decay_groups


def small_gpt():
    return GPT(GPTConfig(vocab_size=20, block_size=4, d_model=8, n_layers=2, n_heads=2, seed=0), dtype=np.float64)


def test_matrices_decay_and_vectors_do_not():
    model = small_gpt()
    decay, no_decay = decay_groups(model)
    names = {id(p): name for name, p in model.named_parameters()}
    wrong = [names[id(p)] for p in decay if p.ndim < 2] + [names[id(p)] for p in no_decay if p.ndim >= 2]
    assert not wrong, f"in the wrong decay group: {wrong} (matrices decay; gains and biases, the vectors, do not)"
    assert len(decay) + len(no_decay) == len(names)


def test_a_step_with_no_gradient_shrinks_the_matrices_only():
    """A zero-gradient step shrinks every matrix by 1 - lr·wd and leaves the gains and biases as they are."""
    # With a zero gradient Adam's own update is 0, so only the decoupled decay can move a parameter.
    model = small_gpt()
    lr, wd = 1e-2, 0.1
    opt = configure_optimizer(model, lr=lr, weight_decay=wd)
    before = {name: p.data.copy() for name, p in model.named_parameters()}
    for p in model.parameters():
        p.grad = np.zeros_like(p.data)
    opt.step()
    for name, p in model.named_parameters():
        factor = 1 - lr * wd if p.ndim >= 2 else 1.0
        np.testing.assert_allclose(p.data, before[name] * factor, rtol=1e-12, atol=0,
                                   err_msg=f"{name} (shape {p.shape}) after one step with a zero gradient")
