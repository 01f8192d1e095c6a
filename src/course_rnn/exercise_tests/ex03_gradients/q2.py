from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="sigma_max(2 I) = 2; tanh's slope is at most 1, the sigmoid's at most 1/4.")
def test_bound_public(gradient_norm_bound):
    import numpy as np
    assert abs(gradient_norm_bound(2 * np.eye(3), 'tanh', 3) - 8.0) < 1e-09
    assert abs(gradient_norm_bound(2 * np.eye(3), 'sigmoid', 3) - 0.125) < 1e-09

