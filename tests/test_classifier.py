"""The review classifier: packing makes padding irrelevant; without it the pads change the answer."""
import pytest
import torch

from course_rnn.torch.classifier import ReviewClassifier


def _batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    lengths = torch.tensor([5, 2, 7, 1])
    ids = torch.randint(2, 20, (4, 7), generator=g)
    ids[torch.arange(7)[None, :] >= lengths[:, None]] = 0  # right padding with <pad> = 0
    return ids, lengths


def _model(seed=0):
    torch.manual_seed(seed)
    return ReviewClassifier(20, 6, 5).double()


def test_packed_logits_equal_each_review_read_alone_without_padding():
    model, (ids, lengths) = _model(), _batch()
    batch = model(ids, lengths)
    alone = torch.cat([model(ids[n:n + 1, :lengths[n]]) for n in range(4)])
    assert torch.max(torch.abs(batch - alone)) < 1e-12


def test_packed_logits_do_not_depend_on_how_much_padding_follows():
    model, (ids, lengths) = _model(), _batch()
    longer = torch.cat([ids, torch.zeros(4, 30, dtype=torch.int64)], dim=1)
    assert torch.max(torch.abs(model(ids, lengths) - model(longer, lengths))) < 1e-12


def test_without_lengths_the_pads_are_read_and_change_the_answer_of_padded_rows_only():
    model, (ids, lengths) = _model(), _batch()
    packed, unpacked = model(ids, lengths), model(ids)
    full = lengths == ids.shape[1]
    assert torch.max(torch.abs(packed[full] - unpacked[full])) < 1e-12  # no pads: the same
    assert torch.all(torch.abs(packed[~full] - unpacked[~full]).amax(1) > 1e-6)  # pads: different


def test_the_pad_embedding_is_zero_and_gets_no_gradient():
    model, (ids, lengths) = _model(), _batch()
    assert torch.all(model.embedding.weight[0] == 0)
    model(ids).sum().backward()
    assert torch.all(model.embedding.weight.grad[0] == 0)


def test_classifier_rejects_bad_shapes_and_lengths():
    model, (ids, lengths) = _model(), _batch()
    with pytest.raises(ValueError, match=r"ids must have shape \(N, T\)"):
        model(ids[0])
    with pytest.raises(ValueError, match=r"lengths must be \(N,\) = \(4,\) with values in 1..T=7"):
        model(ids, torch.tensor([5, 2, 8, 1]))
    with pytest.raises(ValueError, match="values in 1..T=7"):
        model(ids, torch.tensor([5, 0, 7, 1]))
