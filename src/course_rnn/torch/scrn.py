r"""The Structurally Constrained Recurrent Network, SCRN (Mikolov, Joulin, Chopra, Mathieu & Ranzato,
arXiv 1412.7753, 2014; ICLR 2015 workshop: "Learning Longer Memory in Recurrent Neural Networks").

The SCRN has an ordinary sigmoid hidden layer $h_t$ (H units). Beside it sits a slow *context*
state $s_t$ (C units) whose recurrent matrix is fixed to $\alpha I$ and which has no nonlinearity:

$$s_t = (1 - \alpha)\, x_t W_{xs} + \alpha\, s_{t-1}$$
$$h_t = \sigma(s_t W_{sh} + x_t W_{xh} + h_{t-1} W_{hh} + b_h)$$

With zero input, $s_t = \alpha^t s_0$: the context forgets at the fixed rate α (0.95 by default).
The hidden layer is free to change quickly.

The paper writes column vectors, $s_t = (1-\alpha) B x_t + \alpha s_{t-1}$ and
$h_t = \sigma(P s_t + A x_t + R h_{t-1})$. Its matrices are ours transposed: $B = W_{xs}^\top$,
$P = W_{sh}^\top$, $A = W_{xh}^\top$, $R = W_{hh}^\top$. The bias $b_h$ is added here for
consistency with the book's RNN; the paper has none, so set it to 0 to match the paper exactly.
The paper's output $y_t = f(U h_t + V s_t)$ reads both states. So the module returns
$[h_t, s_t]$ (N, T, H + C), and one linear head on it is exactly $U h_t + V s_t$.
"""
import math

import torch
from torch import nn


class SCRN(nn.Module):
    """SCRN with D inputs, C context units and H hidden units, batch first.

    Parameters: W_xs (D, C), W_sh (C, H), W_xh (D, H), W_hh (H, H), b_h (H,). The constant
    ``alpha`` is a plain float, not a parameter.
    """

    def __init__(self, input_size, context_size, hidden_size, alpha=0.95):
        super().__init__()
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must lie in [0, 1] (the context's decay per step); got {alpha}")
        self.alpha = float(alpha)
        k_s, k_h = 1.0 / math.sqrt(context_size), 1.0 / math.sqrt(hidden_size)
        shapes = {"W_xs": ((input_size, context_size), k_s), "W_sh": ((context_size, hidden_size), k_h),
                  "W_xh": ((input_size, hidden_size), k_h), "W_hh": ((hidden_size, hidden_size), k_h),
                  "b_h": ((hidden_size,), k_h)}
        for name, (shape, k) in shapes.items():
            setattr(self, name, nn.Parameter(torch.empty(shape).uniform_(-k, k)))

    def forward(self, x, state=None):
        """x (N, T, D), state (h0 (N, H), s0 (N, C)) or None for zeros.

        Returns (outputs (N, T, H + C), (h_T (N, H), s_T (N, C))); outputs[:, t] = [h_t, s_t].
        """
        D, C = self.W_xs.shape
        H = self.W_hh.shape[0]
        if x.dim() != 3 or x.shape[2] != D:
            raise ValueError(f"x must have shape (N, T, D) with D={D} to match W_xs and W_xh; got {tuple(x.shape)}")
        N = x.shape[0]
        h, s = (x.new_zeros(N, H), x.new_zeros(N, C)) if state is None else state
        if tuple(h.shape) != (N, H) or tuple(s.shape) != (N, C):
            raise ValueError(f"state must be (h0, s0) with shapes (N, H) = ({N}, {H}) and (N, C) = ({N}, {C}); "
                             f"got {tuple(h.shape)} and {tuple(s.shape)}")
        outputs = []
        for t in range(x.shape[1]):
            s = (1.0 - self.alpha) * (x[:, t] @ self.W_xs) + self.alpha * s  # (N, C)
            h = torch.sigmoid(s @ self.W_sh + x[:, t] @ self.W_xh + h @ self.W_hh + self.b_h)  # (N, H)
            outputs.append(torch.cat([h, s], dim=1))  # (N, H + C)
        return torch.stack(outputs, dim=1), (h, s)  # (N, T, H + C)
