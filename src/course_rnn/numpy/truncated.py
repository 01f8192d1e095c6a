r"""Truncated backpropagation through time, TBPTT(k1, k2), in NumPy.

Every $k_1$ steps, the losses of the last $k_1$ steps are backpropagated through the last
$k_2 \ge k_1$ steps only (Williams & Peng, 1990; Sutskever, 2013): the gradient that would
flow further back is dropped. With $k_1 = T$ and $k_2 \ge T$ this is full BPTT.
"""
import numpy as np

from . import rnn


def windows(T, k1, k2):
    """The update windows: a list of (t_end, first_loss, first_step), 0-based and inclusive."""
    if not 1 <= k1 <= k2:
        raise ValueError(f"truncation needs 1 <= k1 <= k2; got k1={k1}, k2={k2}")
    ends = list(range(k1 - 1, T, k1))
    if not ends or ends[-1] != T - 1:
        ends.append(T - 1)  # the last, shorter window
    starts = [0] + [end + 1 for end in ends[:-1]]
    return [(end, start, max(0, end - k2 + 1)) for end, start in zip(ends, starts)]


def backward(dhs, cache, k1, k2):
    """TBPTT(k1, k2) over a sequence run by ``rnn.forward`` (parameters held fixed).

    Inputs:
    - dhs: (N, T, H) gradient of each step's loss with respect to h_t.
    - cache: from ``rnn.forward``.

    Returns a list with one grads dict (keys of params) per update window, in time order;
    their sum is the truncated gradient of the whole sequence.
    """
    updates = []
    for end, first_loss, first_step in windows(len(cache), k1, k2):
        grads = {k: np.zeros_like(v) for k, v in cache[0][4].items()}
        dh_next = np.zeros_like(dhs[:, 0])
        for t in reversed(range(first_step, end + 1)):  # the window, newest step first
            dh = dh_next + (dhs[:, t] if t >= first_loss else 0.0)
            _, dh_next, step_grads = rnn.step_backward(dh, cache[t])
            for k in grads:
                grads[k] += step_grads[k]
        updates.append(grads)  # dh_next is dropped here: the truncation
    return updates
