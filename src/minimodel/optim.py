"""Optimizers: SGD (with momentum) and AdamW, and configure_optimizer, the mini-GPT's AdamW set-up
(weight decay on the matrices only, as in nanoGPT)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from minimodel.module import Module, Parameter


class Optimizer:
    """Holds a list of parameters and updates them from their `.grad`."""

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        self.params = list(params)
        # The same object twice would be updated twice per step (a tied weight listed by
        # two layers); keep the first occurrence only.
        unique: dict[int, Parameter] = {}
        for p in self.params:
            unique.setdefault(id(p), p)
        self.params = list(unique.values())
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        self.lr = lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent.

    v = momentum * v + (g + weight_decay * p);   p = p - lr * v
    (PyTorch's form of heavy-ball momentum, Polyak 1964.) Here weight decay is the plain L2
    penalty added to the gradient, which for SGD is the same as shrinking the weights.
    """

    def __init__(self, params: Iterable[Parameter], lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        for p, v in zip(self.params, self.velocity):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                v *= self.momentum
                v += g
                g = v
            p.data -= self.lr * g


class AdamW(Optimizer):
    """Adam (Kingma & Ba 2015) with decoupled weight decay (Loshchilov & Hutter 2019).

    m = b1 m + (1 - b1) g            running mean of gradients
    v = b2 v + (1 - b2) g^2          running mean of squared gradients
    p = p - lr * weight_decay * p    decay, applied to the weights directly
    p = p - lr * m_hat / (sqrt(v_hat) + eps)

    Why decoupled: if the decay were added to the gradient (g + wd * p, "L2"), Adam would
    divide it by sqrt(v_hat) like everything else, so weights with large gradients would be
    decayed less than weights with small ones. Shrinking the weights outside the adaptive
    step makes every weight decay at the same rate, lr * weight_decay per step.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        self.t += 1
        # Bias correction: m and v start at 0, so early averages are too small by (1 - b^t).
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        for p, m, v in zip(self.params, self.m, self.v):
            if p.grad is None:
                continue
            g = p.grad
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p.data -= self.lr * self.weight_decay * p.data  # decoupled decay
            p.data -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def decay_groups(model: Module) -> tuple[list[Parameter], list[Parameter]]:
    """Split parameters into (decayed, not decayed).

    Matrices (Linear weights and the embedding tables, the tied one included) are decayed;
    vectors (LayerNorm gains, all biases) are not: shrinking a LayerNorm gain towards 0 would
    switch the layer off, and a bias does not make the function any more complex.
    """
    decay, no_decay = [], []
    for _, p in model.named_parameters():
        (decay if p.ndim >= 2 else no_decay).append(p)
    return decay, no_decay


class Optimizers:
    """Several optimizers stepped together (one per parameter group)."""

    def __init__(self, *optimizers: AdamW) -> None:
        self.optimizers = optimizers

    @property
    def lr(self) -> float:
        return self.optimizers[0].lr

    @lr.setter
    def lr(self, value: float) -> None:
        for opt in self.optimizers:
            opt.lr = value

    def zero_grad(self) -> None:
        for opt in self.optimizers:
            opt.zero_grad()

    def step(self) -> None:
        for opt in self.optimizers:
            opt.step()


def configure_optimizer(model: Module, lr: float = 3e-3, weight_decay: float = 0.1,
                        betas: tuple[float, float] = (0.9, 0.95)) -> Optimizers:
    """AdamW with weight decay on the matrices only (see `decay_groups`)."""
    decay, no_decay = decay_groups(model)
    groups = [AdamW(decay, lr=lr, betas=betas, weight_decay=weight_decay)]
    if no_decay:
        groups.append(AdamW(no_decay, lr=lr, betas=betas, weight_decay=0.0))
    return Optimizers(*groups)
