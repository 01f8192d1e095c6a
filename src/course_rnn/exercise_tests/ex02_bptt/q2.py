from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="Loop t = T-1 ... 0; the gradient of h_t is dhs[:, t] plus what comes back from step t+1.")
def test_bptt_public(bptt):
    import numpy as np
    from course_rnn.numpy import gradcheck, rnn
    rng = np.random.default_rng(1)
    x, h0, params = (rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5)), rnn.init_params(3, 5, rng))
    dhs = rng.standard_normal((2, 4, 5))
    dx, dh0, grads = bptt(dhs, x, h0, params)
    loss = lambda: np.sum(rnn.forward(x, h0, params)[0] * dhs)
    assert np.shape(dx) == (2, 4, 3) and np.shape(dh0) == (2, 5)
    assert gradcheck.rel_error(grads['W_hh'], gradcheck.numerical_gradient(loss, params['W_hh'])) < 1e-07, 'W_hh is wrong'
    assert gradcheck.rel_error(dh0, gradcheck.numerical_gradient(loss, h0)) < 1e-07, 'dh0 is wrong'

