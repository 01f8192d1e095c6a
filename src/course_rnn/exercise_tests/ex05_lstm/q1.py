from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="Compare your gradients with central differences (course_rnn.numpy.gradcheck.numerical_gradient).")
def test_lstm_step_backward_public(lstm_step_backward):
    import numpy as np
    from course_rnn.numpy import gradcheck, lstm
    rng = np.random.default_rng(0)
    x_t, h_prev, c_prev = (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4)))
    params, dh, dc = (lstm.init_params(3, 4, rng), rng.standard_normal((2, 4)), rng.standard_normal((2, 4)))
    dx_t, dh_prev, dc_prev, grads = lstm_step_backward(dh, dc, x_t, h_prev, c_prev, params)
    loss = lambda: np.sum(lstm.step_forward(x_t, h_prev, c_prev, params)[0] * dh) + np.sum(lstm.step_forward(x_t, h_prev, c_prev, params)[1] * dc)
    assert gradcheck.rel_error(dc_prev, gradcheck.numerical_gradient(loss, c_prev)) < 1e-07, 'dc_prev is wrong'
    assert gradcheck.rel_error(grads['W_h'], gradcheck.numerical_gradient(loss, params['W_h'])) < 1e-07, 'W_h is wrong'

