from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="theta = 1, g = 2, b = 0.5, lr = 0.1, momentum = 0.9: b becomes 2.45; theta becomes 0.755 (heavy ball) or 0.5795 (Nesterov).")
def test_momentum_step_public(momentum_step):
    import numpy as np
    one = lambda x: np.array([x])
    theta, b = momentum_step(one(1.0), one(2.0), one(0.5), 0.1, 0.9, False)
    assert np.allclose(b, 2.45) and np.allclose(theta, 0.755), 'heavy ball'
    theta, b = momentum_step(one(1.0), one(2.0), one(0.5), 0.1, 0.9, True)
    assert np.allclose(b, 2.45) and np.allclose(theta, 0.5795), 'Nesterov'

