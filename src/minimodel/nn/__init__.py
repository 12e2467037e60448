"""Layers: Embedding, Linear, and the tied LMHead."""

from minimodel.nn.embedding import Embedding
from minimodel.nn.linear import Linear
from minimodel.nn.lm_head import LMHead
from minimodel.module import Module, Parameter

__all__ = ["Embedding", "Linear", "LMHead", "Module", "Parameter"]

# Sequence models, attention and the transformer (phases 14-17).
from minimodel.nn.activations import GELU, gelu
from minimodel.nn.attention import AdditiveScores, MultiHeadAttention, causal_mask, scaled_dot_product_attention
from minimodel.nn.conv import Conv1d
from minimodel.nn.dropout import Dropout
from minimodel.nn.gpt import GPT, GPTConfig, configure_optimizer, lm_loss
from minimodel.nn.norm import LayerNorm
from minimodel.nn.rnn import LSTM, RNN
from minimodel.nn.transformer import FeedForward, SinusoidalPositions, TransformerBlock, sinusoidal_positions

__all__ += ["GELU", "gelu", "AdditiveScores", "MultiHeadAttention", "causal_mask", "scaled_dot_product_attention",
            "Conv1d", "Dropout", "GPT", "GPTConfig", "configure_optimizer", "lm_loss", "LayerNorm", "LSTM", "RNN",
            "FeedForward", "SinusoidalPositions", "TransformerBlock", "sinusoidal_positions"]
