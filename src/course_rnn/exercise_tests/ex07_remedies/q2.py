from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Without input the context only decays: s = alpha * s_prev. With every weight 0, h = sigmoid(0) = 0.5.")
def test_scrn_step_public(scrn_step):
    import numpy as np
    zeros = {'W_xs': np.zeros((2, 3)), 'W_sh': np.zeros((3, 4)), 'W_xh': np.zeros((2, 4)), 'W_hh': np.zeros((4, 4)), 'b_h': np.zeros(4)}
    s_prev = np.array([[1.0, -2.0, 0.5]])
    h, s = scrn_step(np.zeros((1, 2)), np.ones((1, 4)), s_prev, zeros, 0.9)
    assert np.allclose(s, 0.9 * s_prev) and np.allclose(h, 0.5)
    h, s = scrn_step(np.ones((1, 2)), np.ones((1, 4)), s_prev, {**zeros, 'W_xs': np.ones((2, 3))}, 0.9)
    assert np.allclose(s, 0.1 * 2 + 0.9 * s_prev), 'the input enters the context scaled by 1 - alpha'

