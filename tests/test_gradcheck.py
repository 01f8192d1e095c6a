"""The gradient checker: correct on known gradients, and its failures say where."""
import numpy as np
import pytest

from course_rnn.numpy import gradcheck, rnn


def test_numerical_gradient_of_a_quadratic_is_exact_to_rounding():
    A = np.random.default_rng(0).standard_normal((4, 4))
    x = np.random.default_rng(1).standard_normal(4)
    g_hat = gradcheck.numerical_gradient(lambda: x @ A @ x, x)
    assert gradcheck.rel_error((A + A.T) @ x, g_hat) < 1e-9


def test_numerical_gradient_restores_the_array():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    gradcheck.numerical_gradient(lambda: np.sum(x**3), x)
    assert np.array_equal(x, before)


def test_rel_error_is_zero_for_equal_and_one_for_opposite_gradients():
    g = np.array([1.0, -2.0])
    assert gradcheck.rel_error(g, g) == 0.0
    assert gradcheck.rel_error(g, -g) == pytest.approx(1.0)
    assert gradcheck.rel_error(np.zeros(2), np.zeros(2)) == 0.0


def test_rel_error_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.rel_error(np.zeros(3), np.zeros(4))


def test_a_broken_backward_fails_with_a_message_naming_the_array_entry_and_time_step():
    rng = np.random.default_rng(0)
    x, h0, params = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng)
    dhs = rng.standard_normal((2, 5, 4))
    loss = lambda: np.sum(rnn.forward(x, h0, params)[0] * dhs)  # noqa: E731
    dx, dh0, grads = rnn.backward(dhs, rnn.forward(x, h0, params)[1])
    dx[1, 3, 2] += 0.5  # a bug at sample n=1, time step t=3, input d=2
    with pytest.raises(AssertionError, match=r"gradient check failed for x: .* worst entry \(n=1, t=3, d=2\)"):
        gradcheck.check_gradients(loss, {"x": x}, {"x": dx}, axes={"x": "NTD"})


def test_kink_crossings_counts_only_the_steps_that_cross_zero_and_restores_the_array():
    x = np.array([0.0, 5e-4, 1.0, -1.0])
    pre = lambda: x.copy()  # noqa: E731  the kink is at x itself
    # 0 crosses on +eps, 5e-4 crosses on -eps (to -5e-4); 1 and -1 never cross
    assert gradcheck.kink_crossings(pre, x, eps=1e-3) == 2
    assert gradcheck.kink_crossings(pre, x, eps=1e-5) == 1  # 5e-4 - 1e-5 stays positive
    assert np.array_equal(x, [0.0, 5e-4, 1.0, -1.0])


def test_a_relu_rnn_at_its_kink_fails_the_check_for_b_h_whatever_eps():
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 4, 3, 4
    x = rng.standard_normal((N, T, D))
    x[:, 0] = 0.0
    params = {**rnn.init_params(D, H, rng), "b_h": np.zeros(H)}
    h0 = np.zeros((N, H))
    dhs = rng.standard_normal((N, T, H))
    loss = lambda: np.sum(rnn.forward(x, h0, params, "relu")[0] * dhs)  # noqa: E731
    pre = lambda: np.stack([c[2] for c in rnn.forward(x, h0, params, "relu")[1]], axis=1)  # noqa: E731
    g = rnn.backward(dhs, rnn.forward(x, h0, params, "relu")[1])[2]["b_h"]
    for eps in (1e-3, 1e-6):
        assert gradcheck.kink_crossings(pre, params["b_h"], eps) > 0
        assert gradcheck.rel_error(g, gradcheck.numerical_gradient(loss, params["b_h"], eps)) > 1e-3
