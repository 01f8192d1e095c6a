from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="W.T @ W must be the identity, and two generators must give two different matrices.")
def test_orthogonal_public(orthogonal_init):
    import numpy as np
    W = orthogonal_init(5, np.random.default_rng(0))
    assert np.shape(W) == (5, 5) and np.allclose(W.T @ W, np.eye(5))
    assert not np.allclose(W, orthogonal_init(5, np.random.default_rng(1))), 'use the generator: the result must be random'

