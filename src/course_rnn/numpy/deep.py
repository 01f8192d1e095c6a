r"""Stacked (deep) and bidirectional RNNs in NumPy, built from ``rnn.forward``.

Layer $\ell$ reads the states of layer $\ell-1$: $h^{(\ell)}_t = \tanh(h^{(\ell-1)}_t W^{(\ell)}_{xh}
+ h^{(\ell)}_{t-1} W^{(\ell)}_{hh} + b^{(\ell)}_h)$ with $h^{(0)}_t = x_t$. A bidirectional layer runs
one RNN left to right and another right to left and concatenates their states:
$h_t = [\overrightarrow{h}_t; \overleftarrow{h}_t]$, shape (N, T, 2H).
"""
import numpy as np

from . import rnn


def bidirectional_forward(x, h0_fwd, h0_bwd, params_fwd, params_bwd, activation="tanh"):
    """One bidirectional layer.

    Inputs:
    - x: (N, T, D); h0_fwd, h0_bwd: (N, H) initial states of the two directions.
    - params_fwd, params_bwd: Elman params (W_xh (D, H), W_hh (H, H), b_h (H,)).

    Returns hs: (N, T, 2H), forward states then backward states at each t.
    """
    hs_fwd, _ = rnn.forward(x, h0_fwd, params_fwd, activation)
    hs_bwd_reversed, _ = rnn.forward(x[:, ::-1], h0_bwd, params_bwd, activation)  # reads x_T ... x_1
    return np.concatenate([hs_fwd, hs_bwd_reversed[:, ::-1]], axis=2)  # (N, T, 2H)


def stacked_forward(x, h0, layers, activation="tanh"):
    """A stack of L RNN layers, each unidirectional or bidirectional.

    Inputs:
    - x: (N, T, D).
    - h0: (L * dirs, N, H) initial states, ordered as in ``torch.nn.RNN``
      (layer 0 forward, layer 0 backward, layer 1 forward, ...).
    - layers: list of L entries; each a params dict (unidirectional) or a
      pair (params_fwd, params_bwd) (bidirectional).

    Returns (out, h_n): out (N, T, dirs * H) from the top layer and
    h_n (L * dirs, N, H) the last state of every layer and direction.
    """
    out, h_n, k = x, [], 0
    for layer in layers:
        if isinstance(layer, dict):
            out, _ = rnn.forward(out, h0[k], layer, activation)  # (N, T, H)
            h_n.append(out[:, -1])
            k += 1
        else:
            out = bidirectional_forward(out, h0[k], h0[k + 1], *layer, activation)  # (N, T, 2H)
            H = out.shape[2] // 2
            h_n += [out[:, -1, :H], out[:, 0, H:]]  # the backward direction ends at t = 1
            k += 2
    return out, np.stack(h_n)


def from_torch(module):
    """All layers of a ``torch.nn.RNN`` (``batch_first=True``) as ``layers`` for ``stacked_forward``."""
    layers = []
    for layer in range(module.num_layers):
        fwd = rnn.from_torch(module, layer)
        layers.append((fwd, rnn.from_torch(module, layer, "_reverse")) if module.bidirectional else fwd)
    return layers
