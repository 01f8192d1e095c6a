from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="h is the state after the last step of the whole stream (carried); with one window (T = L) the gradients are full BPTT's; with T < L they are the sum over windows of each window's BPTT from its carried start state (detached), which differs from full BPTT.")
def test_carried_gradients_public(carried_gradients):
    import numpy as np
    from course_rnn.numpy import rnn
    rng = np.random.default_rng(0)
    N, L, D, H, T = (2, 6, 3, 4, 2)
    x, h0, dhs = (rng.standard_normal((N, L, D)), rng.standard_normal((N, H)), rng.standard_normal((N, L, H)))
    params = rnn.init_params(D, H, rng)
    hs, cache = rnn.forward(x, h0, params)
    grads, h = carried_gradients(x, h0, params, dhs, T)
    assert set(grads) == {'W_xh', 'W_hh', 'b_h'}, f'grads must have the keys W_xh, W_hh, b_h; got {sorted(grads)}'
    assert np.allclose(h, hs[:, -1]), 'h must be the state after the whole stream: carry it from window to window'
    full = rnn.backward(dhs, cache)[2]
    one_window, _ = carried_gradients(x, h0, params, dhs, L)
    assert all((np.allclose(one_window[k], full[k]) for k in full)), "with one window (T = L) the gradients are full BPTT's"
    expected = {k: 0.0 for k in full}
    for s in range(0, L, T):
        _, window_cache = rnn.forward(x[:, s:s + T], h0 if s == 0 else hs[:, s - 1], params)
        for k, g in rnn.backward(dhs[:, s:s + T], window_cache)[2].items():
            expected[k] = expected[k] + g
    assert all((np.allclose(grads[k], expected[k]) for k in full)), "each window's backward must stop at its first step: detach"
    assert not np.allclose(grads['W_hh'], full['W_hh']), 'with T < L the gradients must differ from full BPTT'

