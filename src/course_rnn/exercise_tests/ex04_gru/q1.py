from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="With all weights 0 the gates are 0.5 and the candidate 0: h = 0.5 * h_prev.")
def test_gru_step_public(gru_step):
    import numpy as np
    params = {'W_x': np.zeros((2, 9)), 'W_h': np.zeros((3, 9)), 'b_x': np.zeros(9), 'b_h': np.zeros(9)}
    h_prev = np.array([[1.0, -2.0, 0.5]])
    assert np.allclose(gru_step(np.ones((1, 2)), h_prev, params), 0.5 * h_prev)

