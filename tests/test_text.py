"""The review data set: determinism, balance, vocabulary, padding, and that it needs word order."""
from collections import Counter

import numpy as np
import pytest

from course_rnn import text


def _logistic_regression(X, y, l2=1e-2, steps=25):
    """Newton's method on the L2-regularised log loss; X (N, F) -> weights (F + 1,), bias last."""
    X = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        grad = X.T @ (p - y) / len(y) + l2 * w
        hess = np.einsum("nf,n,ng->fg", X, p * (1 - p), X) / len(y) + l2 * np.eye(len(w))  # (F+1, F+1)
        w -= np.linalg.solve(hess, grad)
    return w


def _bag_of_words_accuracy(seed, n_train=3000, n_test=1000, target=None, **kwargs):
    """Held-out accuracy of a logistic regression on word counts (train and test from one seed).

    target: None for the reviews' labels, or a function of a token list giving another label.
    """
    texts, y = text.reviews(n_train + n_test, seed=seed, **kwargs)
    tokens = [text.tokenize(t) for t in texts]
    if target is not None:
        y = np.array([target(t) for t in tokens])
    vocab = text.Vocabulary(tokens[:n_train])
    ids, _ = text.pad([vocab.encode(t) for t in tokens])
    X = text.bag_of_words(ids, len(vocab))
    w = _logistic_regression(X[:n_train], y[:n_train])
    scores = X[n_train:] @ w[:-1] + w[-1]
    return np.mean((scores > 0) == y[n_train:])


def test_reviews_are_deterministic_in_their_seed_and_differ_across_seeds():
    t1, y1 = text.reviews(300, seed=4)
    t2, y2 = text.reviews(300, seed=4)
    assert np.array_equal(t1, t2) and np.array_equal(y1, y2)
    t3, _ = text.reviews(300, seed=5)
    assert np.mean(t1 != t3) > 0.9
    assert t1.shape == y1.shape == (300,) and y1.dtype == np.int64


def test_labels_are_exactly_balanced_and_forms_all_occur():
    texts, y = text.reviews(1000, seed=0)
    assert y.sum() == 500
    starts = Counter("although" if t.startswith("Although") else "but" if " but " in t
                     else "although-second" if "although" in t else "simple" for t in texts)
    assert set(starts) == {"although", "but", "although-second", "simple"}
    assert 0.2 < starts["simple"] / 1000 < 0.3  # p_simple = 0.25


def test_every_label_is_determined_by_the_text():
    texts, y = text.reviews(2000, seed=1, noise=4)
    read = np.array([text.label_of(text.tokenize(t)) for t in texts])
    assert np.array_equal(read, y), f"{np.sum(read != y)} labels disagree with label_of"


def _swap_clauses(tokens):
    """The same words with the two clauses' roles exchanged."""
    body = tokens[:-1]  # drop the final "."
    if "but" in body:
        k = body.index("but")
        return body[k + 1:] + ["but"] + body[:k] + ["."]
    k = body.index(",")
    if body[0] == "although":
        return ["although"] + body[k + 1:] + [","] + body[1:k] + ["."]
    return body[k + 2:] + [",", "although"] + body[:k] + ["."]


def test_swapping_the_clauses_keeps_the_bag_of_words_and_flips_the_label():
    texts, y = text.reviews(1000, seed=2, p_simple=0.0)
    for t, label in zip(texts, y):
        tokens = text.tokenize(t)
        swapped = _swap_clauses(tokens)
        assert Counter(swapped) == Counter(tokens), t
        assert text.label_of(swapped) == 1 - label, f"swapping {t!r} did not flip its label"


def test_a_bag_of_words_classifier_stays_far_below_word_order_on_held_out_reviews():
    accuracy = _bag_of_words_accuracy(seed=3)
    print(f"bag-of-words held-out accuracy: {accuracy:.3f}")
    assert accuracy < 0.75


def test_the_same_classifier_learns_a_label_that_word_counts_do_determine():
    # The control: "does the review contain 'not'?" is linear in the counts, so the fit must find it.
    accuracy = _bag_of_words_accuracy(seed=3, target=lambda tokens: int("not" in tokens))
    assert accuracy > 0.98, accuracy


def test_a_bag_of_words_classifier_cannot_beat_three_quarters_on_single_clause_reviews():
    # Negation alone is an XOR of "not" and the adjective: a linear rule gets at most 3 of its 4 cases.
    accuracy = _bag_of_words_accuracy(seed=4, p_simple=1.0)
    print(f"bag-of-words held-out accuracy on single clauses: {accuracy:.3f}")
    assert accuracy <= 0.75, accuracy


def test_tokenize_lowercases_and_splits_off_punctuation():
    assert text.tokenize("Although the plot was DULL, it wasn't.") == \
        ["although", "the", "plot", "was", "dull", ",", "it", "wasn't", "."]


def test_vocabulary_reserves_pad_and_unk_orders_by_count_and_round_trips():
    tokens = [["b", "a", "a"], ["c", "a", "b"]]
    vocab = text.Vocabulary(tokens)
    assert vocab.itos == ["<pad>", "<unk>", "a", "b", "c"] and len(vocab) == 5
    for t in tokens:
        assert vocab.decode(vocab.encode(t)) == t
    assert vocab.encode(["a", "zebra"]).tolist() == [2, 1]
    rare = text.Vocabulary(tokens, min_freq=2)
    assert rare.itos == ["<pad>", "<unk>", "a", "b"] and rare.encode(["c"]).tolist() == [1]


def test_vocabulary_round_trips_every_review():
    texts, _ = text.reviews(200, seed=5)
    tokens = [text.tokenize(t) for t in texts]
    vocab = text.Vocabulary(tokens)
    ids, lengths = text.pad([vocab.encode(t) for t in tokens])
    assert all(vocab.decode(row) == t for row, t in zip(ids, tokens))
    assert np.array_equal(lengths, [len(t) for t in tokens])


def test_pad_fills_on_the_right_and_reports_lengths():
    ids, lengths = text.pad([[5, 6, 7], [8], []], pad_id=0)
    assert ids.dtype == np.int64 and lengths.dtype == np.int64
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0], [0, 0, 0]] and lengths.tolist() == [3, 1, 0]
    assert text.pad([[1], [2, 3]], pad_id=-1)[0].tolist() == [[1, -1], [2, 3]]


def test_bag_of_words_counts_words_and_ignores_padding():
    counts = text.bag_of_words(np.array([[2, 3, 2, 0], [4, 0, 0, 0]]), V=5)
    assert counts.tolist() == [[0, 0, 2, 1, 0], [0, 0, 0, 0, 1]]
    with pytest.raises(ValueError, match=r"ids must have shape \(N, T\) with ids below V=3"):
        text.bag_of_words(np.array([[5]]), V=3)


def test_reviews_reject_negative_noise():
    with pytest.raises(ValueError, match="noise must be >= 0"):
        text.reviews(4, seed=0, noise=-1)
