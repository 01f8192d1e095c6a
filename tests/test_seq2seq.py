"""Chapter 8's translation task and encoder-decoder: the data say what they mean, attention masks pads."""
import numpy as np
import pytest
import torch

from course_rnn import numbers
from course_rnn.torch.seq2seq import AdditiveAttention, Seq2Seq

VALUES = {w: i for i, w in enumerate(numbers.ONES)} | {w: 10 * i for i, w in enumerate(numbers.TENS) if w}


def _parse(words):
    """Read English number words back into an int (an independent check of ``say``)."""
    total, group = 0, 0
    for w in words.split():
        if w == "hundred":
            group *= 100
        elif w in ("thousand", "million", "billion"):
            total += group * {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9}[w]
            group = 0
        else:
            group += VALUES[w]
    return total + group


def test_say_reads_back_to_the_number_for_every_digit_count():
    rng = np.random.default_rng(0)
    for d in range(1, numbers.MAX_DIGITS + 1):
        for n in list(rng.integers(10 ** (d - 1), 10 ** d, size=200)) + [10 ** (d - 1), 10 ** d - 1]:
            words = numbers.say(int(n))
            assert _parse(words) == n, (n, words)
            assert len(words.split()) <= numbers.MAX_WORDS
    assert numbers.say(0) == "zero" and numbers.say(3005012) == "three million five thousand twelve"
    with pytest.raises(ValueError):
        numbers.say(10 ** 12)


def test_pairs_spread_over_the_digit_counts_and_encode_round_trips():
    nums, sources, targets = numbers.pairs(6000, 3)
    assert set(len(t) for t in targets) == set(range(1, 13))
    assert all(_parse(s) == int(t) == n for s, t, n in zip(sources, targets, nums))
    assert max(len(s.split()) for s in sources) == numbers.MAX_WORDS
    src, lengths, tgt_in, tgt_out = numbers.encode(sources[:50], targets[:50])
    for k in range(50):
        assert numbers.decode(tgt_out[k]) == targets[k] and numbers.decode(tgt_in[k]) == targets[k]
        assert tgt_in[k, 0] == 1 and np.array_equal(tgt_in[k, 1:len(targets[k]) + 1], tgt_out[k, :len(targets[k])])
        assert lengths[k] == len(sources[k].split()) and np.all(src[k, lengths[k]:] == 0)


def test_additive_attention_gives_pads_zero_weight_and_ignores_what_they_hold():
    torch.manual_seed(0)
    att = AdditiveAttention(4, 6, 5)
    s, hs = torch.randn(3, 4), torch.randn(3, 7, 6)
    mask = torch.arange(7)[None] < torch.tensor([7, 3, 1])[:, None]
    c, alpha = att(s, hs, mask)
    assert torch.allclose(alpha.sum(1), torch.ones(3)) and torch.all(alpha[~mask] == 0)
    c2, alpha2 = att(s, torch.where(mask[..., None], hs, torch.full_like(hs, 1e3)), mask)
    assert torch.allclose(c, c2) and torch.allclose(alpha, alpha2)
    e = (torch.tanh((s @ att.W_a.weight.T)[:, None] + hs @ att.U_a.weight.T)
         @ att.v_a.weight.T)[..., 0]
    want = torch.softmax(e.masked_fill(~mask, float("-inf")), 1)
    assert torch.allclose(alpha, want, atol=1e-6) and torch.allclose(c, (want[..., None] * hs).sum(1), atol=1e-6)
    assert torch.allclose(c[2], hs[2, 0])  # one real step: all the weight on it


@pytest.mark.parametrize("attention", [True, False])
def test_greedy_decoding_equals_teacher_forcing_on_its_own_outputs(attention):
    torch.manual_seed(0)
    model = Seq2Seq(len(numbers.SOURCE_TOKENS), len(numbers.TARGET_TOKENS), 8, 12, attention=attention).eval()
    _, sources, targets = numbers.pairs(5, 1)
    src, lengths, _, _ = (torch.as_tensor(a) for a in numbers.encode(sources, targets))
    ids, weights = model.greedy(src, lengths, 6)
    fed = torch.cat([torch.ones(5, 1, dtype=torch.int64), ids[:, :-1]], dim=1)
    logits, forced_weights = model(src, lengths, fed)
    assert torch.equal(logits.argmax(-1), ids)
    if attention:
        assert weights.shape == (5, 6, src.shape[1]) and torch.allclose(weights, forced_weights)
    else:
        assert weights is None and forced_weights is None


def test_step_i_of_teacher_forcing_reads_only_earlier_targets():
    torch.manual_seed(0)
    model = Seq2Seq(len(numbers.SOURCE_TOKENS), len(numbers.TARGET_TOKENS), 8, 12).eval()
    _, sources, targets = numbers.pairs(4, 2, digits=(5, 5))
    src, lengths, tgt_in, _ = (torch.as_tensor(a) for a in numbers.encode(sources, targets))
    changed = tgt_in.clone()
    changed[:, 3] = (changed[:, 3] + 1) % 13
    a, _ = model(src, lengths, tgt_in)
    b, _ = model(src, lengths, changed)
    assert torch.allclose(a[:, :3], b[:, :3]) and not torch.allclose(a[:, 3], b[:, 3])


def test_the_encoder_result_does_not_depend_on_padding():
    torch.manual_seed(0)
    model = Seq2Seq(len(numbers.SOURCE_TOKENS), len(numbers.TARGET_TOKENS), 8, 12).eval()
    _, sources, targets = numbers.pairs(2, 5, digits=(2, 2))
    src, lengths, tgt_in, _ = (torch.as_tensor(a) for a in numbers.encode(sources, targets))
    padded = torch.cat([src, torch.zeros(2, 5, dtype=torch.int64)], dim=1)
    assert torch.allclose(model(src, lengths, tgt_in)[0], model(padded, lengths, tgt_in)[0], atol=1e-6)
