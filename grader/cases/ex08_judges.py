"""Exercise set 8's answers judged by their properties, each failure named in the learner's language.

- sampling_distribution*: real, non-negative rows that sum to 1; exactly 0 outside the kept tokens (every
  token whose logit is >= the k-th largest: ties are kept, as ``torch.decoding.next_distribution`` keeps
  them); p_i = p_a exp((o_i - o_a) / tau) on the kept tokens, a the most likely one (which is also what makes
  a low temperature concentrate on the argmax); then equality with the package's distribution.
- sample_tokens*: integer ids in 0..V-1 of shape (N, n); never a token of probability 0; every token's
  frequency within five binomial standard errors (plus 1/n) of its probability. The draws are those of the
  learner's code on a fixed generator, so the verdict is deterministic; for a correct sampler a token falls
  outside five standard errors about once in 1.7 million (normal approximation). ``from_the_generator`` judges the extra calls:
  the same seed must give the same draws and another seed other draws.
- additive_attention_masked: padded positions weigh exactly 0; then equality with the reference.

Every judge returns "" or the reason, and raises on nothing it can be handed (verdict.compare guards it too).
"""
import numpy as np

from ..codec import Rng


def _real(answer, shapes):
    """"" if ``answer`` holds one finite real array of each shape in ``shapes``, else the reason."""
    if len(answer) != len(shapes):
        return f"expected {len(shapes)} result(s), got {len(answer)}"
    for k, (got, shape) in enumerate(zip(answer, shapes)):
        if got.shape != tuple(shape):
            return f"result {k} has shape {got.shape}, expected {tuple(shape)}"
        if got.dtype.kind not in "biuf" or not np.all(np.isfinite(got)):
            return f"result {k} is not all finite real numbers"
    return ""


def kept(logits, temperature, top_k):
    """(N, V) bool: the tokens top-k sampling keeps, every one whose scaled logit is >= the k-th largest."""
    scaled = np.asarray(logits, dtype=float) / temperature
    if top_k is None:
        return np.ones(scaled.shape, dtype=bool)
    return scaled >= np.sort(scaled, axis=1)[:, -top_k][:, None]


def distribution(inputs, expected, answer):
    """sampling_distribution*: the properties of softmax(logits / temperature) restricted to the top k."""
    (reference,) = expected
    reason = _real(answer, [reference.shape])
    if reason:
        return reason
    p, logits, tau, k = answer[0].astype(float), inputs["logits"], inputs["temperature"], inputs["top_k"]
    if np.any(p < 0):
        return "probabilities must not be negative"
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-9):
        n = int(np.argmax(np.abs(sums - 1)))
        return f"row {n} sums to {sums[n]:.9g}, not 1"
    keep = kept(logits, tau, k)
    if np.any(p[~keep] != 0):
        n, i = (int(v) for v in np.argwhere(~keep & (p != 0))[0])
        return (f"row {n}, token {i}: its logit is below the {k}-th largest, so its probability must be exactly 0;"
                f" got {p[n, i]:.3g}")
    scaled = logits / tau
    rows, a = np.arange(len(p)), np.argmax(scaled, axis=1)
    want = p[rows, a][:, None] * np.exp(scaled - scaled[rows, a][:, None])  # p_a exp((o_i - o_a) / tau)
    wrong = keep & ~np.isclose(p, want, rtol=1e-6, atol=1e-12)
    if np.any(wrong):
        n, i = (int(v) for v in np.argwhere(wrong)[0])
        return (f"row {n}: p[{i}] / p[{a[n]}] must be exp((o_{i} - o_{a[n]}) / temperature), so p[{i}] = "
                f"{want[n, i]:.6g} given p[{a[n]}] = {p[n, a[n]]:.6g}; got {p[n, i]:.6g}")
    if not np.allclose(p, reference, rtol=1e-6, atol=1e-10):
        return f"differs from the reference by up to {np.max(np.abs(p - reference)):.3g}"
    return ""


def draws(inputs, expected, answer):
    """sample_tokens*: ids (N, n) whose frequencies are those of the reference distribution."""
    (p,) = expected
    (N, V), n = p.shape, inputs["n"]
    if len(answer) != 1:
        return f"expected 1 result (the ids), got {len(answer)}"
    (ids,) = answer
    if ids.shape != (N, n):
        return f"the ids have shape {ids.shape}, expected (N, n) = {(N, n)}"
    if ids.dtype.kind not in "iu":
        return f"the ids must be integers (token numbers), not {ids.dtype}"
    if ids.min() < 0 or ids.max() >= V:
        return f"the ids must lie in 0..{V - 1}; got {ids.min()}..{ids.max()}"
    frequency = np.stack([np.bincount(row, minlength=V) for row in ids.astype(np.int64)]) / n  # (N, V)
    if np.any((p == 0) & (frequency > 0)):
        r, i = (int(v) for v in np.argwhere((p == 0) & (frequency > 0))[0])
        return f"row {r} drew token {i}, whose probability is 0 (it is not among the top {inputs['top_k']})"
    allowed = 5 * np.sqrt(p * (1 - p) / n) + 1 / n
    off = np.abs(frequency - p) > allowed
    if np.any(off):
        r, i = (int(v) for v in np.argwhere(off)[0])
        return (f"row {r} drew token {i} in {frequency[r, i]:.4f} of its {n} draws; its probability is {p[r, i]:.4f}"
                f" (allowed: +-{allowed[r, i]:.4f}, five binomial standard errors)")
    return ""


def from_the_generator(answers):
    """The extra calls of sample_tokens*: draws with generators seeded (a, b, a) -> same, other, same."""
    first, other, again = answers
    if any(len(a) != 1 or a[0].dtype.kind not in "iu" or a[0].shape != first[0].shape for a in answers):
        return "the extra draws are not integer ids of one shape"
    if not np.array_equal(first[0], again[0]):
        return "two generators with the same seed gave different draws: draw with the rng you are given, not np.random"
    if np.array_equal(first[0], other[0]):
        return "generators with different seeds gave the same draws: the draws must come from the rng you are given"
    return ""


def pads_weigh_nothing(inputs, expected, answer):
    """additive_attention_masked: weights exactly 0 where mask is False, then equality with the reference."""
    from ..verdict import equal  # here, not at import: verdict imports this module's registry
    reason = _real(answer, [e.shape for e in expected])
    if reason:
        return reason
    _, weights = answer
    if np.any(weights[~inputs["mask"]] != 0):
        return f"padded positions must get weight exactly 0; one got {np.max(np.abs(weights[~inputs['mask']])):.3g}"
    return equal(expected, answer)


JUDGES = {"sampling_distribution": distribution, "sampling_distribution_top_k": distribution,
          "sampling_distribution_cold": distribution, "sample_tokens": draws, "sample_tokens_top_k": draws,
          "additive_attention_masked": pads_weigh_nothing}


def _extra_inputs(top_k):
    """Three calls on the same logits with generators seeded 8001, 8002 and 8001 again."""
    logits = np.array([[0.0, 0.5, 1.0, 1.5], [1.0, -1.0, 0.0, 2.0]])
    return [{"logits": logits, "temperature": 1.0, "top_k": top_k, "n": 200, "rng": rng}
            for rng in (Rng(8001), Rng(8002), Rng(8001))]


# Calls beyond the seeded cases (cases.EXTRA): the draws must come from the generator handed in.
EXTRA = {"sample_tokens": (_extra_inputs(None), from_the_generator),
         "sample_tokens_top_k": (_extra_inputs(2), from_the_generator)}
