from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Compare with central differences: da = dh * (1 - h**2), then dx_t, dh_prev and the three gradients.")
def test_step_backward_public(step_backward):
    import numpy as np
    from course_rnn.numpy import gradcheck, rnn
    rng = np.random.default_rng(0)
    x_t, h_prev, params = (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng))
    dh = rng.standard_normal((2, 4))
    h, _ = rnn.step_forward(x_t, h_prev, params)
    dx_t, dh_prev, grads = step_backward(dh, x_t, h_prev, h, params)
    loss = lambda: np.sum(rnn.step_forward(x_t, h_prev, params)[0] * dh)
    assert np.shape(dx_t) == (2, 3) and np.shape(dh_prev) == (2, 4), 'dx_t is (N, D), dh_prev is (N, H)'
    assert gradcheck.rel_error(dx_t, gradcheck.numerical_gradient(loss, x_t)) < 1e-07, 'dx_t is wrong'
    assert gradcheck.rel_error(grads['W_hh'], gradcheck.numerical_gradient(loss, params['W_hh'])) < 1e-07, 'W_hh is wrong'

