"""minimodel: a small NumPy deep-learning library for reading, breaking and fixing.

    Tensor     an array with reverse-mode autograd                  (minimodel.tensor)
    ops        stack, concat, masked_fill, swap_last                (minimodel.ops)
    Module     a container of Parameters                            (minimodel.module)
    init       the generator a layer draws its weights with         (minimodel.init)
    nn         the layers, Embedding to GPT, and their configs      (minimodel.nn)
    functional softmax, log_softmax, logsumexp, cross_entropy (= F) (minimodel.functional)
    optim      SGD, AdamW, configure_optimizer                      (minimodel.optim)
    schedule   warm-up + cosine learning rate, gradient clipping    (minimodel.schedule)
    data       a bundled corpus, tokenizers, batches and windows    (minimodel.data)
    bpe        a byte-pair-encoding tokenizer                       (minimodel.bpe)
    synthetic  a seeded Zipf language with a grammar, exact entropies (minimodel.synthetic)
    sample     top-k, temperature, generate (with a KV cache or not) (minimodel.sample)
    metrics    singular values and effective rank                   (minimodel.metrics)
    accounting a GPT's parameters and training FLOPs, from its config (minimodel.accounting)
    gradcheck  autograd vs finite differences                       (minimodel.gradcheck)
    programs   the short runs `lynx run` observes                   (minimodel.programs)
    labs       the longer runs of `lynx lab`                        (minimodel.labs)
"""

from minimodel import functional, nn, optim
from minimodel import functional as F
from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor, no_grad, tensor

__all__ = ["F", "Module", "Parameter", "Tensor", "functional", "nn", "no_grad", "optim", "tensor"]
