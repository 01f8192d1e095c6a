"""The key-value recall task, generated in code: a network reads pairs, then is asked for one value.

A sequence holds ``n_pairs`` steps, each showing a key and its value at once, then one query step
that shows a key alone. The target is the value that was paired with the query key. The keys of one
sequence are distinct, so the answer is always defined; the values may repeat. A model must keep
every pair until the query arrives: memory grows with ``n_pairs``, which is what a fixed-size state
finds hard and attention over the stored states finds easy (chapter 7).
"""
import numpy as np


def key_value_recall(n, n_pairs, seed, n_keys=16, n_values=8):
    """``n`` sequences of ``n_pairs`` key-value steps and one query step.

    Each step is one-hot in two parts: D = n_keys + n_values, the key in the first n_keys columns,
    the value in the rest (all zero at the query step).
    Returns (x (N, n_pairs + 1, D) float64, y (N,) int64 the queried value in 0..n_values-1,
    position (N,) int64 the step that holds the answer).
    """
    if not 1 <= n_pairs <= n_keys:
        raise ValueError(f"n_pairs must be between 1 and n_keys={n_keys} (the keys of a sequence are distinct); "
                         f"got {n_pairs}")
    rng = np.random.default_rng(seed)
    keys = np.argsort(rng.random((n, n_keys)), axis=1)[:, :n_pairs]  # (N, P): distinct keys per row
    values = rng.integers(0, n_values, size=(n, n_pairs))  # (N, P)
    position = rng.integers(0, n_pairs, size=n)  # (N,): which pair is asked for
    rows = np.arange(n)
    x = np.zeros((n, n_pairs + 1, n_keys + n_values))
    x[rows[:, None], np.arange(n_pairs), keys] = 1.0
    x[rows[:, None], np.arange(n_pairs), n_keys + values] = 1.0
    x[rows, n_pairs, keys[rows, position]] = 1.0  # the query: the key alone
    return x, values[rows, position].astype(np.int64), position.astype(np.int64)
