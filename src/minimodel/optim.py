"""Optimizers: SGD (with momentum) and AdamW, and configure_optimizer, the mini-GPT's AdamW set-up
(weight decay on the matrices only, as in nanoGPT)."""

from __future__ import annotations

import math
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
    A parameter with no gradient on a step (.grad is None) is left as it is, momentum included.
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
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
            if self.momentum:
                v *= self.momentum
                v += g
                g = v
            p.data -= self.lr * g  # in place: the Parameter keeps its array (and a tied weight stays tied)


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

    Each parameter keeps its own step count t, as in PyTorch: a parameter that got no gradient
    on a step (.grad is None) is skipped entirely (no decay, no update, t unchanged), so its
    bias correction stays right when it does get one.
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
        self.t = [0] * len(self.params)  # steps taken, per parameter
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self._scratch = [np.empty_like(p.data) for p in self.params]

    def step(self) -> None:
        b1, b2 = self.beta1, self.beta2
        for i, (p, m, v) in enumerate(zip(self.params, self.m, self.v)):
            if p.grad is None:
                continue
            g = p.grad
            self.t[i] += 1
            t = self.t[i]
            # Bias correction: m and v start at 0, so early averages are too small by (1 - b^t).
            c1 = 1.0 - b1**t
            c2 = 1.0 - b2**t
            # Every update is in place (`*=`, `+=`, `out=`): m, v and p keep their arrays, and one
            # scratch array per parameter holds the intermediate results.
            tmp = self._scratch[i]
            m *= b1
            m += np.multiply(g, 1.0 - b1, out=tmp)  # m = b1 m + (1 - b1) g
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - b2
            v += tmp  # v = b2 v + (1 - b2) g^2
            if self.weight_decay:
                p.data *= 1.0 - self.lr * self.weight_decay  # decoupled decay: p - lr * wd * p
            # lr m_hat / (sqrt(v_hat) + eps), with both corrections moved onto the scalars (the
            # same number, Kingma & Ba's Algorithm 1): lr sqrt(c2) / c1 * m / (sqrt(v) + eps sqrt(c2))
            np.sqrt(v, out=tmp)
            tmp += self.eps * math.sqrt(c2)
            np.divide(m, tmp, out=tmp)
            tmp *= self.lr * math.sqrt(c2) / c1
            p.data -= tmp


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
