"""1-D convolution over time: TextCNN (Kim 2014) and dilated causal stacks (WaveNet, van den Oord et al. 2016).

Build challenge of phase 14 (with rnn.py): write Conv1d.padding and Conv1d.forward yourself.
`lynx build 14 --check` runs the validator.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.ops import concat, stack
from minimodel.tensor import Tensor


class Conv1d(Module):
    """Slide a window of `kernel_size` time steps, `dilation` apart, over x of shape
    (B, T, in_channels) and return (B, T, out_channels): the same length as the input.

        y[t] = b + sum_j W[:, j, :] @ x[t - (k-1-j)*d]      (causal)

    causal=True  pads (k-1)*d zeros on the LEFT only, so y[t] sees x[t] and the past and
                 never the future: what a model that predicts the next sample needs.
    causal=False pads both sides ("same" padding), so y[t] is centred on x[t]: fine for a
                 classifier that reads the whole sentence at once (TextCNN).

    A stack of causal convs with dilations 1, 2, 4, ... sees 1 + (k-1)(1 + 2 + 4 + ...)
    steps back: the receptive field doubles per layer while the cost grows linearly.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        dilation: int = 1,
        causal: bool = True,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        rng = rng_or_default(rng)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.causal = causal
        fan_in = in_channels * kernel_size
        bound = 1.0 / np.sqrt(fan_in)
        # Layout (out, k, in): tap j of the window multiplies W[:, j, :].
        self.weight = Parameter(rng.uniform(-bound, bound, size=(out_channels, kernel_size, in_channels)).astype(dtype))
        self.bias = Parameter(np.zeros(out_channels, dtype=dtype))

    def padding(self) -> tuple[int, int]:
        """Zeros added (before, after) the sequence so the output keeps length T."""
        # (k-1)*d zeros in all, so the output keeps length T. Where must they go when the layer is causal?
        raise NotImplementedError("Conv1d.padding: return (before, after)")

    @property
    def receptive_field(self) -> int:
        return (self.kernel_size - 1) * self.dilation + 1

    def forward(self, x: Tensor) -> Tensor:
        # 1. pad the time axis with zeros (concat with Tensor(np.zeros(...)) before/after x)
        # 2. tap j of output t reads padded[t + j*d]: slice each tap, stack them on a new axis -> (B, T, k, C)
        # 3. reshape to (B, T, k*C) and multiply by the weight reshaped to (out, k*C), transposed; add the bias
        raise NotImplementedError("Conv1d.forward: see the steps above")

    def __repr__(self) -> str:
        return (f"Conv1d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, causal={self.causal})")
