r"""A from-scratch LSTM in PyTorch, equal to ``torch.nn.LSTM`` (gate order i, f, g, o; two biases).

Parameters as in ``course_rnn.numpy.lstm``: W_x (D, 4H), W_h (H, 4H), b_x, b_h (4H,), and with
``peepholes=True`` the diagonal peephole weights w_ci, w_cf, w_co (H,).
"""
import math

import torch
from torch import nn

from .gru import _copy_gated
from .stacked import Stacked


class LSTMCell(nn.Module):
    """One LSTM step: (x_t (N, D), h_prev (N, H), c_prev (N, H)) -> (h, c)."""

    def __init__(self, input_size, hidden_size, peepholes=False, forget_bias=0.0):
        super().__init__()
        k = 1.0 / math.sqrt(hidden_size)
        shapes = {"W_x": (input_size, 4 * hidden_size), "W_h": (hidden_size, 4 * hidden_size),
                  "b_x": (4 * hidden_size,), "b_h": (4 * hidden_size,)}
        if peepholes:
            shapes.update({p: (hidden_size,) for p in ("w_ci", "w_cf", "w_co")})
        for name, shape in shapes.items():
            setattr(self, name, nn.Parameter(torch.empty(shape).uniform_(-k, k)))
        with torch.no_grad():
            self.b_x[hidden_size:2 * hidden_size] += forget_bias
        self.peepholes = peepholes

    def forward(self, x_t, h_prev, c_prev):
        a = x_t @ self.W_x + self.b_x + h_prev @ self.W_h + self.b_h  # (N, 4H): the four gates in one product
        a_i, a_f, a_g, a_o = a.chunk(4, dim=-1)  # (N, H) each; chunk, not slicing: a cheaper backward
        peep = (self.w_ci * c_prev, self.w_cf * c_prev) if self.peepholes else (0.0, 0.0)
        i = torch.sigmoid(a_i + peep[0])
        f = torch.sigmoid(a_f + peep[1])
        g = torch.tanh(a_g)
        c = f * c_prev + i * g
        o = torch.sigmoid(a_o + (self.w_co * c if self.peepholes else 0.0))
        return o * torch.tanh(c), c


class LSTM(Stacked):
    """Multi-layer, optionally bidirectional LSTM, batch first: returns (out, (h_n, c_n)) like ``torch.nn.LSTM``."""

    has_cell_state = True

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=True,
                 peepholes=False, forget_bias=0.0):
        super().__init__(lambda d_in, h: LSTMCell(d_in, h, peepholes, forget_bias), input_size, hidden_size,
                         num_layers, bidirectional, batch_first)

    @torch.no_grad()
    def copy_from(self, module):
        """Copy the weights of a ``torch.nn.LSTM`` of the same size (transposed, both biases kept)."""
        _copy_gated(self, module)
        return self
