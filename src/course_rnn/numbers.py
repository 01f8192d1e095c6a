"""A translation task generated in code: numbers written in English words -> their digits.

"three million five thousand twelve" -> "3005012". Source tokens are words, target tokens digits. The
task needs what translation needs: the output is not aligned with the input word for word, its length
differs from the input's, and some output digits (the zeros of "three million five") correspond to no
input word at all. Numbers have ``digits`` digits, drawn uniformly, so the source lengths spread from 1
word to ``MAX_WORDS``.
"""
import numpy as np

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10 ** 9, "billion"), (10 ** 6, "million"), (10 ** 3, "thousand")]
PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SOURCE_TOKENS = [PAD] + ONES + TENS[2:] + ["hundred"] + [name for _, name in reversed(SCALES)]
TARGET_TOKENS = [PAD, BOS, EOS] + list("0123456789")
MAX_DIGITS = 12
MAX_WORDS = 4 * 4 + 3  # "nine hundred ninety nine" four times, with billion, million, thousand


def _below_thousand(n):
    words = [ONES[n // 100], "hundred"] if n >= 100 else []
    n %= 100
    if n >= 20:
        words += [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])
    elif n or not words:
        words.append(ONES[n])
    return words


def say(n):
    """0 <= n < 10**12 -> its English words: 342617 -> "three hundred forty two thousand six hundred seventeen"."""
    if not 0 <= n < 10 ** MAX_DIGITS:
        raise ValueError(f"n must lie in 0..10**{MAX_DIGITS} - 1; got {n}")
    words = []
    for scale, name in SCALES:
        if n >= scale:
            words += _below_thousand(n // scale) + [name]
            n %= scale
    if n or not words:
        words += _below_thousand(n)
    return " ".join(words)


def pairs(count, seed, digits=(1, MAX_DIGITS)):
    """``count`` random numbers with a number of digits drawn uniformly from ``digits`` (inclusive).

    Returns (numbers (count,) int64, sources: list of str, targets: list of str of digits).
    """
    low, high = digits
    if not 1 <= low <= high <= MAX_DIGITS:
        raise ValueError(f"digits must satisfy 1 <= low <= high <= {MAX_DIGITS}; got {digits}")
    rng = np.random.default_rng(seed)
    d = rng.integers(low, high + 1, size=count)
    first = np.where(d == 1, 0, 10 ** (d - 1))
    numbers = first + (rng.random(count) * (10 ** d - first)).astype(np.int64)
    return numbers, [say(int(n)) for n in numbers], [str(int(n)) for n in numbers]


def encode(sources, targets):
    """Token ids, padded with 0 on the right.

    Returns src (N, S) int64, src_lengths (N,), tgt_in (N, T) starting with <bos>, tgt_out (N, T)
    ending with <eos> (tgt_in shifted left): the decoder reads tgt_in[:, t] and must say tgt_out[:, t].
    """
    s_ids = [[SOURCE_TOKENS.index(w) for w in s.split()] for s in sources]
    t_ids = [[TARGET_TOKENS.index(ch) for ch in t] for t in targets]
    S, T = max(map(len, s_ids)), max(map(len, t_ids)) + 1
    src, tgt_in, tgt_out = (np.zeros((len(s_ids), n), dtype=np.int64) for n in (S, T, T))
    for k, (s, t) in enumerate(zip(s_ids, t_ids)):
        src[k, :len(s)] = s
        tgt_in[k, :len(t) + 1] = [1] + t
        tgt_out[k, :len(t) + 1] = t + [2]
    return src, np.array([len(s) for s in s_ids], dtype=np.int64), tgt_in, tgt_out


def decode(ids):
    """Target ids (T,) -> the digit string up to the first <eos> (pads and <bos> skipped)."""
    out = []
    for i in ids:
        token = TARGET_TOKENS[int(i)]
        if token == EOS:
            break
        if token not in (PAD, BOS):
            out.append(token)
    return "".join(out)
