from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="e = E[ids] (row ids[n] of E); h = tanh(e W_xh + h_prev W_hh + b_h); the next id is the argmax over the V logits h W_hy + b_y of each row.")
def test_greedy_step_public(greedy_step):
    import numpy as np
    from course_rnn.numpy import rnn
    copy = {'E': np.eye(3), 'W_xh': 2 * np.eye(3), 'W_hh': np.zeros((3, 3)), 'b_h': np.zeros(3), 'W_hy': np.eye(3), 'b_y': np.zeros(3)}
    ids = np.array([0, 2, 1, 2])
    next_ids, h = greedy_step(ids, np.zeros((4, 3)), copy)
    assert np.allclose(h, np.tanh(2 * np.eye(3)[ids])), 'e = E[ids], row ids[n] of E; h = tanh(e W_xh + ...)'
    assert np.array_equal(next_ids, ids), 'this model repeats its input: in each row the largest logit is at x'
    next_ids, _ = greedy_step(ids, np.zeros((4, 3)), {**copy, 'b_y': np.array([0.0, 0.0, 5.0])})
    assert np.array_equal(next_ids, [2, 2, 2, 2]), 'b_y = 5 on token 2 outweighs h W_hy (below tanh(2) < 1): argmax of o'
    rng = np.random.default_rng(0)
    params = {'E': rng.standard_normal((5, 2)), **rnn.init_params(2, 4, rng), 'W_hy': rng.standard_normal((4, 5)), 'b_y': rng.standard_normal(5)}
    ids, h_prev = (np.array([4, 0]), rng.standard_normal((2, 4)))
    _, h = greedy_step(ids, h_prev, params)
    want, _ = rnn.step_forward(params['E'][ids], h_prev, {k: params[k] for k in ('W_xh', 'W_hh', 'b_h')})
    assert np.allclose(h, want), "h = tanh(E[ids] W_xh + h_prev W_hh + b_h), chapter 1's step"

