"""Where a GPT's parameters are, counted from its config without building it (so GPT-2 small, 124 M
parameters, costs nothing to count). The layout is minimodel's, which is GPT-2's (Radford et al. 2019):
a token table tied to the head, learned positions, blocks of fused q/k/v and output projections, a 4d
feed-forward, two LayerNorms each, all with biases, and a final LayerNorm."""

from __future__ import annotations

from dataclasses import dataclass

from minimodel.nn.gpt import GPTConfig


@dataclass(frozen=True)
class ParameterCount:
    token_embedding: int  # V · d, counted once: the head reuses it
    positions: int  # T_max · d
    blocks: int  # n_layer · (12 d² + 13 d)
    final_norm: int  # 2 d

    @property
    def total(self) -> int:
        return self.token_embedding + self.positions + self.blocks + self.final_norm

    @property
    def embedding_share(self) -> float:
        """The token table's share of all parameters."""
        return self.token_embedding / self.total


def gpt_parameters(config: GPTConfig) -> ParameterCount:
    d = config.d_model
    attention = (d * 3 * d + 3 * d) + (d * d + d)  # qkv and the output projection, weights and biases
    feed_forward = (d * 4 * d + 4 * d) + (4 * d * d + d)  # up to 4d and back down
    norms = 2 * (2 * d)  # ln1 and ln2: a gain and a bias each
    return ParameterCount(token_embedding=config.vocab_size * d, positions=config.block_size * d,
                          blocks=config.n_layers * (attention + feed_forward + norms), final_norm=2 * d)


# GPT-2 small (Radford et al. 2019): 50,257 byte-level BPE tokens, a context of 1024, 12 blocks of width 768.
GPT2_SMALL = GPTConfig(vocab_size=50257, block_size=1024, d_model=768, n_heads=12, n_layers=12)


@dataclass(frozen=True)
class TrainingFlops:
    """Floating-point operations to train on one token, forward and backward (Kaplan et al. 2020, Table 1).

    A multiply-add is 2 FLOPs, so a forward pass through a matrix of N weights costs 2N per token, and the
    backward pass twice that (one product for the input's gradient, one for the weights'): 6N in all.
    Kaplan's N leaves out the token and position tables, which a lookup reads without multiplying.
    """

    non_embedding: int  # N: every parameter but the token and position tables
    attention_forward: int  # 2 · n_layer · n_ctx · d: scores and weighted sum, averaged over a causal context
    head_forward: int  # 2 · d · V: the logits (the tied table, multiplied this time), outside Kaplan's N

    @property
    def six_n(self) -> int:
        """The rule of thumb, 6N per token."""
        return 6 * self.non_embedding

    @property
    def with_attention(self) -> int:
        """6N plus the attention term, forward and backward (3 x its forward)."""
        return self.six_n + 3 * self.attention_forward

    @property
    def total(self) -> int:
        """Everything counted here: 3 x (2N + attention + head)."""
        return self.with_attention + 3 * self.head_forward


def training_flops(config: GPTConfig) -> TrainingFlops:
    count = gpt_parameters(config)
    d = config.d_model
    return TrainingFlops(non_embedding=count.total - count.token_embedding - count.positions,
                         attention_forward=2 * config.n_layers * config.block_size * d,
                         head_forward=2 * d * config.vocab_size)


# The mini-GPT `lynx lab 17 train` trains (minimodel.labs.gpt_train.Settings): a 384-token BPE, context 32,
# 2 blocks of width 64 with 4 heads.
MINI_GPT = GPTConfig(vocab_size=384, block_size=32, d_model=64, n_heads=4, n_layers=2)
