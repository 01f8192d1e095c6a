"""NumPy models with hand-written backward passes: one module per model."""
from . import buggy, deep, gradcheck, jordan, rnn, truncated

__all__ = ["buggy", "deep", "gradcheck", "jordan", "rnn", "truncated"]
