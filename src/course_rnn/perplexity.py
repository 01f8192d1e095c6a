r"""How well a language model predicts text: cross-entropy, perplexity and bits per character.

For a model that gives the next token the distribution $\hat y_t = \mathrm{softmax}(o_t)$ over V
tokens, the cross-entropy of a text $x_1 \dots x_n$ is the mean negative log-likelihood, in nats,

$$\ell = -\frac{1}{n} \sum_{t=1}^{n} \log \hat y_{t, x_t}, \qquad
\text{perplexity} = e^{\ell}, \qquad \text{bits per character} = \ell / \ln 2 .$$

A model that guesses uniformly has perplexity V: the perplexity is the number of equally likely
choices the model is, on average, as unsure as.
"""
import math

import numpy as np


def cross_entropy(logits, targets):
    """Mean NLL in nats: logits (..., V) float, targets (...) int in 0..V-1 -> float.

    Computed with the log-sum-exp shift, so large logits neither overflow nor lose precision.
    """
    logits, targets = np.asarray(logits, dtype=np.float64), np.asarray(targets)
    if logits.shape[:-1] != targets.shape:
        raise ValueError(f"logits (..., V) must match targets (...); got {logits.shape} and {targets.shape}")
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=-1))  # (...)
    picked = np.take_along_axis(shifted, targets[..., None], axis=-1)[..., 0]
    return float(np.mean(log_z - picked))


def perplexity(nll):
    """exp of a mean NLL in nats."""
    return math.exp(nll)


def bits_per_character(nll):
    """A mean NLL in nats, in bits: nll / ln 2."""
    return nll / math.log(2.0)
