r"""The LSTM in NumPy, in PyTorch's layout, with optional peepholes and hand-written backward passes.

Parameters, gates stacked in PyTorch's order i, f, g, o: ``W_x`` (D, 4H), ``W_h`` (H, 4H) and the two
biases ``b_x``, ``b_h`` (4H,); with peepholes (Gers & Schmidhuber, 2000) also ``w_ci``, ``w_cf``,
``w_co`` (H,). With $a = x_t W_x + b_x + h_{t-1} W_h + b_h$:

$$i_t = \sigma(a_i + w_{ci} \odot c_{t-1}), \quad f_t = \sigma(a_f + w_{cf} \odot c_{t-1}), \quad
g_t = \tanh(a_g),$$
$$c_t = f_t \odot c_{t-1} + i_t \odot g_t, \quad o_t = \sigma(a_o + w_{co} \odot c_t), \quad
h_t = o_t \odot \tanh(c_t).$$

The cell update is additive: $\partial c_t / \partial c_{t-1}$ is $\operatorname{diag}(f_t)$ plus the small
peephole terms, the constant error carousel of Hochreiter & Schmidhuber (1997) once forget gates are open.
"""
import numpy as np

from .._checks import check_params, check_shape

PEEPHOLES = ("w_ci", "w_cf", "w_co")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _check(x, h_prev, c_prev, params, x_letters):
    D, H4 = params["W_x"].shape
    H = H4 // 4
    shapes = {"W_x": ((D, 4 * H), "DG"), "W_h": ((H, 4 * H), "HG"), "b_x": ((4 * H,), "G"), "b_h": ((4 * H,), "G")}
    if any(p in params for p in PEEPHOLES):
        shapes.update({p: ((H,), "H") for p in PEEPHOLES})
    check_params(params, shapes, "LSTM")
    check_shape("x" if x_letters == "NTD" else "x_t", x, (None, None, D) if x_letters == "NTD" else (None, D),
                x_letters, "to match W_x")
    for name, state in (("h", h_prev), ("c", c_prev)):
        check_shape(f"{name}0" if x_letters == "NTD" else f"{name}_prev", state, (x.shape[0], H), "NH",
                    "to match x and W_h")


def step_forward(x_t, h_prev, c_prev, params):
    """One LSTM step: x_t (N, D), h_prev, c_prev (N, H) -> (h, c, cache), h and c (N, H)."""
    _check(x_t, h_prev, c_prev, params, "ND")
    H = h_prev.shape[1]
    peep = {p: params.get(p, np.zeros(H)) for p in PEEPHOLES}
    a = x_t @ params["W_x"] + params["b_x"] + h_prev @ params["W_h"] + params["b_h"]  # (N, 4H)
    i = _sigmoid(a[:, :H] + peep["w_ci"] * c_prev)
    f = _sigmoid(a[:, H:2 * H] + peep["w_cf"] * c_prev)
    g = np.tanh(a[:, 2 * H:3 * H])
    c = f * c_prev + i * g
    o = _sigmoid(a[:, 3 * H:] + peep["w_co"] * c)
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, (x_t, h_prev, c_prev, i, f, g, o, c, tanh_c, peep, params)


def step_backward(dh, dc, cache):
    """Backward of ``step_forward``: dh, dc (N, H) -> (dx_t (N, D), dh_prev (N, H), dc_prev (N, H), grads)."""
    x_t, h_prev, c_prev, i, f, g, o, c, tanh_c, peep, params = cache
    da_o = dh * tanh_c * o * (1 - o)
    dc = dc + dh * o * (1 - tanh_c ** 2) + da_o * peep["w_co"]  # all paths into c_t
    da_i = dc * g * i * (1 - i)
    da_f = dc * c_prev * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    dc_prev = dc * f + da_i * peep["w_ci"] + da_f * peep["w_cf"]  # the carousel, plus peepholes
    da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)  # (N, 4H)
    grads = {"W_x": x_t.T @ da, "W_h": h_prev.T @ da, "b_x": da.sum(axis=0), "b_h": da.sum(axis=0)}
    if "w_ci" in params:
        grads.update({"w_ci": (da_i * c_prev).sum(axis=0), "w_cf": (da_f * c_prev).sum(axis=0),
                      "w_co": (da_o * c).sum(axis=0)})
    return da @ params["W_x"].T, da @ params["W_h"].T, dc_prev, grads


def forward(x, h0, c0, params):
    """x (N, T, D), h0, c0 (N, H) -> (hs (N, T, H), cache); the cache also holds every c_t."""
    _check(x, h0, c0, params, "NTD")
    hs, caches, h, c = [], [], h0, c0
    for t in range(x.shape[1]):
        h, c, cache = step_forward(x[:, t], h, c, params)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs, axis=1), caches


def backward(dhs, cache):
    """BPTT: dhs (N, T, H) -> (dx (N, T, D), dh0 (N, H), dc0 (N, H), grads): a reversed loop."""
    grads = {k: np.zeros_like(v) for k, v in cache[0][-1].items()}
    dh_next, dc_next, dxs = np.zeros_like(dhs[:, 0]), np.zeros_like(dhs[:, 0]), []
    for t in reversed(range(dhs.shape[1])):
        dx_t, dh_next, dc_next, step = step_backward(dhs[:, t] + dh_next, dc_next, cache[t])
        dxs.append(dx_t)
        for k in grads:
            grads[k] += step[k]
    return np.stack(dxs[::-1], axis=1), dh_next, dc_next, grads


def init_params(D, H, rng, peepholes=False, forget_bias=0.0, dtype=np.float64):
    """U(-1/sqrt(H), 1/sqrt(H)) as ``torch.nn.LSTM``; ``forget_bias`` is added to b_x's forget block."""
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    shapes = {"W_x": (D, 4 * H), "W_h": (H, 4 * H), "b_x": (4 * H,), "b_h": (4 * H,)}
    if peepholes:
        shapes.update({p: (H,) for p in PEEPHOLES})
    params = {name: rng.uniform(-k, k, size=s).astype(dtype) for name, s in shapes.items()}
    params["b_x"][H:2 * H] += forget_bias
    return params


def from_torch(module, layer=0, suffix=""):
    """One layer (and direction) of a ``torch.nn.LSTM`` as params (float64); both biases kept."""
    get = lambda name: getattr(module, f"{name}_l{layer}{suffix}").detach().cpu().double().numpy()  # noqa: E731
    return {"W_x": get("weight_ih").T.copy(), "W_h": get("weight_hh").T.copy(),
            "b_x": get("bias_ih").copy(), "b_h": get("bias_hh").copy()}
