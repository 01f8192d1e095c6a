from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="With every period 1 the Clockwork RNN is a plain tanh RNN; with periods [1, 4] the second module changes only at steps t = 1, 5, 9 (reading x[:, 0], x[:, 4], x[:, 8]).")
def test_clockwork_forward_public(clockwork_forward):
    import numpy as np
    from course_rnn.numpy import rnn
    rng = np.random.default_rng(0)
    x, h0, params = (rng.standard_normal((2, 9, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng))
    assert np.allclose(clockwork_forward(x, h0, params, [1, 1], 2), rnn.forward(x, h0, params)[0]), 'periods [1, 1]'
    hs = clockwork_forward(x, h0, params, [1, 4], 2)
    assert hs.shape == (2, 9, 4)
    slow = np.concatenate([h0[:, None, 2:], hs[:, :, 2:]], axis=1)
    changed = [t for t in range(9) if not np.allclose(slow[:, t + 1], slow[:, t])]
    assert changed == [0, 4, 8], f'module 2 (period 4) changed at steps {changed}'

