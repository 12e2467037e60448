"""minimodel: a small NumPy deep-learning library for reading, breaking and fixing.

    Tensor     an array with reverse-mode autograd       (minimodel.tensor)
    Module     a container of Parameters                  (minimodel.module)
    nn         Embedding, Linear, LMHead                  (minimodel.nn)
    functional softmax, log_softmax, cross_entropy (= F)  (minimodel.functional)
    optim      SGD, AdamW                                 (minimodel.optim)
    data       a bundled corpus, tokenizers, batches      (minimodel.data)
    gradcheck  autograd vs finite differences             (minimodel.gradcheck)
"""

from minimodel import functional, nn, optim
from minimodel import functional as F
from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor, no_grad, tensor

__all__ = ["F", "Module", "Parameter", "Tensor", "functional", "nn", "no_grad", "optim", "tensor"]
