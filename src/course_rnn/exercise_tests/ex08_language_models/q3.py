from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="ids are integers of shape (N, n) whose frequencies match the distribution at the temperature given (within five standard errors); top_k=1 always draws the argmax; the same generator gives the same draws, another generator others.")
def test_sample_tokens_public(sample_tokens):
    import numpy as np
    logits, n, tau = (np.log([[1.0, 2.0, 5.0], [1.0, 1.0, 1.0]]), 4000, 0.5)
    p = np.array([[1, 4, 25], [1, 1, 1]]) / np.array([[30], [3]])
    ids = sample_tokens(logits, tau, None, n, np.random.default_rng(0))
    assert ids.shape == (2, n) and ids.dtype.kind in 'iu', f'integer ids of shape (N, n) = (2, {n}); got {ids.dtype} {ids.shape}'
    frequency = np.stack([np.bincount(row, minlength=3) for row in ids]) / n
    assert np.all(np.abs(frequency - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1 / n), f'frequencies {frequency.round(3)}, not {p.round(3)}'
    assert np.all(sample_tokens(logits, tau, 1, 50, np.random.default_rng(0))[0] == 2), 'top_k=1 always draws the argmax'
    again = sample_tokens(logits, tau, None, n, np.random.default_rng(0))
    other = sample_tokens(logits, tau, None, n, np.random.default_rng(1))
    assert np.array_equal(ids, again) and (not np.array_equal(ids, other)), 'draw with the rng you are given'

