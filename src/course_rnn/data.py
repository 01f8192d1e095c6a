"""Synthetic sequence tasks, generated in code (nothing is downloaded).

Every generator takes ``seed`` (an int or a ``numpy.random.Generator``) and
returns NumPy arrays, batch first.
"""
import numpy as np

SINGULAR = ["cat", "dog", "key", "teacher", "author", "house"]
PLURAL = ["cats", "dogs", "keys", "teachers", "authors", "houses"]
_ONE = ["already", "often", "never", "quietly", "really"]
_TWO = ["ate", "saw", "found", "liked", "left"]
_OBJECT = ["it", "them", "us", "food"]
_PREP = ["near", "with", "behind", "under"]
AGREEMENT_VOCAB = (["the", "which"] + SINGULAR + PLURAL + _ONE + _TWO + _OBJECT + _PREP)
VERBS = ["was", "were"]
_INDEX = {w: i for i, w in enumerate(AGREEMENT_VOCAB)}


def _ids(words):
    return np.array([_INDEX[w] for w in words])


def _filler(rng, n, length):
    """(n, length) token ids: phrases of 1-3 words, vectorised over sentences, position by position.

    1 word: an adverb; 2 words: a verb and its object; 3 words: a preposition,
    "the" and a noun of either number (an attractor).
    """
    slots = [[_ids(_ONE)], [_ids(_TWO), _ids(_OBJECT)], [_ids(_PREP), _ids(["the"]), _ids(SINGULAR + PLURAL)]]
    tokens = np.empty((n, length), dtype=np.int64)
    size, pos = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for p in range(length):
        new = pos >= size  # the previous phrase is complete: start one that fits
        room = min(3, length - p)
        size = np.where(new, rng.integers(1, room + 1, size=n), size)
        pos = np.where(new, 0, pos)
        pick = rng.integers(0, 1 << 30, size=n)
        for s in range(1, 4):
            for k, choices in enumerate(slots[s - 1]):
                here = (size == s) & (pos == k)
                tokens[here, p] = choices[pick[here] % len(choices)]
        pos += 1
    return tokens


def agreement(n, distance, seed):
    """The agreement task: predict "was" (0) or "were" (1) after the last token.

    Sentences read "the <noun> which <filler> ..." with ``distance`` tokens
    between the subject noun and the verb. The filler holds nouns of either
    number (attractors), so the verb's number can only come from the subject.
    Returns (x, y): x (N, T) int64 token ids into ``AGREEMENT_VOCAB`` with
    T = distance + 2, and y (N,) int64.
    """
    if distance < 1:
        raise ValueError(f"distance must be at least 1 (the word 'which'); got {distance}")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)  # 1 = plural subject
    nouns = np.where(y == 1, _ids(PLURAL)[rng.integers(0, len(PLURAL), size=n)],
                     _ids(SINGULAR)[rng.integers(0, len(SINGULAR), size=n)])
    head = np.stack([np.full(n, _INDEX["the"]), nouns, np.full(n, _INDEX["which"])], axis=1)  # (N, 3)
    return np.concatenate([head, _filler(rng, n, distance - 1)], axis=1), y.astype(np.int64)


def decode(tokens):
    """Token ids (T,) -> the sentence as a string."""
    return " ".join(AGREEMENT_VOCAB[int(i)] for i in tokens)


def one_hot(tokens, V):
    """Token ids (N, T) -> one-hot float64 (N, T, V)."""
    return np.eye(V)[tokens]


def agreement_text(n, distances, seed):
    """A small corpus of agreement sentences for a character-level model.

    ``distances`` is a sequence of allowed distances, drawn uniformly per sentence.
    Returns one string: one sentence a line, each ending "was full." or "were full.".
    """
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(n):
        x, y = agreement(1, int(rng.choice(distances)), rng)
        lines.append(f"{decode(x[0])} {VERBS[y[0]]} full.")
    return "\n".join(lines) + "\n"


def adding_problem(n, T, seed):
    """The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015).

    Each step carries a value in U(0, 1) and a marker; one marker is set in the
    first half and one in the second. The target is the sum of the two marked
    values; always predicting 1 gives MSE 1/6.
    Returns (x, y): x (N, T, 2) float64 and y (N,) float64.
    """
    if T < 2:
        raise ValueError(f"T must be at least 2; got {T}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, T))
    markers = np.zeros((n, T))
    rows = np.arange(n)
    markers[rows, rng.integers(0, T // 2, size=n)] = 1.0
    markers[rows, rng.integers(T // 2, T, size=n)] = 1.0
    x = np.stack([values, markers], axis=2)  # (N, T, 2)
    return x, (values * markers).sum(axis=1)


def copy_task(n, T, seed, n_symbols=8, length=10):
    """The copy task as defined by Arjovsky et al. (2016).

    Input: ``length`` symbols from 1..n_symbols, then T - 1 blanks (0), the
    delimiter (n_symbols + 1), and ``length`` blanks; total T + 2 * length steps.
    Target: blanks, then the symbols in the last ``length`` steps. A model that
    outputs blanks and then guesses uniformly has cross-entropy
    length * log(n_symbols) / (T + 2 * length).
    Returns (x, y): both (N, T + 2 * length) int64.
    """
    rng = np.random.default_rng(seed)
    symbols = rng.integers(1, n_symbols + 1, size=(n, length))
    x = np.zeros((n, T + 2 * length), dtype=np.int64)
    y = np.zeros_like(x)
    x[:, :length] = symbols
    x[:, T + length - 1] = n_symbols + 1
    y[:, -length:] = symbols
    return x, y


def copy_task_baseline(T, n_symbols=8, length=10):
    """Cross-entropy of the memoryless strategy for ``copy_task``."""
    return length * np.log(n_symbols) / (T + 2 * length)


def temporal_xor(n, T, seed):
    """Elman's (1990) temporal XOR: bit strings made of triplets (a, b, a XOR b).

    Predicting the next bit is possible only at every third step, where the
    bit is the XOR of the two before it; the other bits are coin flips.
    Returns bits: (N, T) float64 with T a multiple of 3.
    """
    if T % 3:
        raise ValueError(f"T must be a multiple of 3 (whole triplets); got {T}")
    rng = np.random.default_rng(seed)
    ab = rng.integers(0, 2, size=(n, T // 3, 2))
    triplets = np.concatenate([ab, ab[:, :, :1] ^ ab[:, :, 1:]], axis=2)  # (N, T/3, 3)
    return triplets.reshape(n, T).astype(np.float64)
