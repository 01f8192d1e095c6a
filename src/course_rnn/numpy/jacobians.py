r"""How a perturbation of an early state reaches the last one: $\partial h_T / \partial h_t$.

The package's states are row vectors, $a_t = x_t W_{xh} + h_{t-1} W_{hh} + b_h$, $h_t = \phi(a_t)$. Its
Jacobians are in numerator layout (book/notation.md, "Jacobians"): entry $(i, j)$ of
$\partial h_t / \partial h_{t-1}$ is $\partial h_{t,i} / \partial h_{t-1,j}$, so

$$\frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(\phi'(a_t))\, W_{hh}^\top, \qquad
\frac{\partial h_T}{\partial h_t} = \prod_{k=T}^{t+1} \operatorname{diag}(\phi'(a_k))\, W_{hh}^\top$$

(the factor $k = T$ leftmost), and a row gradient moves back as
$\delta h_{t-1} = (\delta h_t \odot \phi'(a_t))\, W_{hh}^\top$. With $\gamma \ge |\phi'|$ (1 for tanh and
ReLU, 1/4 for the sigmoid),
$\lVert \partial h_T / \partial h_t \rVert \le (\gamma\, \sigma_\max(W_{hh}))^{T-t}$ (Pascanu et al., 2013).
"""
import numpy as np

from . import rnn

GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}  # sup |phi'|; ReLU's slope is 0 or 1


def step_jacobians(cache):
    """(T, N, H, H): the Jacobian dh_t/dh_{t-1} = diag(phi'(a_t)) W_hh^T of every step and sample."""
    mats = []
    for x_t, h_prev, a, h, params, activation in cache:
        slope = rnn._phi_prime(a, h, activation)  # (N, H)
        mats.append(slope[:, :, None] * params["W_hh"].T[None])  # (N, H, H): row i scaled by phi'(a_i)
    return np.stack(mats)


def gradient_norms(x, h0, params, activation="tanh", lags=None):
    """Spectral norms of dh_T/dh_{T-k} for k = 0, ..., T, averaged over the batch.

    Inputs: x (N, T, D), h0 (N, H), Elman params. Returns an array of T + 1 norms
    (k = 0 is the identity, norm 1), or, when ``lags`` is a list of lags, the norms at those lags only
    (the same numbers, without the cost of a norm at every lag).
    """
    _, cache = rnn.forward(x, h0, params, activation)
    mats = step_jacobians(cache)  # (T, N, H, H)
    wanted = set(range(len(mats) + 1)) if lags is None else set(lags)
    if not wanted <= set(range(len(mats) + 1)):
        raise ValueError(f"lags must lie in 0..T = 0..{len(mats)}; got {sorted(wanted)}")
    product = np.broadcast_to(np.eye(h0.shape[1]), mats.shape[1:]).copy()  # dh_T/dh_T
    norms = {0: 1.0}
    for k, J in enumerate(mats[::-1], start=1):  # k = 1, 2, ...: one step further back
        product = product @ J  # dh_T/dh_{t-1} = dh_T/dh_t · dh_t/dh_{t-1}, (N, H, H)
        if k in wanted:
            norms[k] = np.linalg.norm(product, ord=2, axis=(1, 2)).mean()
    return np.array([norms[k] for k in (range(len(mats) + 1) if lags is None else lags)])


def bound(W_hh, activation, lags):
    """Pascanu et al.'s upper bound (gamma * sigma_max(W_hh)) ** lag for each lag."""
    if activation not in GAMMA:
        raise ValueError(f"the bound needs gamma >= |phi'| for the activation: activation in {sorted(GAMMA)};"
                         f" got {activation!r}")
    return (GAMMA[activation] * np.linalg.norm(W_hh, 2)) ** np.asarray(lags, dtype=float)


def with_spectral_norm(W, target):
    """W rescaled so that its largest singular value is ``target``."""
    return W * (target / np.linalg.norm(W, 2))
