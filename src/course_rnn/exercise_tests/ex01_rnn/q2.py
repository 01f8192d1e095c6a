from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="bidirectional must return (N, T, 2H); the first H features are the forward RNN's states.")
def test_bidirectional_public(bidirectional):
    import numpy as np
    from course_rnn.numpy import rnn
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3))
    p_f, p_b = (rnn.init_params(3, 5, rng), rnn.init_params(3, 5, rng))
    hs = bidirectional(x, p_f, p_b)
    assert np.shape(hs) == (2, 4, 10), f'expected shape (2, 4, 10), got {np.shape(hs)}'
    expected_fwd, _ = rnn.forward(x, np.zeros((2, 5)), p_f)
    assert np.allclose(hs[:, :, :5], expected_fwd), 'the first H features must be the forward states'

