"""Deliberately broken RNN backward passes, for practising gradient checks.

``backward(dhs, cache, bug)`` is ``rnn.backward`` with one bug switched on:

- ``("skip", name, t)``: step t's contribution (t = 1, ..., T) to the gradient of ``name`` is not added;
- ``("immediate_only",)``: the gradient is not carried from h_t back to h_{t-1}, i.e. the
  total derivative through h_{t-1} is dropped, as some popular derivations do;
- ``("wrong_derivative",)``: tanh'(a) computed as 1 - a**2 instead of 1 - tanh(a)**2.
"""
import numpy as np

from . import rnn


def backward(dhs, cache, bug):
    """``rnn.backward`` with ``bug``. Returns (dx (N, T, D), dh0 (N, H), grads)."""
    N, T, H = dhs.shape
    dx = np.empty((N, T, cache[0][0].shape[1]))
    grads = {k: np.zeros_like(v) for k, v in cache[0][4].items()}
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)):
        x_t, h_prev, a, h, params, activation = cache[t]
        if bug[0] == "wrong_derivative":
            cache_t = (x_t, h_prev, a, a, params, activation)  # 1 - a**2 where 1 - h**2 belongs
        else:
            cache_t = cache[t]
        dx[:, t], dh_prev, step_grads = rnn.step_backward(dhs[:, t] + dh_next, cache_t)
        dh_next = 0.0 * dh_prev if bug[0] == "immediate_only" else dh_prev
        for k in grads:
            if not (bug[0] == "skip" and bug[1] == k and bug[2] == t + 1):  # the book counts t from 1
                grads[k] += step_grads[k]
    return dx, dh_next, grads
