"""Layers and directions of any recurrent cell, batch first, returning what torch.nn.RNN/GRU/LSTM return.

A cell maps (x_t, *state) -> new state: one tensor h for the RNN and GRU, a pair (h, c) for the LSTM.
Cell ``k = layer * dirs + direction`` matches row k of PyTorch's h0 / h_n (and c0 / c_n).
"""
import torch
from torch import nn


class Stacked(nn.Module):
    """``num_layers`` layers of ``make_cell(input_size, hidden_size)``, optionally bidirectional."""

    def __init__(self, make_cell, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=True):
        super().__init__()
        if not batch_first:
            raise ValueError("the course is batch first: pass batch_first=True and x of shape (N, T, D)")
        self.hidden_size, self.num_layers = hidden_size, num_layers
        self.dirs = 2 if bidirectional else 1
        self.cells = nn.ModuleList(
            make_cell(input_size if layer == 0 else self.dirs * hidden_size, hidden_size)
            for layer in range(num_layers) for _ in range(self.dirs)
        )

    def _run(self, cell, x, state):
        """Loop one cell over time: x (N, T, D), state a tuple of (N, H) -> (hs (N, T, H), last state)."""
        hs = []
        for t in range(x.shape[1]):
            state = cell(x[:, t], *state)
            state = state if isinstance(state, tuple) else (state,)
            hs.append(state[0])
        return torch.stack(hs, dim=1), state  # (N, T, H)

    def forward(self, x, state0=None):
        """x (N, T, D); state0: h0 or (h0, c0), each (L * dirs, N, H), or None for zeros.

        Returns (out (N, T, dirs * H), h_n) or (out, (h_n, c_n)), like PyTorch.
        """
        if x.dim() != 3:
            raise ValueError(f"x must have shape (N, T, D); got {tuple(x.shape)}")
        pair = isinstance(state0, tuple) or (state0 is None and getattr(self, "has_cell_state", False))
        if state0 is None:
            zeros = x.new_zeros(self.num_layers * self.dirs, x.shape[0], self.hidden_size)
            state0 = (zeros, zeros) if pair else zeros
        states0 = state0 if pair else (state0,)
        out, finals = x, []
        for layer in range(self.num_layers):
            k = layer * self.dirs
            hs, last = self._run(self.cells[k], out, tuple(s[k] for s in states0))
            outs, finals = [hs], finals + [last]
            if self.dirs == 2:
                hs_b, last_b = self._run(self.cells[k + 1], out.flip(1), tuple(s[k + 1] for s in states0))
                outs.append(hs_b.flip(1))
                finals.append(last_b)
            out = torch.cat(outs, dim=2)  # (N, T, dirs * H)
        stacked = tuple(torch.stack([f[j] for f in finals]) for j in range(len(states0)))
        return out, (stacked if pair else stacked[0])
