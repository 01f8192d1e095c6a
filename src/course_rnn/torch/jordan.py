r"""The Jordan network in PyTorch: the output $y_{t-1}$ is fed back.

$h_t = \tanh(x_t W_{xh} + y_{t-1} W_{yh} + b_h)$, $y_t = h_t W_{hy} + b_y$.
Parameter names and shapes equal ``course_rnn.numpy.jordan``'s.
"""
import math

import torch
from torch import nn


class JordanRNN(nn.Module):
    """Jordan network with D inputs, H hidden units and O outputs, batch first."""

    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        k = 1.0 / math.sqrt(hidden_size)
        shapes = {"W_xh": (input_size, hidden_size), "W_yh": (output_size, hidden_size),
                  "b_h": (hidden_size,), "W_hy": (hidden_size, output_size), "b_y": (output_size,)}
        for name, shape in shapes.items():
            setattr(self, name, nn.Parameter(torch.empty(shape).uniform_(-k, k)))

    def forward(self, x, y0=None):
        """x: (N, T, D), y0: (N, O) or None -> (hs (N, T, H), ys (N, T, O))."""
        y = x.new_zeros(x.shape[0], self.b_y.shape[0]) if y0 is None else y0
        hs, ys = [], []
        for t in range(x.shape[1]):
            h = torch.tanh(x[:, t] @ self.W_xh + y @ self.W_yh + self.b_h)  # (N, H)
            y = h @ self.W_hy + self.b_y  # (N, O)
            hs.append(h)
            ys.append(y)
        return torch.stack(hs, dim=1), torch.stack(ys, dim=1)
