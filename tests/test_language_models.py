"""Chapter 8's text pipeline, language model and decoders: streams, metrics, detaching, sampling, beam search."""
import itertools
import math

import numpy as np
import pytest
import torch

from course_rnn import corpus, perplexity, poems, streams
from course_rnn.torch import charlm, decoding, truncated_backward


def test_vocabulary_round_trips_both_corpora_and_refuses_unknown_characters():
    for name in corpus.NAMES:
        text = corpus.read(name)[:5000]
        vocab = streams.CharVocabulary(text)
        assert vocab.decode(vocab.encode(text)) == text
        assert vocab.itos == sorted(vocab.itos) and len(vocab) == len(set(text))
    with pytest.raises(ValueError, match="not in the vocabulary"):
        streams.CharVocabulary("abc").encode("abd")


def test_split_is_by_position_and_keeps_every_character():
    ids = np.arange(1000)
    train, valid = streams.split(ids, 0.1)
    assert np.array_equal(np.concatenate([train, valid]), ids) and len(valid) == 100 and train.max() < valid.min()


def test_each_row_of_a_batch_continues_the_same_row_of_the_batch_before():
    ids = np.arange(103)
    rows = streams.streams(ids, 4)  # (4, 25)
    batches = list(streams.windows(rows, 6))
    assert len(batches) == (rows.shape[1] - 1) // 6
    for (x0, y0), (x1, _) in zip(batches, batches[1:]):
        assert np.array_equal(x1[:, 0], x0[:, -1] + 1)  # the next window starts where this one stopped
        assert np.array_equal(y0, x0 + 1)               # targets are the inputs one character ahead
    assert np.array_equal(rows[:, 0], np.arange(4) * 25)


def test_random_windows_are_text_windows_but_do_not_continue_each_other():
    ids = np.arange(10_000)
    x, y = streams.random_windows(ids, 64, 20, np.random.default_rng(0))
    assert np.array_equal(np.diff(x, axis=1), np.ones((64, 19))) and np.array_equal(y, x + 1)
    x2, _ = streams.random_windows(ids, 64, 20, np.random.default_rng(1))
    assert np.mean(x2[:, 0] == x[:, -1] + 1) < 0.05


def test_cross_entropy_matches_torch_and_survives_huge_logits():
    rng = np.random.default_rng(0)
    logits, targets = rng.standard_normal((3, 7, 11)) * 4, rng.integers(0, 11, (3, 7))
    want = torch.nn.functional.cross_entropy(torch.tensor(logits).reshape(-1, 11), torch.tensor(targets).reshape(-1))
    assert math.isclose(perplexity.cross_entropy(logits, targets), want.item(), rel_tol=1e-12)
    big = perplexity.cross_entropy(logits * 1e3, targets)
    assert math.isfinite(big) and big > 0
    assert math.isclose(perplexity.perplexity(math.log(65)), 65) and math.isclose(perplexity.bits_per_character(math.log(2)), 1)


def test_a_model_with_zero_read_out_has_perplexity_v():
    model = charlm.CharLM(13, 4, 8, "gru")
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    nll = charlm.mean_nll(model, np.arange(600) % 13, N=4, T=10)
    assert math.isclose(nll, charlm.uniform_nll(13), rel_tol=1e-6) and math.isclose(math.exp(nll), 13, rel_tol=1e-5)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_the_from_scratch_model_equals_the_torch_nn_model_on_copied_weights(cell):
    torch.manual_seed(0)
    ours, theirs = charlm.CharLM(9, 5, 6, cell, scratch=True), charlm.CharLM(9, 5, 6, cell)
    ours.embedding.load_state_dict(theirs.embedding.state_dict())
    ours.head.load_state_dict(theirs.head.state_dict())
    ours.rnn.copy_from(theirs.rnn)
    ids = torch.randint(0, 9, (3, 12))
    a, state_a = ours(ids)
    b, state_b = theirs(ids)
    assert torch.allclose(a, b, atol=1e-6), f"{cell}: logits differ by {(a - b).abs().max():.2e}"
    a2, _ = ours(ids, state_a)
    b2, _ = theirs(ids, state_b)
    assert torch.allclose(a2, b2, atol=1e-6), f"{cell}: the carried state differs"


def test_carrying_the_detached_state_over_windows_is_tbptt_k_k():
    """Gradients of windows of k with the state carried and detached = truncated_backward(k1=k2=k) of chapter 2."""
    torch.manual_seed(0)
    D, H, T, k = 3, 5, 12, 4
    model = charlm.CharLM(7, D, H, "rnn", scratch=True).double()
    ids = torch.randint(0, 7, (2, T + 1))
    x, y = ids[:, :-1], ids[:, 1:]
    loss_of = lambda h, t: torch.nn.functional.cross_entropy(model.head(h), y[:, t], reduction="sum")  # noqa: E731
    model.zero_grad()
    state = None
    for s in range(0, T, k):
        hs, state = model.rnn(model.embedding(x[:, s:s + k]), state)
        sum(loss_of(hs[:, j], s + j) for j in range(k)).backward()
        state = charlm.detach(state)
    carried = {n: p.grad.clone() for n, p in model.rnn.named_parameters()}
    model.zero_grad()
    cell, e = model.rnn.cells[0], model.embedding(x).detach()
    truncated_backward(cell, e, torch.zeros(2, H, dtype=torch.float64), lambda t, h: loss_of(h, t), k, k)
    for name, p in model.rnn.named_parameters():
        assert torch.allclose(carried[name], p.grad, atol=1e-12), f"{name}: carried-and-detached differs from TBPTT({k}, {k})"
    model.zero_grad()
    hs, _ = model.rnn(model.embedding(x))
    sum(loss_of(hs[:, j], j) for j in range(T)).backward()
    assert not torch.allclose(carried["cells.0.W_hh"], model.rnn.cells[0].W_hh.grad), "full BPTT must differ"


def test_training_with_a_carried_state_lowers_the_loss():
    text = corpus.read("shakespeare")[:20_000]
    vocab = streams.CharVocabulary(text)
    torch.manual_seed(0)
    model = charlm.CharLM(len(vocab), 8, 32, "gru")
    losses, recorded, _ = charlm.train(model, streams.streams(vocab.encode(text), 8), 20, 60, 0.01, every=30,
                                       evaluate=lambda m: 1.0)
    assert losses[-10:].mean() < losses[:10].mean() - 0.5 and recorded == [1.0, 1.0]
    with pytest.raises(ValueError, match="L' > T"):
        charlm.train(model, np.zeros((2, 5), dtype=np.int64), 8, 1, 0.01)


def test_next_distribution_has_the_temperature_ratio_and_exactly_k_nonzero_entries():
    logits = torch.tensor([[2.0, 1.0, 0.5, -1.0, 3.0]])
    for tau in (0.5, 1.0, 2.0):
        p = decoding.next_distribution(logits, tau)
        assert torch.allclose(p.sum(), torch.tensor(1.0))
        assert torch.allclose(p[0, 0] / p[0, 1], torch.exp(torch.tensor(1.0 / tau)))
    p = decoding.next_distribution(logits, 1.0, top_k=2)
    assert (p > 0).sum() == 2 and p[0, 4] > p[0, 0] > 0
    assert torch.allclose(p[0, [4, 0]], torch.softmax(logits[0, [4, 0]], dim=0))
    assert decoding.next_distribution(logits, 0.01).argmax() == 4 and decoding.next_distribution(logits, 0.01).max() > 0.99
    with pytest.raises(ValueError, match="temperature"):
        decoding.next_distribution(logits, 0.0)


def _tiny_lm(V=4, seed=0):
    torch.manual_seed(seed)
    return charlm.CharLM(V, 3, 6, "gru").eval()


def test_beam_search_with_one_beam_is_greedy_and_with_all_beams_is_exhaustive():
    model, prefix, n = _tiny_lm(), torch.tensor([1, 2]), 3
    greedy = decoding.sample(model, prefix, n, temperature=None)[0]
    ids, scores = decoding.beam_search(model, prefix, n, beam=1)
    assert torch.equal(ids[0], greedy)
    assert math.isclose(scores[0].item(), decoding.sequence_log_prob(model, prefix, greedy), rel_tol=1e-5)
    best = max(itertools.product(range(4), repeat=n),
               key=lambda c: decoding.sequence_log_prob(model, prefix, torch.tensor(c)))
    ids, scores = decoding.beam_search(model, prefix, n, beam=4 ** n)
    assert tuple(ids[0].tolist()) == best
    assert scores[0] >= decoding.beam_search(model, prefix, n, beam=1)[1][0] - 1e-6


def test_sampling_follows_the_model_distribution():
    model, prefix = _tiny_lm(), torch.tensor([0])
    p = decoding.next_distribution(model(prefix[None])[0][:, -1], 1.0)[0]
    draws = decoding.sample(model, prefix, 1, 1.0, generator=torch.Generator().manual_seed(0), samples=4000)[:, 0]
    freq = torch.bincount(draws, minlength=4) / 4000.0
    assert torch.all((freq - p).abs() < 4 * torch.sqrt(p * (1 - p) / 4000) + 1e-3)


def test_imposed_form_always_gives_a_quatrain():
    text = corpus.read("tang_wujue")
    vocab = streams.CharVocabulary(text)
    model = charlm.CharLM(len(vocab), 4, 8, "gru").eval()  # untrained: any form it shows is imposed
    ids = decoding.sample(model, torch.as_tensor(vocab.encode("\n")), poems.LENGTH + 1, 1.0,
                          generator=torch.Generator().manual_seed(0), allowed=poems.allowed_at(vocab), samples=20)
    samples = [vocab.decode(r) for r in ids]
    assert all(s.endswith("\n") and poems.has_form(s[:-1]) for s in samples)
    free = decoding.sample(model, torch.as_tensor(vocab.encode("\n")), poems.LENGTH + 1, 1.0,
                           generator=torch.Generator().manual_seed(0), samples=20)
    assert not any(poems.has_form(vocab.decode(r)[:-1]) for r in free)


def test_poem_form_and_copied_lines():
    poem = corpus.read("tang_wujue").split("\n")[0]
    assert poems.has_form(poem) and not poems.has_form(poem[:-1]) and not poems.has_form(poem.replace("，", "。", 1))
    known = poems.lines_of(poem)
    assert poems.copied_lines(poem, known) == 4 and poems.copied_lines("一二三四五，", known) == 0


def test_temperature_explorer_builds_with_its_two_controls_and_redraws():
    from course_rnn import explore
    vocab = streams.CharVocabulary("abcde \n")
    widget = explore.temperature_explorer(_tiny_lm(V=len(vocab)), vocab, "ab", temperature=0.5, top_k=3, shown=5)
    assert [c.description for c in widget.children[:2]] == ["temperature τ", "top-k (0 = all)"]
    assert widget.children[0].value == 0.5 and widget.children[1].value == 3
    widget.children[1].value = 0  # redraws with every character allowed: must not raise
