r"""Dot-product attention over an encoder's states, the step after recurrence (chapter 7).

Bahdanau, Cho & Bengio (2015) let a decoder look back at *every* encoder state instead of one final
vector; Luong, Pham & Manning (2015) scored the states with a dot product; Vaswani et al. (2017)
scaled it by $1/\sqrt{d}$ and dropped the recurrence. For a query $q$ (d,) and states $k_t$, $v_t$:

$$e_t = \frac{q \cdot k_t}{\sqrt d}, \qquad \alpha_t = \frac{\exp e_t}{\sum_{s} \exp e_s}, \qquad
c = \sum_t \alpha_t v_t ,$$

the sums running over the unmasked steps only. The weights $\alpha$ (N, T) are a probability
distribution over the steps, which is what makes them readable.
"""
import math

import torch
from torch import nn


def dot_product_attention(query, keys, values, mask=None):
    """query (N, d), keys (N, T, d), values (N, T, d_v), mask (N, T) bool (True = may attend) or None.

    Returns (context (N, d_v), weights (N, T)); masked steps get weight exactly 0.
    """
    if query.dim() != 2 or keys.dim() != 3 or keys.shape[0] != query.shape[0] or keys.shape[2] != query.shape[1]:
        raise ValueError(f"query must be (N, d) and keys (N, T, d) with the same N and d; "
                         f"got {tuple(query.shape)} and {tuple(keys.shape)}")
    if values.shape[:2] != keys.shape[:2]:
        raise ValueError(f"values must be (N, T, d_v) with the keys' N and T; got {tuple(values.shape)} "
                         f"for keys {tuple(keys.shape)}")
    scores = (keys @ query[:, :, None])[:, :, 0] / math.sqrt(query.shape[1])  # (N, T): e_t
    if mask is not None:
        if mask.shape != scores.shape or not bool(mask.any(dim=1).all()):
            raise ValueError(f"mask must be (N, T) = {tuple(scores.shape)} with at least one True per row; "
                             f"got shape {tuple(mask.shape)}")
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=1)  # (N, T): alpha_t
    return (weights[:, None, :] @ values)[:, 0], weights  # (N, d_v), (N, T)


class AttentionReader(nn.Module):
    r"""An LSTM encoder read out at its last step, with or without attention over its earlier states.

    The LSTM (D -> H) reads x (N, T, D). Without attention the answer comes from the last state
    $h_T$ alone, a fixed-size summary of the whole sequence. With attention, the query $q = h_T W_q$
    scores the keys $k_t = h_t W_k$ of the earlier states $h_1 \dots h_{T-1}$, whose values are the states
    themselves, $v_t = h_t$ ($W_q$, $W_k$ both (H, H)), and the answer comes from $[c, h_T]$.
    ``forward`` returns (logits (N, n_classes), weights (N, T - 1) or None).
    """

    def __init__(self, input_size, hidden_size, n_classes, attention=True):
        super().__init__()
        self.encoder = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.attention = attention
        self.W_q = nn.Linear(hidden_size, hidden_size, bias=False) if attention else None
        self.W_k = nn.Linear(hidden_size, hidden_size, bias=False) if attention else None
        self.head = nn.Linear(2 * hidden_size if attention else hidden_size, n_classes)

    def forward(self, x):
        hs, _ = self.encoder(x)  # (N, T, H)
        h_T = hs[:, -1]  # (N, H): the state after the last step (here, the query)
        if not self.attention:
            return self.head(h_T), None
        context, weights = dot_product_attention(self.W_q(h_T), self.W_k(hs[:, :-1]), hs[:, :-1])  # (N, H), (N, T-1)
        return self.head(torch.cat([context, h_T], dim=1)), weights
