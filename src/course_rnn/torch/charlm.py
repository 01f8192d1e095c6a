r"""A character language model: embedding, a recurrent layer, and a read-out over the vocabulary.

$$e_t = E[x_t], \qquad h_t = \mathrm{cell}(e_t, h_{t-1}), \qquad o_t = h_t W_{hy} + b_y, \qquad
\hat y_t = \mathrm{softmax}(o_t),$$

trained to put high probability on $x_{t+1}$. The cell is any of the course's recurrent layers or
``torch.nn``'s (``cell="rnn" | "gru" | "lstm"``, ``scratch=True`` for the course's own modules).

``train`` walks the N streams of ``course_rnn.streams`` window by window. With ``carry=True`` the
state at the end of one window starts the next, *detached*: the forward pass sees the whole stream,
the backward pass stops at the window's first step. That is TBPTT(k, k) of chapter 2 with k = T.
With ``carry=False`` every window starts from zeros.
"""
import math
import time

import numpy as np
import torch
from torch import nn

from .. import streams as text_streams
from .gru import GRU
from .lstm import LSTM
from .rnn import RNN

LAYERS = {"rnn": (nn.RNN, RNN), "gru": (nn.GRU, GRU), "lstm": (nn.LSTM, LSTM)}


class CharLM(nn.Module):
    """ids (N, T) -> logits (N, T, V): Embedding (V, E) -> cell (E -> H, num_layers) -> Linear (H -> V)."""

    def __init__(self, V, embedding_size, hidden_size, cell="lstm", num_layers=1, scratch=False):
        super().__init__()
        if cell not in LAYERS:
            raise ValueError(f"cell must be one of {sorted(LAYERS)}; got {cell!r}")
        self.cell = cell
        self.embedding = nn.Embedding(V, embedding_size)
        self.rnn = LAYERS[cell][int(scratch)](embedding_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, V)

    def forward(self, ids, state=None):
        """ids (N, T) int64, state None (zeros) or the state returned last time -> (logits (N, T, V), state)."""
        if ids.dim() != 2:
            raise ValueError(f"ids must have shape (N, T); got {tuple(ids.shape)}")
        hs, state = self.rnn(self.embedding(ids), state)  # hs (N, T, H)
        return self.head(hs), state


def detach(state):
    """The same state cut from the graph that made it: h, or (h, c) for the LSTM."""
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def train(model, rows, T, steps, lr, carry=True, clip=1.0, every=None, evaluate=None):
    """Adam on consecutive windows of ``rows`` (N, L') for ``steps`` updates, cycling over the rows.

    carry: start each window from the last one's detached state (TBPTT(T, T)), else from zeros; the
    state restarts from zeros whenever the walk wraps round to the rows' beginning.
    evaluate(model) -> float, if given, is recorded after every ``every`` steps (e.g. a validation NLL).
    Returns (training loss (nats) of every step (steps,), the recorded values, seconds taken).
    """
    if rows.ndim != 2 or rows.shape[1] < T + 1:
        raise ValueError(f"rows must be (N, L') with L' > T={T}; got shape {rows.shape}")
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses, recorded, state, batches, start = [], [], None, iter(()), time.perf_counter()
    while len(losses) < steps:
        batch = next(batches, None)
        if batch is None:  # a new pass over the text: nothing to carry into its first window
            batches, state = text_streams.windows(rows, T), None
            continue
        x, y = (torch.as_tensor(a) for a in batch)
        logits, state = model(x, state if carry else None)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        state = detach(state)
        losses.append(loss.item())
        if evaluate is not None and len(losses) % every == 0:
            recorded.append(evaluate(model))
    return np.array(losses), recorded, time.perf_counter() - start


@torch.no_grad()
def mean_nll(model, ids, N=16, T=256):
    """The model's cross-entropy (nats) on ids (L,), read as N streams with the state carried throughout."""
    rows, state, total, count = text_streams.streams(ids, N), None, 0.0, 0
    for x, y in text_streams.windows(rows, T):
        logits, state = model(torch.as_tensor(x), state)
        total += nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.as_tensor(y).reshape(-1),
                                             reduction="sum").item()
        count += y.size
    return total / count


def count_parameters(model):
    """The number of trained numbers in ``model``."""
    return sum(p.numel() for p in model.parameters())


def uniform_nll(V):
    """The cross-entropy of guessing uniformly over V tokens: ln V nats (perplexity V)."""
    return math.log(V)
