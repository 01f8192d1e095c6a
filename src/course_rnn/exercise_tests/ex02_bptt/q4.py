from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="For a bug in W_hh at t = 2 the answer is ('W_hh', 2).")
def test_locate_bug_public(locate_bug):
    import numpy as np
    from course_rnn.numpy import buggy, rnn
    rng = np.random.default_rng(3)
    x, h0, params = (rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng))
    backward = lambda dhs, cache: buggy.backward(dhs, cache, ('skip', 'W_hh', 2))
    name, t = locate_bug(backward, x, h0, params)
    assert (name, int(t)) == ('W_hh', 2), f'got {(name, t)}'

