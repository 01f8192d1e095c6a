r"""Text as a stream of character ids, cut into the batches a language model trains on.

A character language model reads one long text $x_1, x_2, \dots, x_L$ and at every position predicts
the next character. ``CharVocabulary`` numbers the characters (one character, one token, for English
and Chinese alike); ``split`` keeps the last part of the text for validation, by position, so that no
validation line is a near copy of a training line next to it; ``streams`` lays the text out as N
parallel streams, and ``windows`` walks along them T characters at a time:

    row n of batch b = characters  n L' + b T + 1 ... n L' + (b + 1) T   of the text,

where L' = L // N is the length of one stream. Row n of batch b + 1 continues row n of batch b, which
is what lets a model carry its state from one batch to the next. ``random_windows`` draws windows at
random places instead, as a shuffled data loader would: the rows then continue nothing.
"""
import numpy as np


class CharVocabulary:
    """Character <-> id: the distinct characters of a text, sorted by code point, numbered from 0.

    V = len(vocab). ``encode`` refuses characters it has not seen (a character model of a closed text
    needs no <unk>); build the vocabulary from the whole corpus so that validation characters are known.
    """

    def __init__(self, text):
        if not text:
            raise ValueError("a vocabulary needs a non-empty text")
        self.itos = sorted(set(text))
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    def __len__(self):
        """V, the number of distinct characters."""
        return len(self.itos)

    def encode(self, text):
        """str of length L -> ids (L,) int64."""
        unknown = sorted(set(text) - self.stoi.keys())
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown[:5]!r}")
        return np.array([self.stoi[ch] for ch in text], dtype=np.int64)

    def decode(self, ids):
        """ids (L,) -> str."""
        return "".join(self.itos[int(i)] for i in ids)


def split(ids, valid_fraction=0.1):
    """ids (L,) -> (train (L - L_v,), valid (L_v,)): the last ``valid_fraction`` of the text, by position."""
    if not 0.0 < valid_fraction < 1.0:
        raise ValueError(f"valid_fraction must lie in (0, 1); got {valid_fraction}")
    cut = int(round(len(ids) * (1.0 - valid_fraction)))
    return ids[:cut], ids[cut:]


def streams(ids, N):
    """ids (L,) -> (N, L // N): N contiguous streams, the text's last L mod N characters dropped."""
    L = len(ids) // N
    if N < 1 or L < 2:
        raise ValueError(f"cannot cut {len(ids)} ids into N={N} streams of at least 2")
    return np.asarray(ids[:N * L]).reshape(N, L)  # (N, L'): row n is characters n L' .. (n + 1) L' - 1


def windows(rows, T):
    """Consecutive (x, y) batches along ``rows`` (N, L'): x = rows[:, s:s+T], y = rows[:, s+1:s+T+1].

    Yields ``(L' - 1) // T`` pairs of (N, T) int64 arrays; y is x shifted one character ahead, and row
    n of each batch continues row n of the batch before.
    """
    if T < 1:
        raise ValueError(f"T must be >= 1; got {T}")
    for s in range(0, rows.shape[1] - T, T):
        yield rows[:, s:s + T], rows[:, s + 1:s + T + 1]


def random_windows(ids, N, T, rng):
    """N windows at random places of ids (L,), as a shuffled loader draws them: (x (N, T), y (N, T))."""
    if len(ids) < T + 2:
        raise ValueError(f"the text (length {len(ids)}) is shorter than a window of T={T} plus one")
    starts = rng.integers(0, len(ids) - T - 1, size=N)
    index = starts[:, None] + np.arange(T)[None, :]  # (N, T)
    return ids[index], ids[index + 1]
