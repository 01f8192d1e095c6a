from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Corrected, the average of a constant series is that constant from the first step on; for [2, 4] with beta 0.5 it is [2, 10/3].")
def test_ewma_public(ewma):
    import numpy as np
    assert np.allclose(ewma(np.full(20, 7.0), 0.9), 7.0), 'a constant series should average to the constant'
    assert np.allclose(ewma(np.array([2.0, 4.0]), 0.5), [2.0, 10 / 3])

