r"""How a perturbation of an early state reaches the last one: $\partial h_T / \partial h_t$.

In the book's row-vector convention one step maps a perturbation $\epsilon$ of $h_{t-1}$ to
$\epsilon\, W_{hh} \operatorname{diag}(\phi'(a_t))$, so

$$\frac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T} W_{hh} \operatorname{diag}(\phi'(a_k)), \qquad
\Big\lVert \frac{\partial h_T}{\partial h_t} \Big\rVert \le (\gamma\, \sigma_\max(W_{hh}))^{T-t}$$

with $\gamma \ge |\phi'|$: 1 for tanh, 1/4 for the sigmoid (Pascanu et al., 2013).
"""
import numpy as np

from . import rnn

GAMMA = {"tanh": 1.0, "sigmoid": 0.25}


def step_jacobians(cache):
    """(T, N, H, H): the matrix M_t = W_hh diag(phi'(a_t)) of every step and sample."""
    mats = []
    for x_t, h_prev, a, h, params, activation in cache:
        slope = rnn._phi_prime(a, h, activation)  # (N, H)
        mats.append(params["W_hh"][None] * slope[:, None, :])  # (N, H, H)
    return np.stack(mats)


def gradient_norms(x, h0, params, activation="tanh"):
    """Spectral norms of dh_T/dh_{T-k} for k = 0, ..., T, averaged over the batch.

    Inputs: x (N, T, D), h0 (N, H), Elman params. Returns an array of T + 1 norms
    (k = 0 is the identity, norm 1).
    """
    _, cache = rnn.forward(x, h0, params, activation)
    mats = step_jacobians(cache)  # (T, N, H, H)
    product = np.broadcast_to(np.eye(h0.shape[1]), mats.shape[1:]).copy()  # dh_T/dh_T
    norms = [1.0]
    for M in mats[::-1]:  # k = 1, 2, ...: prepend one more step
        product = M @ product  # (N, H, H)
        norms.append(np.linalg.norm(product, ord=2, axis=(1, 2)).mean())
    return np.array(norms)


def bound(W_hh, activation, lags):
    """Pascanu et al.'s upper bound (gamma * sigma_max(W_hh)) ** lag for each lag."""
    if activation not in GAMMA:
        raise ValueError(f"the bound needs a bounded derivative: activation in {sorted(GAMMA)}; got {activation!r}")
    return (GAMMA[activation] * np.linalg.norm(W_hh, 2)) ** np.asarray(lags, dtype=float)


def with_spectral_norm(W, target):
    """W rescaled so that its largest singular value is ``target``."""
    return W * (target / np.linalg.norm(W, 2))
