from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="From m = v = 0 at t = 1 the corrected averages are g and g**2, so the first step is about lr per entry, against the sign of g.")
def test_adam_step_public(adam_step):
    import numpy as np
    g = np.array([0.001, -3.0, 20.0])
    theta, m, v = adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), 1, 0.01, 0.9, 0.999, 1e-08)
    assert np.allclose(m, 0.1 * g) and np.allclose(v, 0.001 * g ** 2), 'the averages m and v'
    assert np.allclose(theta, -0.01 * np.sign(g), rtol=0.0001), 'the first step'

