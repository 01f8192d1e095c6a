r"""Gradient clipping, equal to PyTorch's ``clip_grad_norm_`` and ``clip_grad_value_``.

By global norm (Pascanu et al., 2013): with $\lVert g \rVert$ the norm of all gradients
together, every gradient is scaled by $\min(1, c / (\lVert g \rVert + 10^{-6}))$ — the
$10^{-6}$ is PyTorch's, so a norm just above $c$ ends slightly below it. By value: every
entry is clamped to $[-c, c]$, which can change the gradient's direction.
"""
import numpy as np


def _check(grads, name, value):
    if not isinstance(grads, dict) or not grads:
        raise ValueError(f"grads must be a non-empty dict of arrays; got {type(grads).__name__}")
    if not value > 0:
        raise ValueError(f"{name} must be positive; got {value}")


def clip_grad_norm(grads, max_norm):
    """Scale all arrays in ``grads`` in place so their global norm is at most ``max_norm``.

    Returns the global norm *before* clipping, like ``torch.nn.utils.clip_grad_norm_``.
    """
    _check(grads, "max_norm", max_norm)
    total = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / (total + 1e-6))
    for g in grads.values():
        g *= scale
    return total


def clip_grad_value(grads, clip_value):
    """Clamp every entry of every array in ``grads`` to [-clip_value, clip_value], in place."""
    _check(grads, "clip_value", clip_value)
    for g in grads.values():
        np.clip(g, -clip_value, clip_value, out=g)
