"""NumPy models with hand-written backward passes: one module per model."""
from . import buggy, clip, deep, gradcheck, gru, init, jacobians, jordan, lstm, one_unit, optim, rnn, schedules, truncated

__all__ = ["buggy", "clip", "deep", "gradcheck", "gru", "init", "jacobians", "jordan", "lstm", "one_unit", "optim",
           "rnn", "schedules", "truncated"]
