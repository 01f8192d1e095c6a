from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Row 0 has 2 real steps, row 1 has 3: divide by the number of real steps, not by T.")
def test_masked_mean_public(masked_mean):
    import numpy as np
    hs = np.array([[[1.0], [3.0], [100.0]], [[1.0], [2.0], [6.0]]])
    assert np.allclose(masked_mean(hs, np.array([2, 3])), [[2.0], [3.0]])

