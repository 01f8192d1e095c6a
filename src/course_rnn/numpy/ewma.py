r"""The exponentially weighted moving average (EWMA), with and without bias correction.

Momentum, RMSprop and Adam all keep one: a running average that forgets geometrically. With
$\theta_1, \dots, \theta_T$ the values and $0 \le \beta < 1$:

$$v_0 = 0, \qquad v_t = \beta v_{t-1} + (1 - \beta)\, \theta_t
  = (1 - \beta) \sum_{k=1}^{t} \beta^{t-k} \theta_k .$$

The weights sum to $1 - \beta^t$, not 1, so the early $v_t$ are pulled toward the zero they
started from; dividing by that sum removes the bias: $\hat v_t = v_t / (1 - \beta^t)$.
"""
import numpy as np


def ewma(values, beta, bias_correction=True):
    """values (T, ...) -> (T, ...): v_t for every t, divided by 1 - beta^t when ``bias_correction``.

    The average runs along the first axis; other axes are averaged independently.
    """
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1) (the weight of the old average); got {beta}")
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    v = np.zeros_like(values[0])
    for t in range(len(values)):
        v = beta * v + (1 - beta) * values[t]  # v_t = beta v_{t-1} + (1 - beta) theta_t
        out[t] = v / (1 - beta ** (t + 1)) if bias_correction else v  # v_t / (1 - beta^t), t from 1
    return out
