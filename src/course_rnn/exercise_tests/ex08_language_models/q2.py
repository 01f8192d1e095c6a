from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="Each row sums to 1; p0 / p1 = exp((o0 - o1) / temperature); top_k=2 keeps the two largest (and any tie with the second), renormalised; at temperature 0.01 the argmax takes nearly everything, without overflow.")
def test_sampling_distribution_public(sampling_distribution):
    import numpy as np
    logits = np.array([[2.0, 1.0, 0.5, -1.0, 3.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    for tau in (0.5, 1.0, 2.0):
        p = sampling_distribution(logits, tau, None)
        assert p.shape == (2, 5) and np.allclose(p.sum(axis=1), 1.0), 'one distribution per row: each row sums to 1'
        assert np.isclose(p[0, 0] / p[0, 1], np.exp(1.0 / tau)), f'temperature {tau}: p0 / p1 must be exp((o0 - o1) / tau)'
        assert np.allclose(p[1], 0.2), 'equal logits: a uniform row'
    p = sampling_distribution(logits[:1], 1.0, 2)
    assert np.array_equal(p[0] > 0, [True, False, False, False, True]), 'top_k=2 keeps tokens 4 and 0 only'
    assert np.allclose(p[0, [4, 0]], np.exp([3.0, 2.0]) / np.exp([3.0, 2.0]).sum()), 'the kept tokens, renormalised'
    p = sampling_distribution(np.array([[2.0, 1.0, 1.0, 0.0]]), 1.0, 2)
    assert np.array_equal(p[0] > 0, [True, True, True, False]), 'a tie with the k-th largest is kept'
    p = sampling_distribution(np.array([[10.0, 9.0, -10.0]]), 0.01, None)
    assert np.all(np.isfinite(p)) and p[0, 0] > 0.99, 'temperature 0.01: nearly all on the argmax (subtract the max)'

