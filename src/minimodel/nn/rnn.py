"""Recurrent layers: the Elman RNN and the LSTM (Hochreiter & Schmidhuber 1997).

Both read a batch of sequences x of shape (B, T, input_size) one time step at a time and
return every hidden state, shape (B, T, hidden_size), plus the final state. Backpropagation
through time needs no code of its own: the loop builds one graph over all T steps and
`backward()` walks it in reverse.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.module import Module
from minimodel.nn.linear import Linear
from minimodel.ops import stack
from minimodel.tensor import Tensor


def _zeros(batch: int, size: int, dtype: Any) -> Tensor:
    return Tensor(np.zeros((batch, size), dtype=dtype))


class RNN(Module):
    """h_t = tanh(W_ih x_t + W_hh h_{t-1} + b).

    The gradient reaching h_1 from h_T is a product of T-1 Jacobians diag(1 - h_t^2) W_hh.
    When their norms are below 1 it shrinks geometrically (the vanishing gradient,
    Bengio et al. 1994); above 1 it explodes, which is why RNN training clips gradients.
    """

    def __init__(self, input_size: int, hidden_size: int, rng: np.random.Generator | None = None, dtype: Any = np.float32) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.w_ih = Linear(input_size, hidden_size, rng=rng, dtype=dtype)
        self.w_hh = Linear(hidden_size, hidden_size, bias=False, rng=rng, dtype=dtype)

    def cell(self, x_t: Tensor, h: Tensor) -> Tensor:
        """One step: (B, input_size), (B, hidden) -> (B, hidden)."""
        return (self.w_ih(x_t) + self.w_hh(h)).tanh()

    def forward(self, x: Tensor, h0: Tensor | None = None) -> tuple[Tensor, Tensor]:
        B, T, _ = x.shape
        h = h0 if h0 is not None else _zeros(B, self.hidden_size, x.dtype)
        outputs = []
        for t in range(T):  # time is axis 1: x[:, t] is every sequence's t-th input
            h = self.cell(x[:, t], h)
            outputs.append(h)
        return stack(outputs, axis=1), h

    def __repr__(self) -> str:
        return f"RNN({self.input_size}, {self.hidden_size})"


class LSTM(Module):
    """An LSTM layer. Each step computes four gates from x_t and h_{t-1}:

        i = sigmoid(.)   input gate: how much of the candidate to write     in (0, 1)
        f = sigmoid(.)   forget gate: how much of the old cell to keep     in (0, 1)
        g = tanh(.)      candidate values to write                          in (-1, 1)
        o = sigmoid(.)   output gate: how much of the cell to show          in (0, 1)
        c_t = f * c_{t-1} + i * g
        h_t = o * tanh(c_t)

    The cell c is updated by addition, and d c_t / d c_{t-1} = f: when the forget gate sits
    near 1 the gradient crosses many steps almost unchanged (the "constant error carousel").
    The gates are fractions, so they must be squashed into (0, 1), not (-1, 1).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        forget_bias: float = 1.0,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        H = hidden_size
        # All four gates in one matrix product; columns [i | f | g | o].
        self.w_ih = Linear(input_size, 4 * H, rng=rng, dtype=dtype)
        self.w_hh = Linear(H, 4 * H, bias=False, rng=rng, dtype=dtype)
        # Forget-gate bias starts at +1 (Gers et al. 2000; Jozefowicz et al. 2015): the cell
        # remembers by default until training teaches it to forget.
        self.w_ih.bias.data[H : 2 * H] = forget_bias

    def gates(self, x_t: Tensor, h: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """The input, forget, candidate and output gates for one step, each (B, hidden)."""
        H = self.hidden_size
        z = self.w_ih(x_t) + self.w_hh(h)  # (B, 4H) pre-activations
        i = z[:, 0:H].sigmoid()
        f = z[:, H : 2 * H].sigmoid()
        g = z[:, 2 * H : 3 * H].tanh()
        o = z[:, 3 * H : 4 * H].sigmoid()
        return i, f, g, o

    def cell(self, x_t: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        """One step: returns the new (h, c)."""
        i, f, g, o = self.gates(x_t, h)
        c = f * c + i * g
        h = o * c.tanh()
        return h, c

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        B, T, _ = x.shape
        if state is None:
            state = (_zeros(B, self.hidden_size, x.dtype), _zeros(B, self.hidden_size, x.dtype))
        h, c = state
        outputs = []
        for t in range(T):
            h, c = self.cell(x[:, t], h, c)
            outputs.append(h)
        return stack(outputs, axis=1), (h, c)

    def __repr__(self) -> str:
        return f"LSTM({self.input_size}, {self.hidden_size})"
