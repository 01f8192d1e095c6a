r"""A from-scratch Elman RNN in PyTorch that equals ``torch.nn.RNN``.

Each layer and direction is an ``RNNCell`` computing
$h_t = \phi(x_t W_{xh} + h_{t-1} W_{hh} + b_h)$; ``RNN`` stacks them, runs the
backward direction over the reversed sequence (``Stacked``), and returns what
``torch.nn.RNN`` returns: ``(out, h_n)`` with out (N, T, dirs * H) and h_n (L * dirs, N, H).
"""
import math

import torch
from torch import nn

from .stacked import Stacked


class RNNCell(nn.Module):
    """One Elman step. Parameters: W_xh (D, H), W_hh (H, H), b_h (H,)."""

    def __init__(self, input_size, hidden_size, nonlinearity="tanh"):
        super().__init__()
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu'; got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        k = 1.0 / math.sqrt(hidden_size)  # torch.nn.RNN's initialisation
        self.W_xh = nn.Parameter(torch.empty(input_size, hidden_size).uniform_(-k, k))
        self.W_hh = nn.Parameter(torch.empty(hidden_size, hidden_size).uniform_(-k, k))
        self.b_h = nn.Parameter(torch.empty(hidden_size).uniform_(-k, k))

    def forward(self, x_t, h_prev):
        """x_t: (N, D), h_prev: (N, H) -> h: (N, H)."""
        a = x_t @ self.W_xh + h_prev @ self.W_hh + self.b_h  # (N, H)
        return torch.tanh(a) if self.nonlinearity == "tanh" else torch.relu(a)


class RNN(Stacked):
    """Multi-layer, optionally bidirectional Elman RNN, batch first, equal to ``torch.nn.RNN``.

    Cell ``k = layer * dirs + direction`` matches row k of torch's h0 and h_n.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh",
                 bidirectional=False, batch_first=True):
        super().__init__(lambda d_in, h: RNNCell(d_in, h, nonlinearity), input_size, hidden_size,
                         num_layers, bidirectional, batch_first)

    @torch.no_grad()
    def copy_from(self, module):
        """Copy the weights of a ``torch.nn.RNN`` of the same size into this module."""
        for layer in range(self.num_layers):
            for d, suffix in enumerate(["", "_reverse"][: self.dirs]):
                cell = self.cells[layer * self.dirs + d]
                get = lambda name: getattr(module, f"{name}_l{layer}{suffix}")  # noqa: E731
                cell.W_xh.copy_(get("weight_ih").T)
                cell.W_hh.copy_(get("weight_hh").T)
                cell.b_h.copy_(get("bias_ih") + get("bias_hh"))
        return self
