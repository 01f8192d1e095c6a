"""The synthetic tasks: shapes, determinism, and the properties that make them hard."""
import numpy as np
import pytest

from course_rnn import data


@pytest.mark.parametrize("distance", [1, 2, 7, 30])
def test_agreement_sentences_have_the_requested_distance_and_a_matching_verb(distance):
    x, y = data.agreement(200, distance, seed=0)
    assert x.shape == (200, distance + 2) and y.shape == (200,)
    assert x.dtype == np.int64 and set(np.unique(y)) <= {0, 1}
    words = [data.AGREEMENT_VOCAB[i] for i in x[:, 1]]  # the subject
    assert all((w in data.PLURAL) == bool(label) for w, label in zip(words, y))
    assert np.all(x[:, 2] == data.AGREEMENT_VOCAB.index("which"))


def test_agreement_is_deterministic_in_its_seed_and_balanced():
    x1, y1 = data.agreement(2000, 10, seed=5)
    x2, y2 = data.agreement(2000, 10, seed=5)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert 0.45 < y1.mean() < 0.55
    assert not np.array_equal(data.agreement(50, 10, seed=6)[0], x1[:50])


def test_agreement_fillers_contain_attractors_of_both_numbers():
    x, _ = data.agreement(500, 20, seed=1)
    middle = {data.AGREEMENT_VOCAB[i] for i in np.unique(x[:, 3:])}
    assert middle & set(data.SINGULAR) and middle & set(data.PLURAL)


def test_agreement_rejects_a_distance_below_one():
    with pytest.raises(ValueError, match="distance must be at least 1"):
        data.agreement(3, 0, seed=0)


def test_decode_and_agreement_text_read_as_sentences():
    x, y = data.agreement(1, 4, seed=2)
    assert data.decode(x[0]).startswith("the ")
    text = data.agreement_text(20, [3, 5], seed=0)
    lines = text.strip().split("\n")
    assert len(lines) == 20 and all(line.endswith(("was full.", "were full.")) for line in lines)


def test_adding_problem_has_one_marker_per_half_and_the_sum_as_target():
    x, y = data.adding_problem(300, 50, seed=0)
    assert x.shape == (300, 50, 2) and y.shape == (300,)
    assert np.all(x[:, :25, 1].sum(axis=1) == 1) and np.all(x[:, 25:, 1].sum(axis=1) == 1)
    assert np.allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1))
    big_y = data.adding_problem(100_000, 10, seed=1)[1]
    assert abs(np.mean((big_y - 1.0) ** 2) - 1 / 6) < 0.005  # predicting 1 gives MSE 1/6


def test_copy_task_follows_arjovsky_et_al():
    x, y = data.copy_task(5, 30, seed=0)
    assert x.shape == y.shape == (5, 50)
    assert np.all((x[:, :10] >= 1) & (x[:, :10] <= 8))
    assert np.all(x[:, 39] == 9) and np.all(x[:, 10:39] == 0) and np.all(x[:, 40:] == 0)
    assert np.array_equal(y[:, 40:], x[:, :10]) and np.all(y[:, :40] == 0)
    assert data.copy_task_baseline(30) == pytest.approx(10 * np.log(8) / 50)


def test_one_hot_encodes_tokens():
    e = data.one_hot(np.array([[0, 2]]), 3)
    assert e.shape == (1, 2, 3) and np.array_equal(e[0], [[1, 0, 0], [0, 0, 1]])


def test_temporal_xor_every_third_bit_is_the_xor_of_the_two_before():
    bits = data.temporal_xor(50, 30, seed=0)
    assert bits.shape == (50, 30) and set(np.unique(bits)) == {0.0, 1.0}
    t = bits.reshape(50, 10, 3).astype(int)
    assert np.array_equal(t[:, :, 2], t[:, :, 0] ^ t[:, :, 1])
    with pytest.raises(ValueError, match="multiple of 3"):
        data.temporal_xor(2, 10, seed=0)
