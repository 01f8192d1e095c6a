"""BPTT tools: the time-step-naming gradient check, the broken backwards it catches, truncated BPTT."""
import numpy as np
import pytest
import torch

from course_rnn.numpy import buggy, gradcheck, rnn, truncated
from course_rnn.torch import RNN, truncated_backward


def _problem(N=2, T=5, D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rnn.init_params(D, H, rng)


def test_time_step_gradient_check_passes_the_real_backward():
    x, h0, params = _problem()
    errors = gradcheck.check_rnn_backward(rnn.forward, rnn.backward, x, h0, params)
    assert set(errors) == {"W_xh", "W_hh", "b_h", "x", "h0"} and max(errors.values()) < 1e-8


@pytest.mark.parametrize("bug, message", [
    (("skip", "W_hh", 3), r"for W_hh: the loss at time step t=3 is the first whose gradient is wrong"),
    (("skip", "b_h", 5), r"for b_h: the loss at time step t=5 is the first"),
    (("immediate_only",), r"for h0: the loss at time step t=1 is the first"),
    (("wrong_derivative",), r"for W_xh: the loss at time step t=1 is the first"),
])
def test_time_step_gradient_check_names_the_parameter_and_step_of_each_bug(bug, message):
    x, h0, params = _problem()
    with pytest.raises(AssertionError, match=message):
        gradcheck.check_rnn_backward(rnn.forward, lambda dhs, cache: buggy.backward(dhs, cache, bug), x, h0, params)


def test_buggy_backward_without_a_bug_is_the_real_backward():
    x, h0, params = _problem()
    hs, cache = rnn.forward(x, h0, params)
    dhs = np.random.default_rng(1).standard_normal(hs.shape)
    ref, ours = rnn.backward(dhs, cache), buggy.backward(dhs, cache, ("none",))
    assert np.allclose(ref[0], ours[0]) and np.allclose(ref[1], ours[1])
    assert all(np.allclose(ref[2][k], ours[2][k]) for k in params)


@pytest.mark.parametrize("T, k1, k2, expected", [
    (6, 2, 3, [(1, 0, 0), (3, 2, 1), (5, 4, 3)]),
    (5, 2, 2, [(1, 0, 0), (3, 2, 2), (4, 4, 3)]),
    (4, 4, 10, [(3, 0, 0)]),
])
def test_windows_cover_every_loss_once(T, k1, k2, expected):
    assert truncated.windows(T, k1, k2) == expected


def test_windows_reject_k2_below_k1():
    with pytest.raises(ValueError, match="1 <= k1 <= k2"):
        truncated.windows(5, 3, 2)


def test_tbptt_with_whole_sequence_windows_is_full_bptt():
    x, h0, params = _problem(T=6)
    hs, cache = rnn.forward(x, h0, params)
    dhs = np.random.default_rng(2).standard_normal(hs.shape)
    (only,) = truncated.backward(dhs, cache, k1=6, k2=6)
    full = rnn.backward(dhs, cache)[2]
    assert all(np.allclose(only[k], full[k], atol=1e-12) for k in params)


def test_tbptt_with_k2_equal_1_drops_the_total_derivative():
    x, h0, params = _problem(T=6)
    hs, cache = rnn.forward(x, h0, params)
    dhs = np.random.default_rng(3).standard_normal(hs.shape)
    summed = {k: sum(u[k] for u in truncated.backward(dhs, cache, k1=1, k2=1)) for k in params}
    immediate = buggy.backward(dhs, cache, ("immediate_only",))[2]
    assert all(np.allclose(summed[k], immediate[k], atol=1e-12) for k in params)


@pytest.mark.parametrize("k1, k2", [(1, 1), (2, 3), (3, 3), (1, 4), (2, 7), (7, 7)])
def test_torch_tbptt_equals_numpy_tbptt_in_float64(k1, k2):
    x, h0, params = _problem(N=3, T=7, D=2, H=4, seed=4)
    hs, cache = rnn.forward(x, h0, params)
    dhs = np.random.default_rng(5).standard_normal(hs.shape)
    expected = {k: sum(u[k] for u in truncated.backward(dhs, cache, k1, k2)) for k in params}
    cell = RNN(2, 4).double().cells[0]
    with torch.no_grad():
        for k in params:
            getattr(cell, k).copy_(torch.from_numpy(params[k]))
    g = torch.from_numpy(dhs)
    states, _ = truncated_backward(cell, torch.from_numpy(x), torch.from_numpy(h0),
                                   lambda t, h: (h * g[:, t]).sum(), k1, k2)
    assert np.allclose(torch.stack(states, 1).numpy(), hs, atol=1e-12)
    for k in params:
        assert np.allclose(getattr(cell, k).grad.numpy(), expected[k], atol=1e-10), f"{k} with k1={k1}, k2={k2}"
