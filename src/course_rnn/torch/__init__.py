"""PyTorch versions of the course's models, written with autograd only.

Parameters carry the book's names (``W_xh``, ``W_hh``, ``b_h``) in the book's
orientation (x @ W_xh), so NumPy params copy straight across.
"""
from .clockwork import ClockworkRNN
from .device import device
from .ensemble import Ensemble
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .rnn import RNN, RNNCell
from .scrn import SCRN
from .truncated import truncated_backward

__all__ = ["ClockworkRNN", "device", "Ensemble", "GRU", "GRUCell", "JordanRNN", "LSTM", "LSTMCell", "RNN", "RNNCell", "SCRN",
           "truncated_backward"]
