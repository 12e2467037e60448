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
