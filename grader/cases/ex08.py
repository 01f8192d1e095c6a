"""Exercise set 8 (chapter 8): perplexity from logits, the sampling distribution and draws from it, gradients
with a state carried and detached from window to window, one greedy decoding step of a character model, and
Bahdanau's additive attention over padded source states.

References are the package's own code in float64 (``perplexity.cross_entropy``,
``torch.decoding.next_distribution``, ``torch.truncated_backward``, ``numpy.rnn.step_forward``,
``torch.seq2seq.AdditiveAttention``), computed here, outside the sandbox. The sampling questions and the
masked attention are judged by their properties (``ex08_judges``).
"""
import numpy as np

from ..codec import Rng
from .ex07 import _lengths

PERPLEXITY = ("perplexity", "perplexity_large_logits", "perplexity_confident")
DISTRIBUTION = ("sampling_distribution", "sampling_distribution_top_k", "sampling_distribution_cold")
SAMPLES = ("sample_tokens", "sample_tokens_top_k")
CARRIED = ("carried_state", "carried_gradients")
GREEDY = ("greedy_state", "greedy_step")
ATTENTION = ("additive_attention", "additive_attention_masked")
QUESTIONS = PERPLEXITY + DISTRIBUTION + SAMPLES + CARRIED + GREEDY + ATTENTION
DRAWS = 4000  # n, the draws per row of a sample_tokens case


def case_inputs(question, seed):
    """The keyword arguments of one test case of ``question``, made from ``seed``."""
    rng = np.random.default_rng(seed)
    if question in PERPLEXITY:
        return _perplexity_case(question, rng)
    if question in DISTRIBUTION:
        return _distribution_case(question, rng)
    if question in SAMPLES:
        return _samples_case(question, rng, seed)
    if question in CARRIED:
        return _carried_case(rng)
    if question in GREEDY:
        return _greedy_case(rng)
    if question in ATTENTION:
        return _attention_case(question, rng)
    raise ValueError(f"unknown question {question!r}")


def _perplexity_case(question, rng):
    """logits (N, T, V), targets (N, T): ordinary; shifted by about +-1000 (a naive softmax overflows or
    underflows); or confident (one logit of 800-1500 per position) with one confident mistake, whose
    probability exp(-1000) is 0 in float64, so that only a log-sum-exp gives its NLL."""
    N, T, V = int(rng.integers(2, 5)), int(rng.integers(4, 13)), int(rng.integers(2, 12))
    logits = rng.uniform(0.5, 3.0) * rng.standard_normal((N, T, V))
    targets = rng.integers(0, V, size=(N, T))
    if question == "perplexity_large_logits":
        logits += rng.uniform(800, 1200, size=(N, T, 1)) * rng.choice([-1.0, 1.0], size=(N, T, 1))
    elif question == "perplexity_confident":
        confident = rng.integers(0, V, size=(N, T))
        np.put_along_axis(logits, confident[..., None], rng.uniform(800, 1500, size=(N, T, 1)), axis=-1)
        targets = confident.copy()
        n, t = int(rng.integers(N)), int(rng.integers(T))
        targets[n, t] = (confident[n, t] + rng.integers(1, V)) % V  # the mistake: an NLL of 800-1500 nats
    return {"logits": logits, "targets": targets.astype(np.int64)}


def _distribution_case(question, rng):
    """logits (N, V), temperature, top_k: plain; top-k (k in 2..V-2) on integer logits with a tie at the
    k-th largest in row 0, which keeps k + 1 of its V tokens; or cold (temperature 0.005-0.01 on logits up to +-10, so that logits / temperature reach 2000)."""
    N, V = int(rng.integers(1, 5)), int(rng.integers(3, 10))
    if question == "sampling_distribution":
        return {"logits": 2.0 * rng.standard_normal((N, V)), "temperature": float(rng.uniform(0.3, 3.0)), "top_k": None}
    if question == "sampling_distribution_cold":
        return {"logits": rng.uniform(-10, 10, size=(N, V)), "temperature": float(rng.uniform(0.005, 0.01)),
                "top_k": None}
    V = max(V, 4)
    logits = rng.integers(-3, 4, size=(N, V)).astype(float)  # ties are common
    k = int(rng.integers(2, V - 1))  # 2 <= k <= V - 2: the kept tokens differ, and some are not kept
    order = np.argsort(-logits[0], kind="stable")
    tie = logits[0, order[k - 1]]
    logits[0, order[k]] = tie  # row 0: the k-th and (k+1)-th largest tie, so k + 1 are kept,
    logits[0, order[k + 1:]] = np.minimum(logits[0, order[k + 1:]], tie - 1)  # and the others are not
    return {"logits": logits, "temperature": float(rng.uniform(0.3, 3.0)), "top_k": k}


def _samples_case(question, rng, seed):
    """logits (N, V), a temperature away from 1, top_k (None or 1..V-1), n = DRAWS, and a generator."""
    N, V = int(rng.integers(1, 4)), int(rng.integers(3, 9))
    temperature = float(rng.uniform(0.4, 0.7) if rng.integers(2) else rng.uniform(1.5, 2.5))
    top_k = int(rng.integers(1, V)) if question == "sample_tokens_top_k" else None
    return {"logits": 1.5 * rng.standard_normal((N, V)), "temperature": temperature, "top_k": top_k,
            "n": DRAWS, "rng": Rng(seed + 1)}


def _carried_case(rng):
    """x (N, L, D), h0, params, dhs (N, L, H) and T, with L = T * windows, two to four windows.

    L is a multiple of T, as ``streams.windows`` cuts them: a shorter last window would be backpropagated
    through T steps by TBPTT(T, T) (``numpy.truncated.windows``), into the window before, where a detached
    state stops."""
    N, D, H = (int(v) for v in rng.integers(1, 5, size=3))
    T = int(rng.integers(1, 6))
    L = T * int(rng.integers(2, 5))
    params = {"W_xh": rng.standard_normal((D, H)) / np.sqrt(D), "W_hh": rng.standard_normal((H, H)) / np.sqrt(H),
              "b_h": 0.1 * rng.standard_normal(H)}
    return {"x": rng.standard_normal((N, L, D)), "h0": 0.5 * rng.standard_normal((N, H)), "params": params,
            "dhs": rng.standard_normal((N, L, H)), "T": T}


def _greedy_case(rng):
    """ids (N,), h_prev (N, H) and a character model's params: E (V, D), W_xh, W_hh, b_h, W_hy (H, V), b_y."""
    N, V, D, H = int(rng.integers(1, 6)), int(rng.integers(2, 12)), int(rng.integers(1, 6)), int(rng.integers(1, 7))
    params = {"E": rng.standard_normal((V, D)), "W_xh": rng.standard_normal((D, H)) / np.sqrt(D),
              "W_hh": rng.standard_normal((H, H)) / np.sqrt(H), "b_h": 0.1 * rng.standard_normal(H),
              "W_hy": 2.0 * rng.standard_normal((H, V)), "b_y": 0.1 * rng.standard_normal(V)}
    return {"ids": rng.integers(0, V, size=N).astype(np.int64), "h_prev": np.tanh(rng.standard_normal((N, H))),
            "params": params}


def _attention_case(question, rng):
    """s_prev (N, H_s), hs (N, S, H_h), mask (N, S) and params W_a (H_s, A), U_a (H_h, A), v_a (A,).

    Unmasked: every position real. Masked: right-padded rows, one full and one shorter, whose pads hold
    large values (what an encoder computes on padding)."""
    N, S = int(rng.integers(1, 5)), int(rng.integers(1, 9))
    H_s, H_h, A = (int(v) for v in rng.integers(1, 7, size=3))
    if question == "additive_attention_masked":
        N, S = max(N, 2), max(S, 2)
        mask = np.arange(S)[None, :] < _lengths(rng, N, S)[:, None]
    else:
        mask = np.ones((N, S), dtype=bool)
    hs = rng.standard_normal((N, S, H_h))
    hs[~mask] = rng.uniform(5, 50) * rng.choice([-1.0, 1.0], size=(int((~mask).sum()), H_h))
    params = {"W_a": rng.standard_normal((H_s, A)) / np.sqrt(H_s), "U_a": rng.standard_normal((H_h, A)) / np.sqrt(H_h),
              "v_a": 2.0 * rng.standard_normal(A)}
    return {"s_prev": rng.standard_normal((N, H_s)), "hs": hs, "mask": mask, "params": params}


def answer_bytes(question, inputs):
    """The size of an answer larger than its reference: sample_tokens' ids (N, n) int64 (else 0)."""
    return 8 * inputs["logits"].shape[0] * inputs["n"] if question in SAMPLES else 0


def reference(question, inputs, seed):
    """The reference answer of ``question`` for ``inputs``, as a tuple of arrays."""
    if question in PERPLEXITY:
        from course_rnn import perplexity
        return (np.array(perplexity.perplexity(perplexity.cross_entropy(inputs["logits"], inputs["targets"]))),)
    if question in DISTRIBUTION + SAMPLES:
        return (distribution(inputs["logits"], inputs["temperature"], inputs["top_k"]),)
    if question in CARRIED:
        grads, h = carried(**inputs)
        return (h,) if question == "carried_state" else (grads, h)
    if question in GREEDY:
        from course_rnn.numpy import rnn
        p = inputs["params"]
        h, _ = rnn.step_forward(p["E"][inputs["ids"]], inputs["h_prev"], {k: p[k] for k in ("W_xh", "W_hh", "b_h")})
        next_ids = np.argmax(h @ p["W_hy"] + p["b_y"], axis=1)
        return (h,) if question == "greedy_state" else (next_ids, h)
    if question in ATTENTION:
        return attention(**inputs)
    raise ValueError(f"unknown question {question!r}")


def distribution(logits, temperature, top_k):
    """The package's ``next_distribution`` in float64: logits (N, V) -> probabilities (N, V)."""
    import torch
    from course_rnn.torch.decoding import next_distribution
    return next_distribution(torch.as_tensor(logits, dtype=torch.float64), temperature, top_k).numpy()


def carried(x, h0, params, dhs, T):
    """TBPTT(T, T) of chapter 2 for the loss sum_t <dhs_t, h_t>: ({W_xh, W_hh, b_h} gradients, h_L (N, H))."""
    import torch
    from course_rnn.torch import RNNCell, truncated_backward
    cell = RNNCell(*params["W_xh"].shape).double()
    with torch.no_grad():
        for name in ("W_xh", "W_hh", "b_h"):
            getattr(cell, name).copy_(torch.as_tensor(params[name]))
    g = torch.as_tensor(dhs)
    states, _ = truncated_backward(cell, torch.as_tensor(x), torch.as_tensor(h0), lambda t, h: (h * g[:, t]).sum(), T, T)
    return {name: getattr(cell, name).grad.numpy() for name in ("W_xh", "W_hh", "b_h")}, states[-1].numpy()


def attention(s_prev, hs, mask, params):
    """The package's ``AdditiveAttention`` in float64 (nn.Linear computes x W^T: weights copied transposed)."""
    import torch
    from course_rnn.torch.seq2seq import AdditiveAttention
    (H_s, A), H_h = params["W_a"].shape, hs.shape[2]
    module = AdditiveAttention(H_s, H_h, A).double()
    with torch.no_grad():
        module.W_a.weight.copy_(torch.as_tensor(params["W_a"]).T)
        module.U_a.weight.copy_(torch.as_tensor(params["U_a"]).T)
        module.v_a.weight.copy_(torch.as_tensor(params["v_a"])[None, :])
        context, weights = module(torch.as_tensor(s_prev), torch.as_tensor(hs), torch.as_tensor(mask))
    return context.numpy(), weights.numpy()
