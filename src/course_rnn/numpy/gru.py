r"""The GRU in NumPy, in PyTorch's layout, with hand-written backward passes.

Parameters, gates stacked in PyTorch's order r, z, n: ``W_x`` (D, 3H), ``W_h`` (H, 3H),
``b_x`` (3H,), ``b_h`` (3H,). With $g^x = x_t W_x + b_x$ and $g^h = h_{t-1} W_h + b_h$:

$$r_t = \sigma(g^x_r + g^h_r), \quad z_t = \sigma(g^x_z + g^h_z), \quad
h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$$

and the candidate in one of two forms:

- ``reset_after=True`` (PyTorch, cuDNN; Cho et al. 2014 v1): $n_t = \tanh(g^x_n + r_t \odot g^h_n)$;
- ``reset_after=False`` (Cho et al. 2014 v3): $n_t = \tanh(g^x_n + (r_t \odot h_{t-1}) W_{h,n} + b_{h,n})$.

In the Γ notation of some courses, $\Gamma_r = r_t$ and $\Gamma_u = 1 - z_t$: there the update gate
*takes* the candidate, here $z_t$ *keeps* the old state.
"""
import numpy as np

from .._checks import check_params, check_shape


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _check(x, h_prev, params, x_letters):
    D, H3 = params["W_x"].shape
    H = H3 // 3
    check_params(params, {"W_x": ((D, 3 * H), "DG"), "W_h": ((H, 3 * H), "HG"), "b_x": ((3 * H,), "G"),
                          "b_h": ((3 * H,), "G")}, "GRU")
    check_shape("x" if x_letters == "NTD" else "x_t", x, (None, None, D) if x_letters == "NTD" else (None, D),
                x_letters, "to match W_x")
    check_shape("h0" if x_letters == "NTD" else "h_prev", h_prev, (x.shape[0], H), "NH", "to match x and W_h")


def step_forward(x_t, h_prev, params, reset_after=True):
    """One GRU step: x_t (N, D), h_prev (N, H) -> (h (N, H), cache)."""
    _check(x_t, h_prev, params, "ND")
    H = h_prev.shape[1]
    gx = x_t @ params["W_x"] + params["b_x"]  # (N, 3H)
    gh_rz = h_prev @ params["W_h"][:, :2 * H] + params["b_h"][:2 * H]  # (N, 2H)
    r = _sigmoid(gx[:, :H] + gh_rz[:, :H])
    z = _sigmoid(gx[:, H:2 * H] + gh_rz[:, H:])
    hidden = h_prev if reset_after else r * h_prev  # what W_{h,n} multiplies
    gh_n = hidden @ params["W_h"][:, 2 * H:] + params["b_h"][2 * H:]  # (N, H)
    n = np.tanh(gx[:, 2 * H:] + (r * gh_n if reset_after else gh_n))
    h = (1 - z) * n + z * h_prev
    return h, (x_t, h_prev, r, z, n, hidden, gh_n, params, reset_after)


def step_backward(dh, cache):
    """Backward of ``step_forward``: dh (N, H) -> (dx_t (N, D), dh_prev (N, H), grads)."""
    x_t, h_prev, r, z, n, hidden, gh_n, params, reset_after = cache
    H = h_prev.shape[1]
    dn = dh * (1 - z)  # the candidate's share
    dz = dh * (h_prev - n)
    dh_prev = dh * z  # the additive path: z carries the gradient straight back
    da_n = dn * (1 - n ** 2)
    if reset_after:
        dr, dgh_n = da_n * gh_n, da_n * r
    else:
        dgh_n = da_n
        d_hidden = dgh_n @ params["W_h"][:, 2 * H:].T  # d(r * h_prev)
        dr, dh_prev = d_hidden * h_prev, dh_prev + d_hidden * r
    da_r, da_z = dr * r * (1 - r), dz * z * (1 - z)
    dgx = np.concatenate([da_r, da_z, da_n], axis=1)  # (N, 3H)
    dgh_rz = np.concatenate([da_r, da_z], axis=1)  # (N, 2H)
    dh_prev = dh_prev + dgh_rz @ params["W_h"][:, :2 * H].T
    if reset_after:
        dh_prev = dh_prev + dgh_n @ params["W_h"][:, 2 * H:].T
    grads = {"W_x": x_t.T @ dgx, "b_x": dgx.sum(axis=0),
             "W_h": np.concatenate([h_prev.T @ dgh_rz, hidden.T @ dgh_n], axis=1),
             "b_h": np.concatenate([dgh_rz, dgh_n], axis=1).sum(axis=0)}
    return dgx @ params["W_x"].T, dh_prev, grads


def forward(x, h0, params, reset_after=True):
    """x (N, T, D), h0 (N, H) -> (hs (N, T, H), cache)."""
    _check(x, h0, params, "NTD")
    hs, caches, h = [], [], h0
    for t in range(x.shape[1]):
        h, cache = step_forward(x[:, t], h, params, reset_after)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs, axis=1), caches


def backward(dhs, cache):
    """BPTT: dhs (N, T, H) -> (dx (N, T, D), dh0 (N, H), grads), a reversed loop of ``step_backward``."""
    grads = {k: np.zeros_like(v) for k, v in cache[0][7].items()}
    dh_next, dxs = np.zeros_like(dhs[:, 0]), []
    for t in reversed(range(dhs.shape[1])):
        dx_t, dh_next, step = step_backward(dhs[:, t] + dh_next, cache[t])
        dxs.append(dx_t)
        for k in grads:
            grads[k] += step[k]
    return np.stack(dxs[::-1], axis=1), dh_next, grads


def init_params(D, H, rng, dtype=np.float64):
    """U(-1/sqrt(H), 1/sqrt(H)) for every parameter, as ``torch.nn.GRU``."""
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    shapes = {"W_x": (D, 3 * H), "W_h": (H, 3 * H), "b_x": (3 * H,), "b_h": (3 * H,)}
    return {name: rng.uniform(-k, k, size=s).astype(dtype) for name, s in shapes.items()}


def from_torch(module, layer=0, suffix=""):
    """One layer (and direction) of a ``torch.nn.GRU`` as params (float64); both biases kept."""
    get = lambda name: getattr(module, f"{name}_l{layer}{suffix}").detach().cpu().double().numpy()  # noqa: E731
    return {"W_x": get("weight_ih").T.copy(), "W_h": get("weight_hh").T.copy(),
            "b_x": get("bias_ih").copy(), "b_h": get("bias_hh").copy()}
