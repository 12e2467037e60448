"""Layers, from the embedding table (phase 13) to the whole GPT (phase 17).

    phase 13  Embedding, Linear, LMHead (tied to the embedding)
    phase 14  RNN, LSTM, Conv1d
    phase 15  MultiHeadAttention, scaled_dot_product_attention, causal_mask, AdditiveScores
    phase 16  LayerNorm, GELU, Dropout, FeedForward, TransformerBlock, sinusoidal positions;
              the later alternatives RMSNorm, SwiGLU and RoPE (BlockConfig's norm, ffn, positions)
    phase 17  GPT and lm_loss, KVCache (generation that reads only the new token)

The transformer layers take one config: BlockConfig, or GPTConfig, which extends it.
"""

from minimodel.module import Module, Parameter
from minimodel.nn.activations import GELU, gelu
from minimodel.nn.attention import AdditiveScores, MultiHeadAttention, causal_mask, scaled_dot_product_attention
from minimodel.nn.config import BlockConfig
from minimodel.nn.conv import Conv1d
from minimodel.nn.dropout import Dropout
from minimodel.nn.embedding import Embedding
from minimodel.nn.gpt import GPT, GPTConfig, lm_loss
from minimodel.nn.kv_cache import KVCache
from minimodel.nn.linear import Linear
from minimodel.nn.lm_head import LMHead
from minimodel.nn.norm import LayerNorm, RMSNorm
from minimodel.nn.rnn import LSTM, RNN
from minimodel.nn.rope import RoPE, apply_rope
from minimodel.nn.transformer import FeedForward, SinusoidalPositions, SwiGLU, TransformerBlock, sinusoidal_positions

__all__ = [
    "Module", "Parameter",
    "Embedding", "Linear", "LMHead",
    "RNN", "LSTM", "Conv1d",
    "MultiHeadAttention", "scaled_dot_product_attention", "causal_mask", "AdditiveScores",
    "LayerNorm", "GELU", "gelu", "Dropout", "FeedForward", "TransformerBlock", "sinusoidal_positions",
    "SinusoidalPositions", "RMSNorm", "SwiGLU", "RoPE", "apply_rope",
    "BlockConfig", "GPTConfig", "GPT", "lm_loss", "KVCache",
]
