from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="h_t = (1 - z_t) n_t + z_t h_(t-1): the candidate dominates where z_t < 0.5.")
def test_updates_public(updates):
    import numpy as np
    assert list(updates(np.array([0.9, 0.2, 0.95, 0.4]))) == [2, 4]

