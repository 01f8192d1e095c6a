r"""A from-scratch Elman RNN in PyTorch that equals ``torch.nn.RNN``.

Each layer and direction is an ``RNNCell`` computing
$h_t = \phi(x_t W_{xh} + h_{t-1} W_{hh} + b_h)$; ``RNN`` stacks them, runs the
backward direction over the reversed sequence, and returns what ``torch.nn.RNN``
returns: ``(out, h_n)`` with out (N, T, dirs * H) and h_n (L * dirs, N, H).
"""
import math

import torch
from torch import nn


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


class RNN(nn.Module):
    """Multi-layer, optionally bidirectional Elman RNN, batch first.

    Cell ``k = layer * dirs + direction`` matches row k of torch's h0 and h_n.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh",
                 bidirectional=False, batch_first=True):
        super().__init__()
        if not batch_first:
            raise ValueError("the course is batch first: pass batch_first=True and x of shape (N, T, D)")
        self.hidden_size, self.num_layers = hidden_size, num_layers
        self.dirs = 2 if bidirectional else 1
        self.cells = nn.ModuleList(
            RNNCell(input_size if layer == 0 else self.dirs * hidden_size, hidden_size, nonlinearity)
            for layer in range(num_layers) for _ in range(self.dirs)
        )

    def _run(self, cell, x, h):
        """Loop one cell over time: x (N, T, D), h (N, H) -> (N, T, H)."""
        hs = []
        for t in range(x.shape[1]):
            h = cell(x[:, t], h)
            hs.append(h)
        return torch.stack(hs, dim=1)  # (N, T, H)

    def forward(self, x, h0=None):
        """x: (N, T, D), h0: (L * dirs, N, H) or None -> (out (N, T, dirs * H), h_n (L * dirs, N, H))."""
        if x.dim() != 3:
            raise ValueError(f"x must have shape (N, T, D); got {tuple(x.shape)}")
        N = x.shape[0]
        if h0 is None:
            h0 = x.new_zeros(self.num_layers * self.dirs, N, self.hidden_size)
        out, h_n = x, []
        for layer in range(self.num_layers):
            k = layer * self.dirs
            outs = [self._run(self.cells[k], out, h0[k])]
            if self.dirs == 2:
                outs.append(self._run(self.cells[k + 1], out.flip(1), h0[k + 1]).flip(1))
            h_n += [outs[0][:, -1]] + ([outs[1][:, 0]] if self.dirs == 2 else [])
            out = torch.cat(outs, dim=2)  # (N, T, dirs * H)
        return out, torch.stack(h_n)

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
