"""NumPy models with hand-written backward passes: one module per model."""
from . import buggy, clip, deep, gradcheck, init, jacobians, jordan, one_unit, rnn, truncated

__all__ = ["buggy", "clip", "deep", "gradcheck", "init", "jacobians", "jordan", "one_unit", "rnn", "truncated"]
