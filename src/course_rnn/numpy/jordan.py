r"""The Jordan network in NumPy (forward only): the *output* is fed back.

$$h_t = \tanh(x_t W_{xh} + y_{t-1} W_{yh} + b_h), \qquad y_t = h_t W_{hy} + b_y$$

Compare the Elman network (``rnn.py``), which feeds back $h_{t-1}$: here the only
memory carried from step to step is the O-dimensional output $y_{t-1}$.
"""
import numpy as np

from .._checks import check_params, check_shape


def _check(x, y_prev, params, x_letters):
    D, H = params["W_xh"].shape
    O = params["W_hy"].shape[1]
    check_params(params, {
        "W_xh": ((D, H), "DH"), "W_yh": ((O, H), "OH"), "b_h": ((H,), "H"),
        "W_hy": ((H, O), "HO"), "b_y": ((O,), "O"),
    }, "Jordan network")
    N = x.shape[0] if x.ndim == len(x_letters) else None
    expected_x = (None, None, D) if x_letters == "NTD" else (None, D)
    check_shape("x" if x_letters == "NTD" else "x_t", x, expected_x, x_letters, "to match W_xh")
    check_shape("y0" if x_letters == "NTD" else "y_prev", y_prev, (N, O), "NO", "to match x and W_yh")


def step_forward(x_t, y_prev, params):
    """One step of the Jordan network.

    Inputs:
    - x_t: (N, D) inputs at time t.
    - y_prev: (N, O) the previous output y_{t-1}.
    - params: W_xh (D, H), W_yh (O, H), b_h (H,), W_hy (H, O), b_y (O,).

    Returns (h, y): h (N, H) the hidden layer, y (N, O) the output y_t.
    """
    _check(x_t, y_prev, params, "ND")
    h = np.tanh(x_t @ params["W_xh"] + y_prev @ params["W_yh"] + params["b_h"])  # (N, H)
    y = h @ params["W_hy"] + params["b_y"]  # (N, O)
    return h, y


def forward(x, y0, params):
    """Run the Jordan network over a sequence.

    Inputs:
    - x: (N, T, D) inputs; y0: (N, O) the output fed back at t = 1.

    Returns (hs, ys): hs (N, T, H) and ys (N, T, O).
    """
    _check(x, y0, params, "NTD")
    hs, ys, y = [], [], y0
    for t in range(x.shape[1]):
        h, y = step_forward(x[:, t], y, params)
        hs.append(h)
        ys.append(y)
    return np.stack(hs, axis=1), np.stack(ys, axis=1)  # (N, T, H), (N, T, O)


def init_params(D, H, O, rng, dtype=np.float64):
    """U(-1/sqrt(H), 1/sqrt(H)) for every parameter, as for the Elman RNN."""
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    shapes = {"W_xh": (D, H), "W_yh": (O, H), "b_h": (H,), "W_hy": (H, O), "b_y": (O,)}
    return {name: rng.uniform(-k, k, size=s).astype(dtype) for name, s in shapes.items()}
