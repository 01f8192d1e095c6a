"""A small labelled text data set, generated in code: film reviews whose label needs word order.

Every review is built from clauses "the <noun> was [not] <adjective>". A clause's polarity is
the adjective's polarity, flipped by "not". The label (1 positive, 0 negative) is the polarity of
the *main* clause:

- "S but M."          the clause after "but" decides;
- "Although S, M."    the clause after the comma decides;
- "M, although S."    the clause before the comma decides;
- "M."                a single clause (a share ``p_simple`` of the reviews).

In the two-clause reviews, S and M always have opposite polarities. Swapping them gives a review
with the same words and the opposite label, so no function of the bag of words can beat chance on
them. On single clauses, negation is an XOR of "not" and the adjective. A linear classifier on word
counts can get at most 3 of its 4 cases right. ``label_of`` reads the label back from the tokens,
so the text determines every label.

Also here: ``tokenize``, ``Vocabulary`` (<pad> = 0, <unk> = 1), ``pad`` and ``bag_of_words``.
"""
import re
from collections import Counter

import numpy as np

NOUNS = ["film", "movie", "plot", "acting", "story", "music", "ending", "cast", "script", "dialogue"]
POSITIVE = ["good", "great", "superb", "moving", "clever", "charming", "brilliant", "funny"]
NEGATIVE = ["bad", "dull", "awful", "boring", "weak", "clumsy", "terrible", "bland"]
NOISE = ["really", "truly", "honestly", "frankly", "simply", "clearly", "certainly", "also", "still", "overall"]
PAD, UNK = "<pad>", "<unk>"


def _clause(rng, polarity, noise):
    """Word list of one clause with the given polarity and up to ``noise`` adverbs after "was"."""
    negated = bool(rng.integers(2))
    adjective = rng.choice(POSITIVE if polarity != negated else NEGATIVE)  # "not" flips the adjective
    adverbs = rng.choice(NOISE, size=rng.integers(noise + 1))
    return ["the", str(rng.choice(NOUNS)), "was", *map(str, adverbs), *["not"] * negated, str(adjective)]


def reviews(n, seed, noise=2, p_simple=0.25):
    """``n`` reviews and their labels, exactly half of them positive (for even n).

    noise: the most adverbs ("really", "quite", ...) per clause, which lengthens the reviews
    without changing their labels. p_simple: the share of single-clause reviews.
    Returns (texts (N,) str array, y (N,) int64), e.g. "Although the plot was dull, the cast was
    not bad." with y = 1.
    """
    if noise < 0 or not 0.0 <= p_simple <= 1.0:
        raise ValueError(f"noise must be >= 0 and p_simple in [0, 1]; got noise={noise}, p_simple={p_simple}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)  # balanced labels
    texts = []
    for label in y:
        main, sub = _clause(rng, label, noise), _clause(rng, 1 - label, noise)
        form = "simple" if rng.random() < p_simple else ["but", "although first", "although second"][rng.integers(3)]
        words = {"simple": main, "but": sub + ["but"] + main, "although first": ["although"] + sub + [","] + main,
                 "although second": main + [",", "although"] + sub}[form]
        text = " ".join(words).replace(" ,", ",") + "."
        texts.append(text[0].upper() + text[1:])
    return np.array(texts), y


def tokenize(text):
    """Lowercase words and single punctuation marks: "Dull, really." -> ["dull", ",", "really", "."]."""
    return re.findall(r"[a-z0-9']+|[^\sa-z0-9']", text.lower())


def _polarity(clause):
    """1 if the clause is positive: a positive adjective XOR "not"."""
    return int(any(w in POSITIVE for w in clause)) ^ int("not" in clause)


def label_of(tokens):
    """The label of a tokenized review, read from word order alone: the main clause's polarity."""
    tokens = list(tokens)
    if "but" in tokens:
        main = tokens[tokens.index("but") + 1:]
    elif tokens and tokens[0] == "although":
        main = tokens[tokens.index(",") + 1:]
    elif "although" in tokens:
        main = tokens[:tokens.index(",")]
    else:
        main = tokens
    return _polarity(main)


class Vocabulary:
    """Token <-> id. Id 0 is <pad>, 1 is <unk>; then tokens by decreasing count, ties alphabetically.

    Built from token lists (e.g. ``[tokenize(t) for t in texts]``); a token seen fewer than
    ``min_freq`` times is left out and encodes as <unk>.
    """

    def __init__(self, token_lists, min_freq=1):
        counts = Counter(token for tokens in token_lists for token in tokens)
        kept = sorted((t for t, c in counts.items() if c >= min_freq and t not in (PAD, UNK)),
                      key=lambda t: (-counts[t], t))
        self.itos = [PAD, UNK] + kept
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def __len__(self):
        """V, the number of ids, <pad> and <unk> included."""
        return len(self.itos)

    def encode(self, tokens):
        """Tokens (T,) -> ids (T,) int64; unknown tokens become 1 (<unk>)."""
        return np.array([self.stoi.get(t, 1) for t in tokens], dtype=np.int64)

    def decode(self, ids):
        """Ids (T,) -> tokens, leaving out <pad> (id 0), so a padded row decodes to its review."""
        return [self.itos[int(i)] for i in ids if int(i) != 0]


def pad(sequences, pad_id=0):
    """Sequences of ids of different lengths -> (ids (N, T) int64, lengths (N,) int64).

    T is the longest length; shorter rows are filled with ``pad_id`` on the right.
    """
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    ids = np.full((len(sequences), int(lengths.max(initial=0))), pad_id, dtype=np.int64)  # (N, T)
    for row, seq in zip(ids, sequences):
        row[:len(seq)] = seq
    return ids, lengths


def bag_of_words(ids, V):
    """Word counts per review: ids (N, T) int64 -> counts (N, V) float64, <pad> (column 0) zeroed."""
    if ids.ndim != 2 or (ids.size and ids.max() >= V):
        raise ValueError(f"ids must have shape (N, T) with ids below V={V}; got shape {ids.shape}")
    counts = np.zeros((ids.shape[0], V))
    np.add.at(counts, (np.arange(ids.shape[0])[:, None], ids), 1.0)
    counts[:, 0] = 0.0
    return counts
