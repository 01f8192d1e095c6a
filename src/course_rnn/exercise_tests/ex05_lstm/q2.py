from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="With all weights 0 every gate is 0.5 and g = 0: c = 0.5 c_prev, h = 0.5 tanh(c).")
def test_peephole_step_public(peephole_step):
    import numpy as np
    H = 3
    params = {'W_x': np.zeros((2, 4 * H)), 'W_h': np.zeros((H, 4 * H)), 'b_x': np.zeros(4 * H), 'b_h': np.zeros(4 * H), 'w_ci': np.zeros(H), 'w_cf': np.zeros(H), 'w_co': np.zeros(H)}
    c_prev = np.array([[1.0, -2.0, 0.5]])
    h, c = peephole_step(np.ones((1, 2)), np.zeros((1, H)), c_prev, params)
    assert np.allclose(c, 0.5 * c_prev) and np.allclose(h, 0.5 * np.tanh(0.5 * c_prev))

