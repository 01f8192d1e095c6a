r"""Pascanu et al.'s (2013) one-unit recurrent network, vectorised over a grid of weights.

$$x_t = w\, \sigma(x_{t-1}) + b, \qquad E = (\sigma(x_T) - 0.7)^2, \qquad x_0 = 0.5,\ T = 50.$$

Its loss surface over (w, b) has a cliff: a wall so steep that a gradient step taken near it
is thrown far away.
"""
import numpy as np


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def loss_and_grad(w, b, T=50, x0=0.5, target=0.7):
    """E and (dE/dw, dE/db) for arrays w, b of one shape (every entry one network).

    The backward pass is BPTT on a network with one unit: a reversed loop over the steps.
    """
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    xs = [np.full(np.broadcast(w, b).shape, x0)]
    for _ in range(T):
        xs.append(w * _sigmoid(xs[-1]) + b)
    s_T = _sigmoid(xs[-1])
    E = (s_T - target) ** 2
    dx = 2 * (s_T - target) * s_T * (1 - s_T)  # dE/dx_T
    dw, db = np.zeros_like(dx), np.zeros_like(dx)
    for t in range(T, 0, -1):
        s_prev = _sigmoid(xs[t - 1])
        dw += dx * s_prev
        db += dx
        dx = dx * w * s_prev * (1 - s_prev)  # dE/dx_{t-1}
    return E, dw, db
