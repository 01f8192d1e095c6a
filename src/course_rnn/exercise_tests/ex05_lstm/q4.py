from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="An open forget gate (f near 1) keeps the cell; the product runs over f_(s+1) ... f_T.")
def test_retention_public(retention):
    import numpy as np
    f = np.array([[0.1, 0.9], [0.5, 0.99], [1.0, 0.5]])
    kept, unit = retention(f, 1)
    assert np.allclose(kept, [0.5, 0.495]) and unit == 0

