from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="Compare your gradients with central differences (course_rnn.numpy.gradcheck.numerical_gradient).")
def test_gru_step_backward_public(gru_step_backward):
    import numpy as np
    from course_rnn.numpy import gradcheck, gru
    rng = np.random.default_rng(0)
    x_t, h_prev, params = (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), gru.init_params(3, 4, rng))
    dh = rng.standard_normal((2, 4))
    dx_t, dh_prev, grads = gru_step_backward(dh, x_t, h_prev, params)
    loss = lambda: np.sum(gru.step_forward(x_t, h_prev, params)[0] * dh)
    assert gradcheck.rel_error(dh_prev, gradcheck.numerical_gradient(loss, h_prev)) < 1e-07, 'dh_prev is wrong'
    assert gradcheck.rel_error(grads['W_h'], gradcheck.numerical_gradient(loss, params['W_h'])) < 1e-07, 'W_h is wrong'

