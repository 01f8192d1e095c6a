r"""Turning a language model's next-token distributions into text: sampling, greedy and beam search.

From logits $o$ (V,), sampling with temperature $\tau > 0$ draws from

$$p_i = \frac{\exp(o_i / \tau)}{\sum_j \exp(o_j / \tau)},$$

which is the model's own distribution at $\tau = 1$, sharper below 1 and flatter above; $\tau \to 0$
is greedy decoding (always the most likely token). Top-k sampling keeps the k most likely tokens,
renormalised, and gives every other token probability 0. Beam search keeps the B prefixes of highest
total log-probability at every step instead of one.

All functions take a model that maps (ids (N, T), state) -> (logits (N, T, V), state), such as
``CharLM``. ``allowed(i) -> (V,) bool`` (optional) restricts the i-th generated token to the True
entries: a form imposed from outside rather than learned.
"""
import torch

from .charlm import detach


def next_distribution(logits, temperature=1.0, top_k=None):
    """logits (N, V) -> probabilities (N, V): softmax(logits / temperature), top-k renormalised if given."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0 (use greedy decoding for the limit 0); got {temperature}")
    scaled = logits / temperature
    if top_k is not None:
        if not 1 <= top_k <= logits.shape[-1]:
            raise ValueError(f"top_k must lie in 1..V={logits.shape[-1]}; got {top_k}")
        kth = scaled.topk(top_k, dim=-1).values[..., -1:]  # (N, 1): the k-th largest
        scaled = scaled.masked_fill(scaled < kth, float("-inf"))
    return torch.softmax(scaled, dim=-1)


def _masked(logits, allowed, i):
    return logits if allowed is None else logits.masked_fill(~allowed(i), float("-inf"))


@torch.no_grad()
def sample(model, prefix, n, temperature=1.0, top_k=None, generator=None, allowed=None, samples=1):
    """``samples`` continuations of ``n`` tokens after prefix (P,) int64 -> ids (samples, n) int64.

    temperature=None decodes greedily (argmax); otherwise tokens are drawn with ``generator``.
    """
    logits, state = model(prefix.repeat(samples, 1))  # the prefix read once per sample: (S, P, V)
    logits, out = logits[:, -1], []
    for i in range(n):
        logits = _masked(logits, allowed, i)
        if temperature is None:
            token = logits.argmax(dim=-1)  # (S,)
        else:
            probs = next_distribution(logits, temperature, top_k)
            token = torch.multinomial(probs, 1, generator=generator)[:, 0]
        out.append(token)
        step, state = model(token[:, None], state)
        logits = step[:, -1]
    return torch.stack(out, dim=1)


@torch.no_grad()
def beam_search(model, prefix, n, beam, allowed=None):
    """The ``beam`` best continuations of n tokens after prefix (P,) by total log-probability.

    Returns (ids (beam, n) int64, log-probabilities (beam,)), best first. beam=1 is greedy decoding.
    """
    logits, state = model(prefix[None])
    log_p = torch.log_softmax(_masked(logits[:, -1], allowed, 0), dim=-1)  # (1, V)
    scores, seqs = torch.zeros(1), torch.zeros(1, 0, dtype=torch.int64)
    for i in range(n):
        total = scores[:, None] + log_p  # (B, V): every prefix extended by every token
        V = total.shape[1]
        scores, flat = total.reshape(-1).topk(min(beam, total.numel()))
        parent, token = flat // V, flat % V
        seqs = torch.cat([seqs[parent], token[:, None]], dim=1)  # (B, i + 1)
        state = _select(state, parent)
        if i + 1 < n:
            logits, state = model(token[:, None], state)
            log_p = torch.log_softmax(_masked(logits[:, -1], allowed, i + 1), dim=-1)
    return seqs, scores


def _select(state, rows):
    """The states of the beams' parents: state (L, B, H) or a pair of them, rows (B',) -> (L, B', H)."""
    state = detach(state)
    return tuple(s[:, rows] for s in state) if isinstance(state, tuple) else state[:, rows]


@torch.no_grad()
def sequence_log_prob(model, prefix, continuation):
    """log P(continuation | prefix) under the model: prefix (P,), continuation (n,) -> float."""
    ids = torch.cat([prefix, continuation])
    logits, _ = model(ids[None, :-1])
    log_p = torch.log_softmax(logits[0, len(prefix) - 1:], dim=-1)  # (n, V)
    return log_p.gather(1, continuation[:, None]).sum().item()
