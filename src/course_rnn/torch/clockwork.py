r"""The Clockwork RNN (Koutník, Greff, Gomez & Schmidhuber 2014, "A Clockwork RNN", ICML).

The H = g k hidden units are split into g modules of k units. Module i (i = 1..g) has the clock
period $T_i$, by default $T_i = 2^{i-1}$ (1, 2, 4, ...). Step t is counted from 0, like the
index of ``x[:, t]``; module i is *active* at step t when $t \bmod T_i = 0$:

$$\tilde h_t = \tanh(x_t W_{xh} + h_{t-1} (W_{hh} \odot M) + b_h), \qquad
h_t^{(i)} = \begin{cases} \tilde h_t^{(i)} & t \bmod T_i = 0 \\ h_{t-1}^{(i)} & \text{otherwise.}\end{cases}$$

An inactive module keeps its state exactly: no input and no decay. The paper does not say where
t starts; counting from 0, every module is active at the first step and reads $x_0$ (counting from 1,
module i would keep $h_0$ until step $T_i$).

Every module reads the input. A module hears itself and the slower modules, never a faster one.
The mask is $M_{jl} = 1$ if $T_{\mathrm{module}(j)} \ge T_{\mathrm{module}(l)}$ and 0 otherwise,
where row j is the unit read from $h_{t-1}$ and column l the unit written. The book uses row
vectors ($h_{t-1} W_{hh}$) and sorts the modules by increasing period, so M is block
**lower**-triangular. The paper uses column vectors, $W_H\, y_{t-1}$ with $W_H = (W_{hh} \odot M)^\top$,
so its matrix is block **upper**-triangular. The two describe the same network. Masked weights
are multiplied by 0 in every forward pass, so their gradient is exactly 0. They start at 0.
"""
import math

import torch
from torch import nn


def _check_periods(periods, n_modules):
    periods = [2 ** i for i in range(n_modules)] if periods is None else [int(p) for p in periods]
    if len(periods) != n_modules:
        raise ValueError(f"periods must have one entry per module (n_modules={n_modules}); got {len(periods)}")
    if min(periods) < 1 or any(a > b for a, b in zip(periods, periods[1:])):
        raise ValueError(f"periods must be positive and sorted by increasing period (fastest module first); "
                         f"got {periods}")
    return tuple(periods)


class ClockworkRNN(nn.Module):
    """Clockwork RNN with D inputs and ``n_modules`` modules of ``module_size`` units, batch first.

    Parameters: W_xh (D, H), W_hh (H, H), b_h (H,) with H = module_size * n_modules, named and
    oriented like ``course_rnn.torch.RNNCell``. Buffers: ``mask`` (H, H), 1 where row unit's
    period >= column unit's period, and ``unit_period`` (H,), the period of each unit's module.
    With all periods equal the mask is full and the network is a plain tanh RNN.
    """

    def __init__(self, input_size, module_size, n_modules, periods=None):
        super().__init__()
        if module_size < 1 or n_modules < 1:
            raise ValueError(f"module_size and n_modules must be at least 1; got {module_size}, {n_modules}")
        self.periods = _check_periods(periods, n_modules)
        self.module_size, self.n_modules = module_size, n_modules
        H = module_size * n_modules
        unit_period = torch.tensor(self.periods).repeat_interleave(module_size)  # (H,)
        self.register_buffer("unit_period", unit_period)
        # M[j, l] = 1: unit l (written) hears unit j (read from h_{t-1}) when j's module is as slow or slower
        self.register_buffer("mask", (unit_period[:, None] >= unit_period[None, :]).to(torch.float32))  # (H, H)
        k = 1.0 / math.sqrt(H)  # torch.nn.RNN's initialisation
        self.W_xh = nn.Parameter(torch.empty(input_size, H).uniform_(-k, k))
        self.W_hh = nn.Parameter(torch.empty(H, H).uniform_(-k, k) * self.mask)
        self.b_h = nn.Parameter(torch.empty(H).uniform_(-k, k))

    def active(self, t):
        """(g,) bool tensor: which modules update at step t (counted from 0): t mod T_i == 0."""
        return t % self.unit_period[::self.module_size] == 0

    def forward(self, x, h0=None):
        """x (N, T, D), h0 (N, H) or None for zeros -> (hs (N, T, H), h_T (N, H)).

        hs[:, t] is $h_t$ above; a module's slice of hs stays constant between its ticks.
        """
        D, H = self.W_xh.shape
        if x.dim() != 3 or x.shape[2] != D:
            raise ValueError(f"x must have shape (N, T, D) with D={D} to match W_xh; got {tuple(x.shape)}")
        N = x.shape[0]
        if h0 is not None and tuple(h0.shape) != (N, H):
            raise ValueError(f"h0 must have shape (N, H) with N={N}, H={H}; got {tuple(h0.shape)}")
        h = x.new_zeros(N, H) if h0 is None else h0
        W_hh = self.W_hh * self.mask  # (H, H): only slower -> faster (and within-module) weights survive
        hs = []
        for t in range(x.shape[1]):
            tick = self.active(t).repeat_interleave(self.module_size)  # (H,) bool: units whose clock ticks
            h_new = torch.tanh(x[:, t] @ self.W_xh + h @ W_hh + self.b_h)  # (N, H)
            h = torch.where(tick, h_new, h)  # inactive modules keep h_{t-1} exactly
            hs.append(h)
        return torch.stack(hs, dim=1), h  # (N, T, H), (N, H)
