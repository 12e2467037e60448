"""Layers: Embedding, Linear, and the tied LMHead."""

from minimodel.nn.embedding import Embedding
from minimodel.nn.linear import Linear
from minimodel.nn.lm_head import LMHead
from minimodel.module import Module, Parameter

__all__ = ["Embedding", "Linear", "LMHead", "Module", "Parameter"]
