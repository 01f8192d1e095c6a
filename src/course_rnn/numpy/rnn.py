r"""The Elman RNN in NumPy: forward and hand-written backward.

One step, for a batch of N sequences with D inputs and H hidden units:

$$a_t = x_t W_{xh} + h_{t-1} W_{hh} + b_h, \qquad h_t = \phi(a_t)$$

with $\phi = \tanh$ (or ReLU, or the logistic sigmoid). ``step_backward`` sits right below
``step_forward``; ``forward`` and ``backward`` loop over them, so
backpropagation through time is visibly a reversed loop.
"""
import numpy as np

from .._checks import check_params, check_shape

ACTIVATIONS = ("tanh", "relu", "sigmoid")


def _phi(a, activation):
    if activation == "tanh":
        return np.tanh(a)
    if activation == "relu":
        return np.maximum(a, 0.0)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-a))
    raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")


def _phi_prime(a, h, activation):
    """phi'(a), written with the output h where that is cheaper."""
    if activation == "tanh":
        return 1.0 - h**2
    if activation == "sigmoid":
        return h * (1.0 - h)
    return (a > 0).astype(a.dtype)


def _check(x, h_prev, params, x_letters):
    D, H = params["W_xh"].shape
    check_params(params, {"W_xh": ((D, H), "DH"), "W_hh": ((H, H), "HH"), "b_h": ((H,), "H")}, "RNN")
    N = x.shape[0] if x.ndim == len(x_letters) else None
    expected_x = (None, None, D) if x_letters == "NTD" else (None, D)
    check_shape("x" if x_letters == "NTD" else "x_t", x, expected_x, x_letters, "to match W_xh")
    name = "h0" if x_letters == "NTD" else "h_prev"
    check_shape(name, h_prev, (N, H), "NH", "to match x and W_hh")


def step_forward(x_t, h_prev, params, activation="tanh"):
    """One time step of the Elman RNN.

    Inputs:
    - x_t: (N, D) inputs at time t.
    - h_prev: (N, H) hidden state h_{t-1}.
    - params: dict with W_xh (D, H), W_hh (H, H), b_h (H,).
    - activation: "tanh", "relu" or "sigmoid".

    Returns (h, cache) with h: (N, H) the new state h_t.
    """
    _check(x_t, h_prev, params, "ND")
    a = x_t @ params["W_xh"] + h_prev @ params["W_hh"] + params["b_h"]  # (N, H)
    h = _phi(a, activation)
    cache = (x_t, h_prev, a, h, params, activation)
    return h, cache


def step_backward(dh, cache):
    """Backward of ``step_forward``.

    Inputs:
    - dh: (N, H) gradient of the loss with respect to h_t.
    - cache: from ``step_forward``.

    Returns (dx_t (N, D), dh_prev (N, H), grads) with grads keyed like params.
    """
    x_t, h_prev, a, h, params, activation = cache
    da = dh * _phi_prime(a, h, activation)  # dL/da_t, (N, H)
    dx_t = da @ params["W_xh"].T
    dh_prev = da @ params["W_hh"].T
    grads = {"W_xh": x_t.T @ da, "W_hh": h_prev.T @ da, "b_h": da.sum(axis=0)}
    return dx_t, dh_prev, grads


def forward(x, h0, params, activation="tanh"):
    """Run the RNN over a whole sequence.

    Inputs:
    - x: (N, T, D) input sequence, batch first.
    - h0: (N, H) initial hidden state.
    - params: dict with W_xh (D, H), W_hh (H, H), b_h (H,).

    Returns (hs, cache) with hs: (N, T, H), the states h_1 ... h_T.
    """
    _check(x, h0, params, "NTD")
    N, T, _ = x.shape
    hs = np.empty((N, T, params["W_hh"].shape[0]), dtype=np.result_type(x, h0, params["W_hh"]))
    caches, h = [], h0
    for t in range(T):
        h, cache = step_forward(x[:, t], h, params, activation)
        hs[:, t] = h
        caches.append(cache)
    return hs, caches


def backward(dhs, cache):
    """Backpropagation through time: ``step_backward`` in a reversed loop.

    Inputs:
    - dhs: (N, T, H) gradient of the loss with respect to every h_t
      (from the layer above; zeros where a step has no loss).
    - cache: from ``forward``.

    Returns (dx (N, T, D), dh0 (N, H), grads) with grads keyed like params.
    """
    caches = cache
    N, T, H = dhs.shape
    if T != len(caches):
        raise ValueError(f"dhs must have shape (N, T, H) with T={len(caches)} to match the forward pass; got {dhs.shape}")
    D = caches[0][0].shape[1]
    dx = np.empty((N, T, D), dtype=dhs.dtype)
    grads = {k: np.zeros_like(v) for k, v in caches[0][4].items()}
    dh_next = np.zeros((N, H), dtype=dhs.dtype)  # gradient reaching h_t from step t+1
    for t in reversed(range(T)):
        dx[:, t], dh_next, step_grads = step_backward(dhs[:, t] + dh_next, caches[t])
        for k in grads:
            grads[k] += step_grads[k]
    return dx, dh_next, grads


def init_params(D, H, rng, dtype=np.float64):
    """Parameters drawn as ``torch.nn.RNN`` draws them: U(-1/sqrt(H), 1/sqrt(H)).

    ``rng`` is a ``numpy.random.Generator`` or an int seed.
    Returns dict with W_xh (D, H), W_hh (H, H), b_h (H,).
    """
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    shapes = {"W_xh": (D, H), "W_hh": (H, H), "b_h": (H,)}
    return {name: rng.uniform(-k, k, size=s).astype(dtype) for name, s in shapes.items()}


def from_torch(module, layer=0, suffix=""):
    """Copy one layer of a ``torch.nn.RNN`` into a params dict (float64).

    PyTorch computes x W_ih^T + b_ih + h W_hh^T + b_hh, so W_xh = W_ih^T,
    W_hh = W_hh^T and the two biases add up to b_h. ``suffix="_reverse"``
    picks the backward direction of a bidirectional module.
    """
    def get(name):
        return getattr(module, f"{name}_l{layer}{suffix}").detach().cpu().double().numpy()

    b_h = get("bias_ih") + get("bias_hh") if module.bias else np.zeros(module.hidden_size)
    return {"W_xh": get("weight_ih").T.copy(), "W_hh": get("weight_hh").T.copy(), "b_h": b_h}
