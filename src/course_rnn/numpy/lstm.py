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

Fast by plain means (the appendix on speed times them against PyTorch):
- Only $h_{t-1} W_h$ has to wait for the previous step, so ``forward`` computes $x_t W_x$ for every step
  in one matrix product, into one (N, T, 4H) array; step t adds its $h_{t-1} W_h$ to its slice and
  overwrites it with its gates, so the gates backward needs are one array, not 4T small ones.
- ``backward`` loops back over the steps for $\partial L / \partial a_t$ alone, into one (N, T, 4H)
  array, then gets $\partial L / \partial W_x$, $\partial L / \partial W_h$ and $\partial L / \partial x$
  from one product each: a weight's gradient is a sum over steps of products, which is one product
  over all N*T rows.
- Arrays keep their dtype: float32 in, float32 all the way.
"""
import numpy as np

from .._checks import check_params, check_shape

PEEPHOLES = ("w_ci", "w_cf", "w_co")


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


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


def step_forward(x_t, h_prev, c_prev, params, a=None):
    """One LSTM step: x_t (N, D), h_prev, c_prev (N, H) -> (h, c, cache), h and c (N, H).

    ``a`` (N, 4H): $x_t W_x + b_x + b_h$ if the caller has it already (``forward`` has every step's from
    one product); the step adds $h_{t-1} W_h$ to it and overwrites it with the gates, without new checks.
    """
    if a is None:
        _check(x_t, h_prev, c_prev, params, "ND")
        a = x_t @ params["W_x"] + (params["b_x"] + params["b_h"])  # (N, 4H)
    H = h_prev.shape[1]
    a += h_prev @ params["W_h"]  # a = x_t W_x + b + h_{t-1} W_h: the four gates' pre-activations in one product
    i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]  # views: each gate overwrites its a
    if "w_ci" in params:  # peepholes: i and f also look at c_{t-1}
        i += params["w_ci"] * c_prev
        f += params["w_cf"] * c_prev
    a[:, :2 * H] = _sigmoid(a[:, :2 * H])  # i = σ(a_i), f = σ(a_f), in one call
    g[...] = np.tanh(g)  # g = tanh(a_g)
    c = f * c_prev + i * g  # c_t = f ⊙ c_{t-1} + i ⊙ g
    if "w_co" in params:
        o += params["w_co"] * c
    o[...] = _sigmoid(o)  # o = σ(a_o + w_co ⊙ c_t)
    tanh_c = np.tanh(c)
    h = o * tanh_c  # h_t = o ⊙ tanh(c_t)
    return h, c, (x_t, h_prev, c_prev, i, f, g, o, c, tanh_c, params)


def step_backward(dh, dc, cache):
    """Backward of ``step_forward``: dh, dc (N, H) -> (dx_t (N, D), dh_prev (N, H), dc_prev (N, H), grads)."""
    x_t, h_prev, c_prev, i, f, g, o, c, tanh_c, params = cache
    da = np.empty((i.shape[0], 4 * i.shape[1]), dtype=i.dtype)  # (N, 4H)
    dc_prev = gates_backward(dh, dc, cache, da)
    grads = weight_grads(x_t, h_prev, c_prev, c, da, params)
    return da @ params["W_x"].T, da @ params["W_h"].T, dc_prev, grads


def gates_backward(dh, dc, cache, da):
    """The step's own part of backprop: write dL/da_t into ``da`` (N, 4H); return dc_prev (N, H).

    dh, dc (N, H) are dL/dh_t and dL/dc_t from the loss and the later steps; dh_prev = da W_h^T.
    """
    x_t, h_prev, c_prev, i, f, g, o, c, tanh_c, params = cache
    H = dh.shape[1]
    da_i, da_f, da_g, da_o = da[:, :H], da[:, H:2 * H], da[:, 2 * H:3 * H], da[:, 3 * H:]  # views into da
    da_o[...] = dh * tanh_c * o * (1 - o)  # h = o ⊙ tanh(c), σ'(a) = σ(a)(1 - σ(a))
    dc = dc + dh * o * (1 - tanh_c ** 2)  # every path into c_t: later steps, h_t, ...
    if "w_co" in params:
        dc += da_o * params["w_co"]  # ... and the output gate's peephole
    da_i[...] = dc * g * i * (1 - i)  # c = f ⊙ c_prev + i ⊙ g
    da_f[...] = dc * c_prev * f * (1 - f)
    da_g[...] = dc * i * (1 - g ** 2)  # tanh'(a) = 1 - tanh(a)^2
    dc_prev = dc * f  # the carousel: dc_{t-1} = dc_t ⊙ f_t ...
    if "w_ci" in params:
        dc_prev += da_i * params["w_ci"] + da_f * params["w_cf"]  # ... plus the peepholes
    return dc_prev


def weight_grads(x, h_prev, c_prev, c, da, params):
    """dL/dparams from dL/da (..., 4H) and what the step(s) saw: x (..., D), h_prev, c_prev, c (..., H).

    ... is (N,) for one step, (N, T) for a sequence: a weight's gradient is then a sum over steps too, and
    with one row per (n, t) that sum is part of the same matrix product.
    """
    rows = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731  (N, T, K) -> (N*T, K); copies a strided view
    da, H = rows(da), h_prev.shape[-1]
    db = da.sum(axis=0)  # (4H,)
    grads = {"W_x": rows(x).T @ da, "W_h": rows(h_prev).T @ da, "b_x": db, "b_h": db.copy()}  # two arrays
    if "w_ci" in params:
        c_prev, c = rows(c_prev), rows(c)
        grads.update({"w_ci": (da[:, :H] * c_prev).sum(axis=0), "w_cf": (da[:, H:2 * H] * c_prev).sum(axis=0),
                      "w_co": (da[:, 3 * H:] * c).sum(axis=0)})
    return grads


def forward(x, h0, c0, params):
    """x (N, T, D), h0, c0 (N, H) -> (hs (N, T, H), cache); the cache also holds every c_t and gate.

    hs is a view into the cache (its states h_0..h_T): change a copy of it, not hs itself.
    """
    _check(x, h0, c0, params, "NTD")
    (N, T, D), H = x.shape, h0.shape[1]
    a = x.reshape(N * T, D) @ params["W_x"]  # (N*T, 4H): every step's x_t W_x in one product
    a += params["b_x"] + params["b_h"]  # in place, as below: a new (N*T, 4H) array costs more than the sum
    a = a.reshape(N, T, 4 * H)  # (N, T, 4H); step t turns a[:, t] into its gates i, f, g, o, kept for backward
    hs = np.empty_like(a, shape=(N, T + 1, H))  # hs[:, t + 1] = h_t, hs[:, 0] = h0
    cs = np.empty_like(hs)  # cs[:, t + 1] = c_t, cs[:, 0] = c0
    hs[:, 0], cs[:, 0] = h0, c0
    steps = []
    for t in range(T):
        h, c, step = step_forward(x[:, t], hs[:, t], cs[:, t], params, a[:, t])
        hs[:, t + 1], cs[:, t + 1] = h, c
        steps.append(step)
    return hs[:, 1:], (x, hs, cs, steps, params)


def backward(dhs, cache):
    """BPTT: dhs (N, T, H) -> (dx (N, T, D), dh0 (N, H), dc0 (N, H), grads): a reversed loop."""
    x, hs, cs, steps, params = cache
    (N, T, D), H = x.shape, hs.shape[2]
    da = np.empty_like(hs, shape=(N, T, 4 * H))  # dL/da_t for every step, filled from the last
    dh, dc = np.zeros_like(hs[:, 0]), np.zeros_like(cs[:, 0])  # (N, H): nothing flows in after step T
    W_hT = np.ascontiguousarray(params["W_h"].T)  # (4H, H), rows in memory order: a faster product below
    for t in reversed(range(T)):
        dc = gates_backward(dhs[:, t] + dh, dc, steps[t], da[:, t])
        dh = da[:, t] @ W_hT  # dL/dh_{t-1} = da_t W_h^T, the recurrence
    grads = weight_grads(x, hs[:, :-1], cs[:, :-1], cs[:, 1:], da, params)  # all steps in one product each
    dx = (da.reshape(N * T, 4 * H) @ params["W_x"].T).reshape(N, T, D)  # (N*T, 4H) @ (4H, D) -> (N, T, D)
    return dx, dh, dc, grads


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
