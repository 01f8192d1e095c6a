r"""A from-scratch GRU in PyTorch, equal to ``torch.nn.GRU`` (reset applied after W_h, as PyTorch).

Parameters as in ``course_rnn.numpy.gru``: W_x (D, 3H), W_h (H, 3H), b_x, b_h (3H,), gates r, z, n.
"""
import math

import torch
from torch import nn

from .stacked import Stacked


class GRUCell(nn.Module):
    """One GRU step: (x_t (N, D), h_prev (N, H)) -> h (N, H)."""

    def __init__(self, input_size, hidden_size, reset_after=True):
        super().__init__()
        self.reset_after = reset_after
        k = 1.0 / math.sqrt(hidden_size)
        for name, shape in {"W_x": (input_size, 3 * hidden_size), "W_h": (hidden_size, 3 * hidden_size),
                            "b_x": (3 * hidden_size,), "b_h": (3 * hidden_size,)}.items():
            setattr(self, name, nn.Parameter(torch.empty(shape).uniform_(-k, k)))

    def forward(self, x_t, h_prev):
        gx_r, gx_z, gx_n = (x_t @ self.W_x + self.b_x).chunk(3, dim=-1)  # (N, H) each: one input product
        if self.reset_after:
            gh_r, gh_z, gh_n = (h_prev @ self.W_h + self.b_h).chunk(3, dim=-1)
            r, z = torch.sigmoid(gx_r + gh_r), torch.sigmoid(gx_z + gh_z)
            n = torch.tanh(gx_n + r * gh_n)
        else:
            H = self.W_h.shape[0]
            (W_h_rz, W_h_n), (b_h_rz, b_h_n) = self.W_h.split([2 * H, H], dim=1), self.b_h.split([2 * H, H])
            gh_r, gh_z = (h_prev @ W_h_rz + b_h_rz).chunk(2, dim=-1)
            r, z = torch.sigmoid(gx_r + gh_r), torch.sigmoid(gx_z + gh_z)
            n = torch.tanh(gx_n + (r * h_prev) @ W_h_n + b_h_n)
        return (1 - z) * n + z * h_prev  # chunk and split, not slicing: cheaper backward, under vmap too


class GRU(Stacked):
    """Multi-layer, optionally bidirectional GRU, batch first: returns (out, h_n) like ``torch.nn.GRU``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=True,
                 reset_after=True):
        super().__init__(lambda d_in, h: GRUCell(d_in, h, reset_after), input_size, hidden_size,
                         num_layers, bidirectional, batch_first)

    @torch.no_grad()
    def copy_from(self, module):
        """Copy the weights of a ``torch.nn.GRU`` of the same size (transposed, both biases kept)."""
        _copy_gated(self, module)
        return self


def _copy_gated(ours, module):
    for layer in range(ours.num_layers):
        for d, suffix in enumerate(["", "_reverse"][: ours.dirs]):
            cell = ours.cells[layer * ours.dirs + d]
            get = lambda name: getattr(module, f"{name}_l{layer}{suffix}")  # noqa: E731
            cell.W_x.copy_(get("weight_ih").T)
            cell.W_h.copy_(get("weight_hh").T)
            cell.b_x.copy_(get("bias_ih"))
            cell.b_h.copy_(get("bias_hh"))
