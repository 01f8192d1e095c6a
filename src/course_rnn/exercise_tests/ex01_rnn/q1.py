from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="jordan_step must return (h, y) with shapes (N, H) and (N, O) and match a hand-computed case.")
def test_jordan_step_public(jordan_step):
    import numpy as np
    params = {'W_xh': np.array([[1.0, 0.0]]), 'W_yh': np.array([[0.0, 1.0]]), 'b_h': np.zeros(2), 'W_hy': np.array([[1.0], [2.0]]), 'b_y': np.array([0.5])}
    h, y = jordan_step(np.array([[0.5]]), np.array([[1.0]]), params)
    assert np.shape(h) == (1, 2) and np.shape(y) == (1, 1), 'h must be (N, H) and y (N, O)'
    assert np.allclose(h, np.tanh([[0.5, 1.0]])), 'h = tanh(x_t W_xh + y_prev W_yh + b_h)'
    assert np.allclose(y, np.tanh(0.5) + 2 * np.tanh(1.0) + 0.5), 'y = h W_hy + b_y'

