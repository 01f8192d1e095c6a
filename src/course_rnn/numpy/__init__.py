"""NumPy models with hand-written backward passes: one module per model."""
from . import deep, gradcheck, jordan, rnn

__all__ = ["deep", "gradcheck", "jordan", "rnn"]
