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


def _filler(rng, length):
    """Phrases of 1-3 words that fill exactly ``length`` tokens; 3-word phrases hold an attractor noun."""
    words = []
    while len(words) < length:
        size = rng.integers(1, min(3, length - len(words)) + 1)
        if size == 1:
            words.append(rng.choice(_ONE))
        elif size == 2:
            words += [rng.choice(_TWO), rng.choice(_OBJECT)]
        else:
            words += [rng.choice(_PREP), "the", rng.choice(SINGULAR + PLURAL)]
    return words


def agreement_sentences(n, distance, seed):
    """``n`` sentences "the <noun> which ... was/were" with ``distance`` tokens between noun and verb.

    The words in between are phrases that may contain nouns of either number
    (attractors), so the verb's number can only come from the subject, far back.
    Returns a list of (words, verb) with words a list of str and verb "was"/"were".
    """
    if distance < 1:
        raise ValueError(f"distance must be at least 1 (the word 'which'); got {distance}")
    rng = np.random.default_rng(seed)
    sentences = []
    for _ in range(n):
        plural = rng.integers(2)
        noun = rng.choice(PLURAL if plural else SINGULAR)
        sentences.append((["the", str(noun), "which"] + [str(w) for w in _filler(rng, distance - 1)],
                          VERBS[plural]))
    return sentences


def agreement(n, distance, seed):
    """The agreement task as arrays: predict "was" (0) or "were" (1) after the last token.

    Returns (x, y): x (N, T) int64 token ids into ``AGREEMENT_VOCAB`` with
    T = distance + 2, and y (N,) int64.
    """
    sentences = agreement_sentences(n, distance, seed)
    x = np.array([[_INDEX[w] for w in words] for words, _ in sentences], dtype=np.int64)  # (N, T)
    y = np.array([VERBS.index(verb) for _, verb in sentences], dtype=np.int64)  # (N,)
    return x, y


def decode(tokens):
    """Token ids (T,) -> the sentence as a string."""
    return " ".join(AGREEMENT_VOCAB[int(i)] for i in tokens)


def one_hot(tokens, V):
    """Token ids (N, T) -> one-hot float64 (N, T, V)."""
    return np.eye(V)[tokens]


def agreement_text(n, distances, seed):
    """A small corpus of agreement sentences for a character-level model.

    ``distances`` is a sequence of allowed distances, drawn uniformly per sentence.
    Returns one string, sentences ending in " was full." or " were full.", one per line.
    """
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(n):
        (words, verb), = agreement_sentences(1, int(rng.choice(distances)), rng)
        lines.append(" ".join(words + [verb, "full."]))
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
