"""Chapter 3's tools: clipping equal to torch, initialisers, state Jacobians and their bound, the one-unit net."""
import numpy as np
import pytest
import torch

from course_rnn.numpy import clip, gradcheck, init, jacobians, one_unit, rnn


def _grads(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"W_xh": scale * rng.standard_normal((3, 4)), "W_hh": scale * rng.standard_normal((4, 4)),
            "b_h": scale * rng.standard_normal(4)}


@pytest.mark.parametrize("max_norm, scale", [(1.0, 1.0), (0.5, 10.0), (100.0, 1.0), (5.0, 1e-3)])
def test_clip_grad_norm_equals_torch_clip_grad_norm_and_returns_the_norm_before(max_norm, scale):
    grads = _grads(0, scale)
    tensors = [torch.tensor(g, requires_grad=True) for g in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g.copy())
    expected_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm).item()
    norm = clip.clip_grad_norm(grads, max_norm)
    assert norm == pytest.approx(expected_norm, rel=1e-12)
    for t, g in zip(tensors, grads.values()):
        assert np.allclose(g, t.grad.numpy(), rtol=1e-12, atol=0)


def test_clip_grad_value_equals_torch_clip_grad_value():
    grads = _grads(1, 3.0)
    tensors = [torch.tensor(g, requires_grad=True) for g in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g.copy())
    torch.nn.utils.clip_grad_value_(tensors, 0.7)
    clip.clip_grad_value(grads, 0.7)
    assert all(np.array_equal(g, t.grad.numpy()) for t, g in zip(tensors, grads.values()))


def test_clipping_rejects_bad_arguments():
    with pytest.raises(ValueError, match="max_norm must be positive"):
        clip.clip_grad_norm(_grads(0), 0.0)
    with pytest.raises(ValueError, match="grads must be a non-empty dict"):
        clip.clip_grad_value([np.zeros(3)], 1.0)


@pytest.mark.parametrize("scheme, variance", [
    ("lecun", lambda i, o: 1 / i), ("xavier", lambda i, o: 2 / (i + o)), ("he", lambda i, o: 2 / i),
    ("xavier_uniform", lambda i, o: 2 / (i + o)),
])
def test_initialisers_have_the_published_variance_and_xavier_matches_torch(scheme, variance):
    W = init.SCHEMES[scheme]((400, 300), rng=0)
    assert W.var() == pytest.approx(variance(400, 300), rel=0.02)
    if scheme == "xavier":
        t = torch.nn.init.xavier_normal_(torch.empty(300, 400, dtype=torch.float64))
        assert W.var() == pytest.approx(t.var().item(), rel=0.03)


def test_xavier_uniform_has_glorot_and_bengios_limits_like_torch():
    W = init.xavier_uniform((400, 300), rng=0)
    limit = np.sqrt(6 / 700)
    t = torch.nn.init.xavier_uniform_(torch.empty(300, 400, dtype=torch.float64))
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    assert np.abs(t.numpy()).max() <= limit and W.var() == pytest.approx(t.var().item(), rel=0.03)


@pytest.mark.parametrize("shape", [(6, 6), (8, 5), (5, 8)])
def test_orthogonal_init_has_all_singular_values_one(shape):
    W = init.orthogonal(shape, rng=1)
    assert W.shape == shape and np.allclose(np.linalg.svd(W, compute_uv=False), 1.0)


def test_rnn_params_builds_an_irnn_and_rejects_unknown_schemes():
    params = init.rnn_params(3, 5, rng=0, recurrent="identity", inputs="he")
    assert np.array_equal(params["W_hh"], np.eye(5)) and params["W_xh"].shape == (3, 5)
    with pytest.raises(ValueError, match="unknown initialisation 'glorot'"):
        init.rnn_params(3, 5, rng=0, recurrent="glorot")


def test_sigmoid_rnn_backward_passes_the_time_step_gradient_check():
    rng = np.random.default_rng(2)
    x, h0, params = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng)
    fwd = lambda x, h0, p: rnn.forward(x, h0, p, "sigmoid")  # noqa: E731
    # sigmoid gradients vanish fast (dh0 ~ 1e-5 here), so finite-difference noise is relatively larger
    assert max(gradcheck.check_rnn_backward(fwd, rnn.backward, x, h0, params, tol=1e-6).values()) < 1e-6


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradient_norms_equal_the_autograd_jacobian(activation):
    rng = np.random.default_rng(3)
    x, h0, params = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4)), rnn.init_params(3, 4, rng)
    norms = jacobians.gradient_norms(x, h0, params, activation)
    phi = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[activation]
    P = {k: torch.from_numpy(v) for k, v in params.items()}
    for k in (1, 3, 5):  # dh_T / dh_{T-k}
        per_sample = []
        for n in range(2):
            hs, _ = rnn.forward(x, h0, params, activation)
            start = torch.from_numpy(hs[n, 4 - k] if k < 5 else h0[n])

            def run(h, n=n, k=k):
                for t in range(5 - k, 5):
                    h = phi(torch.from_numpy(x[n, t]) @ P["W_xh"] + h @ P["W_hh"] + P["b_h"])
                return h
            J = torch.autograd.functional.jacobian(run, start)  # J[i, j] = dh_T[i] / dh[j]
            per_sample.append(np.linalg.norm(J.numpy(), 2))
        assert norms[k] == pytest.approx(np.mean(per_sample), rel=1e-10), f"lag {k}"


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_pascanu_bound_holds_for_every_lag(activation):
    rng = np.random.default_rng(4)
    x, h0, params = rng.standard_normal((8, 30, 3)), np.zeros((8, 6)), rnn.init_params(3, 6, rng)
    for sigma in (0.5, 1.0, 3.0, 6.0):
        params["W_hh"] = jacobians.with_spectral_norm(params["W_hh"], sigma)
        norms = jacobians.gradient_norms(x, h0, params, activation)
        assert np.all(norms <= jacobians.bound(params["W_hh"], activation, np.arange(31)) * (1 + 1e-9))


def test_relu_bound_is_sigma_max_to_the_lag_and_is_reached_by_the_irnn():
    # gamma = 1 for ReLU; with W_hh = I and every unit active the norm equals the bound, 1, at every lag
    rng = np.random.default_rng(5)
    params = {"W_xh": np.abs(rng.standard_normal((3, 6))), "W_hh": np.eye(6), "b_h": np.ones(6)}
    x = np.abs(rng.standard_normal((4, 20, 3)))
    norms = jacobians.gradient_norms(x, np.zeros((4, 6)), params, "relu")
    assert np.allclose(norms, jacobians.bound(params["W_hh"], "relu", np.arange(21)), rtol=1e-12)
    assert jacobians.bound(3 * np.eye(2), "relu", [2])[0] == pytest.approx(9.0)


def test_step_jacobians_are_in_numerator_layout():
    # entry (i, j) of dh_t/dh_{t-1} is dh_t[i]/dh_{t-1}[j], as torch.autograd.functional.jacobian returns it
    rng = np.random.default_rng(6)
    x, h0, params = rng.standard_normal((1, 1, 3)), rng.standard_normal((1, 4)), rnn.init_params(3, 4, rng)
    _, cache = rnn.forward(x, h0, params)
    P = {k: torch.from_numpy(v) for k, v in params.items()}
    J = torch.autograd.functional.jacobian(
        lambda h: torch.tanh(torch.from_numpy(x[0, 0]) @ P["W_xh"] + h @ P["W_hh"] + P["b_h"]), torch.from_numpy(h0[0]))
    assert np.allclose(jacobians.step_jacobians(cache)[0, 0], J.numpy(), rtol=1e-12, atol=1e-14)


def test_gradient_norms_at_chosen_lags_equal_the_full_curve():
    rng = np.random.default_rng(7)
    x, params = rng.standard_normal((3, 12, 3)), rnn.init_params(3, 5, rng)
    full = jacobians.gradient_norms(x, np.zeros((3, 5)), params)
    assert np.array_equal(jacobians.gradient_norms(x, np.zeros((3, 5)), params, lags=[12, 0, 5]), full[[12, 0, 5]])
    with pytest.raises(ValueError, match="lags must lie in 0..T = 0..12"):
        jacobians.gradient_norms(x, np.zeros((3, 5)), params, lags=[13])


def test_bound_rejects_an_activation_without_gamma():
    with pytest.raises(ValueError, match="gamma >= \\|phi'\\|"):
        jacobians.bound(np.eye(2), "softplus", [1])


def test_one_unit_network_gradient_is_exact():
    w, b = np.array([[2.0, 5.0]]), np.array([[-1.0, -2.5]])
    E, dw, db = one_unit.loss_and_grad(w, b)
    for k in range(2):
        for array, grad in ((w, dw), (b, db)):
            g_hat = gradcheck.numerical_gradient(lambda: one_unit.loss_and_grad(w, b)[0][0, k], array)[0, k]
            assert grad[0, k] == pytest.approx(g_hat, rel=1e-6, abs=1e-12)
