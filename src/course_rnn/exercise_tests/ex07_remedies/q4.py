from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Padded steps must get weight 0, real steps' weights must sum to 1, and equal scores give equal weights.")
def test_masked_attention_public(masked_attention):
    import numpy as np
    keys = np.zeros((1, 4, 2))
    values = np.arange(4.0).reshape(1, 4, 1)
    context, weights = masked_attention(np.ones((1, 2)), keys, values, np.array([2]))
    assert np.allclose(weights, [[0.5, 0.5, 0.0, 0.0]]) and np.allclose(context, [[0.5]])
    big = np.array([[[1000.0, 0.0], [0.0, 0.0], [0.0, 0.0]]])
    context, weights = masked_attention(np.array([[1.0, 0.0]]), big, np.eye(3)[None], np.array([3]))
    assert np.all(np.isfinite(weights)) and np.allclose(weights, [[1.0, 0.0, 0.0]])

