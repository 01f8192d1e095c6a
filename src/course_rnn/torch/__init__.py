"""PyTorch versions of the course's models, written with autograd only.

Parameters carry the book's names (``W_xh``, ``W_hh``, ``b_h``) in the book's
orientation (x @ W_xh), so NumPy params copy straight across.
"""
from .device import device
from .jordan import JordanRNN
from .rnn import RNN, RNNCell
from .truncated import truncated_backward

__all__ = ["device", "JordanRNN", "RNN", "RNNCell", "truncated_backward"]
