from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="With k >= T there is one window: the result must equal full BPTT. With k = 1 only each step's own loss counts.")
def test_truncated_grads_public(truncated_grads):
    import numpy as np
    from course_rnn.numpy import gradcheck, rnn
    rng = np.random.default_rng(2)
    x, h0, params = (rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng))
    dhs = rng.standard_normal((2, 5, 4))
    full = truncated_grads(dhs, x, h0, params, 5)
    assert set(full) == {'W_xh', 'W_hh', 'b_h'}, 'return a dict with keys W_xh, W_hh, b_h'
    loss = lambda: np.sum(rnn.forward(x, h0, params)[0] * dhs)
    assert gradcheck.rel_error(full['W_hh'], gradcheck.numerical_gradient(loss, params['W_hh'])) < 1e-07, 'with k = T there is one window: full BPTT'
    hs, _ = rnn.forward(x, h0, params)
    one = truncated_grads(dhs, x, h0, params, 1)
    h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    direct = np.einsum('nti,ntj->ij', h_prev, dhs * (1 - hs ** 2))
    assert np.allclose(one['W_hh'], direct), 'with k = 1, each window is one step'

