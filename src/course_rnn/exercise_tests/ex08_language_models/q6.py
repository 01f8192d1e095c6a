from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="With v_a = 0 every score is 0: equal weights over the real positions and 0 at the pads; weights sum to 1; what a pad holds changes nothing; e_j = v_a . tanh(s_prev W_a + h_j U_a), softmaxed over the real positions.")
def test_additive_attention_public(additive_attention):
    import numpy as np
    rng = np.random.default_rng(0)
    N, S, H_s, H_h, A = (2, 4, 3, 2, 5)
    params = {'W_a': rng.standard_normal((H_s, A)), 'U_a': rng.standard_normal((H_h, A)), 'v_a': np.zeros(A)}
    s_prev, hs = (rng.standard_normal((N, H_s)), rng.standard_normal((N, S, H_h)))
    mask = np.array([[True, True, True, True], [True, True, False, False]])
    context, weights = additive_attention(s_prev, hs, mask, params)
    assert context.shape == (N, H_h) and weights.shape == (N, S), 'context (N, H_h), weights (N, S)'
    assert np.allclose(weights, [[0.25] * 4, [0.5, 0.5, 0, 0]]), 'equal scores: equal weights on the real positions'
    assert np.allclose(context, [hs[0].mean(axis=0), hs[1, :2].mean(axis=0)]), 'context = sum_j alpha_j h_j'
    params['v_a'] = rng.standard_normal(A)
    context, weights = additive_attention(s_prev, hs, mask, params)
    assert np.all(weights[1, 2:] == 0) and np.allclose(weights.sum(axis=1), 1), 'pads weigh exactly 0; rows sum to 1'
    junk = hs.copy()
    junk[1, 2:] = 1000.0
    for got, want in zip(additive_attention(s_prev, junk, mask, params), (context, weights)):
        assert np.allclose(got, want), 'what a pad holds must not change the result'
    e = np.tanh(s_prev[0] @ params['W_a'] + hs[0] @ params['U_a']) @ params['v_a']
    assert np.allclose(weights[0], np.exp(e) / np.exp(e).sum()), 'e_j = v_a . tanh(s_prev W_a + h_j U_a), then a softmax'

