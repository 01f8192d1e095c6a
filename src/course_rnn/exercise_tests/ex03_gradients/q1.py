from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="For gradients (3, 4) and (0,) the norm is 5; with max_norm 1 they become (0.6, 0.8) (up to the 1e-6).")
def test_clip_public(clip_by_global_norm):
    import numpy as np
    clipped, norm = clip_by_global_norm({'a': np.array([3.0, 4.0]), 'b': np.array([0.0])}, 1.0)
    assert abs(norm - 5.0) < 1e-12, 'return the norm before clipping'
    assert np.allclose(clipped['a'], [0.6, 0.8], atol=1e-06) and set(clipped) == {'a', 'b'}
    small, _ = clip_by_global_norm({'a': np.array([0.3, 0.4])}, 1.0)
    assert np.allclose(small['a'], [0.3, 0.4]), 'gradients below the threshold are unchanged'

