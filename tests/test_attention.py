"""Dot-product attention equals PyTorch's, masks exactly, has exact gradients; the recall task is well posed."""
import numpy as np
import pytest
import torch

from course_rnn.recall import key_value_recall
from course_rnn.torch.attention import AttentionReader, dot_product_attention


def _qkv(N=3, T=7, d=4, d_v=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(N, d, generator=g, dtype=torch.float64), torch.randn(N, T, d, generator=g, dtype=torch.float64),
            torch.randn(N, T, d_v, generator=g, dtype=torch.float64))


def test_attention_equals_torch_scaled_dot_product_attention_with_and_without_a_mask():
    q, k, v = _qkv()
    mask = torch.arange(7)[None, :] < torch.tensor([7, 3, 1])[:, None]  # (N, T): rows of lengths 7, 3, 1
    for m in (None, mask):
        context, weights = dot_product_attention(q, k, v, m)
        expected = torch.nn.functional.scaled_dot_product_attention(
            q[:, None, None], k[:, None], v[:, None], attn_mask=None if m is None else m[:, None, None])[:, 0, 0]
        assert torch.max(torch.abs(context - expected)) < 1e-12
        assert torch.allclose(weights.sum(1), torch.ones(3, dtype=torch.float64), atol=1e-15)


def test_masked_steps_get_exactly_zero_weight_and_do_not_change_the_context():
    q, k, v = _qkv()
    mask = torch.ones(3, 7, dtype=torch.bool)
    mask[:, 4:] = False
    context, weights = dot_product_attention(q, k, v, mask)
    assert torch.all(weights[:, 4:] == 0)
    k2, v2 = k.clone(), v.clone()
    k2[:, 4:], v2[:, 4:] = 1e3, -1e3  # whatever sits in the masked steps
    assert torch.equal(dot_product_attention(q, k2, v2, mask)[0], context)
    assert torch.allclose(context, dot_product_attention(q, k[:, :4], v[:, :4])[0], atol=1e-14)


def test_a_query_aligned_with_one_key_puts_almost_all_weight_on_it():
    k = torch.eye(5, dtype=torch.float64)[None] * 10.0  # (1, 5, 5): orthogonal keys
    _, weights = dot_product_attention(k[:, 3] * 10.0, k, k)
    assert weights.argmax().item() == 3 and weights[0, 3] > 0.999


def test_attention_gradients_pass_gradcheck():
    q, k, v = (t.requires_grad_() for t in _qkv(N=2, T=4, d=3, d_v=2))
    mask = torch.tensor([[True, True, True, False], [True, False, True, True]])
    assert torch.autograd.gradcheck(lambda q, k, v: dot_product_attention(q, k, v, mask), (q, k, v))


def test_attention_rejects_mismatched_shapes_and_empty_mask_rows():
    q, k, v = _qkv()
    with pytest.raises(ValueError, match=r"query must be \(N, d\) and keys \(N, T, d\)"):
        dot_product_attention(q[:, :3], k, v)
    with pytest.raises(ValueError, match=r"values must be \(N, T, d_v\)"):
        dot_product_attention(q, k, v[:, :5])
    with pytest.raises(ValueError, match="at least one True per row"):
        dot_product_attention(q, k, v, torch.zeros(3, 7, dtype=torch.bool))


def test_attention_reader_returns_logits_and_a_distribution_over_the_earlier_steps():
    torch.manual_seed(0)
    x = torch.randn(4, 9, 6)
    logits, weights = AttentionReader(6, 8, 5)(x)
    assert logits.shape == (4, 5) and weights.shape == (4, 8)
    assert torch.allclose(weights.sum(1), torch.ones(4))
    logits, weights = AttentionReader(6, 8, 5, attention=False)(x)
    assert logits.shape == (4, 5) and weights is None


def test_key_value_recall_asks_for_a_value_that_was_shown_with_the_query_key():
    x, y, position = key_value_recall(500, 10, seed=0)
    assert x.shape == (500, 11, 24) and y.dtype == np.int64 and position.dtype == np.int64
    keys = x[:, :10, :16].argmax(2)  # (N, P)
    assert np.all(np.sort(keys, axis=1)[:, 1:] != np.sort(keys, axis=1)[:, :-1]), "keys repeat within a sequence"
    assert np.all(x[:, :10].sum(2) == 2) and np.all(x[:, 10].sum(1) == 1) and np.all(x[:, 10, 16:] == 0)
    query = x[:, 10, :16].argmax(1)
    rows = np.arange(500)
    assert np.array_equal(keys[rows, position], query)
    assert np.array_equal(x[rows, position, 16:].argmax(1), y)
    assert set(np.unique(position)) == set(range(10)) and set(np.unique(y)) == set(range(8))
    again = key_value_recall(500, 10, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip((x, y, position), again))


def test_key_value_recall_rejects_more_pairs_than_keys():
    with pytest.raises(ValueError, match="n_pairs must be between 1 and n_keys=16"):
        key_value_recall(4, 17, seed=0)
