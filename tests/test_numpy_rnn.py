"""The NumPy Elman RNN: gradient checks, parity with torch.nn.RNN, and input errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_rnn.numpy import gradcheck, rnn


def _problem(N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    params = rnn.init_params(D, H, rng)
    dhs = rng.standard_normal((N, T, H))  # upstream gradient: L = sum(hs * dhs)
    return x, h0, params, dhs


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_step_backward_passes_float64_gradient_check(activation):
    rng = np.random.default_rng(0)
    x_t, h_prev, params = rng.standard_normal((3, 4)), rng.standard_normal((3, 5)), rnn.init_params(4, 5, rng)
    dh = rng.standard_normal((3, 5))
    loss = lambda: np.sum(rnn.step_forward(x_t, h_prev, params, activation)[0] * dh)  # noqa: E731
    dx_t, dh_prev, grads = rnn.step_backward(dh, rnn.step_forward(x_t, h_prev, params, activation)[1])
    errors = gradcheck.check_gradients(loss, {"x_t": x_t, "h_prev": h_prev, **params},
                                       {"x_t": dx_t, "h_prev": dh_prev, **grads})
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_sequence_backward_passes_float64_gradient_check_for_every_parameter(activation):
    x, h0, params, dhs = _problem(2, 6, 3, 4, seed=1)
    loss = lambda: np.sum(rnn.forward(x, h0, params, activation)[0] * dhs)  # noqa: E731
    dx, dh0, grads = rnn.backward(dhs, rnn.forward(x, h0, params, activation)[1])
    errors = gradcheck.check_gradients(loss, {"x": x, "h0": h0, **params}, {"x": dx, "h0": dh0, **grads},
                                       axes={"x": "NTD", "h0": "NH"})
    assert set(errors) == {"x", "h0", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < 1e-7


def _torch_reference(x, h0, params, dhs, activation):
    """torch.nn.RNN with our weights: returns its hs, dx, dh0 and grads in the book's names."""
    D, H = params["W_xh"].shape
    module = torch.nn.RNN(D, H, nonlinearity=activation, batch_first=True).double()
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params["W_xh"].T))
        module.weight_hh_l0.copy_(torch.from_numpy(params["W_hh"].T))
        module.bias_ih_l0.copy_(torch.from_numpy(params["b_h"]))
        module.bias_hh_l0.zero_()
    xt = torch.from_numpy(x).requires_grad_()
    h0t = torch.from_numpy(h0)[None].requires_grad_()
    hs, _ = module(xt, h0t)
    (hs * torch.from_numpy(dhs)).sum().backward()
    grads = {"W_xh": module.weight_ih_l0.grad.T, "W_hh": module.weight_hh_l0.grad.T, "b_h": module.bias_ih_l0.grad}
    return module, hs.detach().numpy(), xt.grad.numpy(), h0t.grad[0].numpy(), {k: v.numpy() for k, v in grads.items()}


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_forward_and_every_gradient_match_torch_nn_rnn_in_float64(activation):
    x, h0, params, dhs = _problem(3, 7, 4, 5, seed=2)
    _, hs_ref, dx_ref, dh0_ref, grads_ref = _torch_reference(x, h0, params, dhs, activation)
    hs, cache = rnn.forward(x, h0, params, activation)
    dx, dh0, grads = rnn.backward(dhs, cache)
    assert np.max(np.abs(hs - hs_ref)) < 1e-10
    assert np.max(np.abs(dx - dx_ref)) < 1e-10
    assert np.max(np.abs(dh0 - dh0_ref)) < 1e-10
    for name in params:
        assert np.max(np.abs(grads[name] - grads_ref[name])) < 1e-10, name


def test_from_torch_reproduces_the_module_to_float64_rounding():
    torch.manual_seed(0)
    module = torch.nn.RNN(3, 4, batch_first=True).double()
    x = np.random.default_rng(3).standard_normal((2, 5, 3))
    ref, _ = module(torch.from_numpy(x))
    hs, _ = rnn.forward(x, np.zeros((2, 4)), rnn.from_torch(module))
    assert np.max(np.abs(hs - ref.detach().numpy())) < 1e-12


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 6), D=st.integers(1, 5), H=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_shapes_and_torch_parity_hold_for_random_sizes(N, T, D, H, seed):
    x, h0, params, dhs = _problem(N, T, D, H, seed)
    hs, cache = rnn.forward(x, h0, params)
    dx, dh0, grads = rnn.backward(dhs, cache)
    assert hs.shape == (N, T, H) and dx.shape == (N, T, D) and dh0.shape == (N, H)
    assert all(grads[k].shape == params[k].shape for k in params)
    _, hs_ref, dx_ref, _, grads_ref = _torch_reference(x, h0, params, dhs, "tanh")
    assert np.allclose(hs, hs_ref, atol=1e-10) and np.allclose(dx, dx_ref, atol=1e-10)
    assert np.allclose(grads["W_hh"], grads_ref["W_hh"], atol=1e-10)


@pytest.mark.parametrize("bad, message", [
    ("x_2d", r"x must have shape \(N, T, D\) with D=3 to match W_xh; got \(2, 3\)"),
    ("x_wrong_D", r"x must have shape \(N, T, D\) with D=3 to match W_xh; got \(2, 5, 4\)"),
    ("h0_wrong_H", r"h0 must have shape \(N, H\) with N=2, H=4 to match x and W_hh; got \(2, 3\)"),
    ("h0_wrong_N", r"h0 must have shape \(N, H\) with N=2, H=4 to match x and W_hh; got \(1, 4\)"),
    ("int_x", r"x must have a floating dtype"),
    ("missing_param", r"RNN params are missing \['b_h'\]"),
    ("bad_W_hh", r"params\['W_hh'\] must have shape \(H, H\) with H=4; got \(4, 3\)"),
])
def test_bad_inputs_raise_value_errors_that_name_the_argument_and_shape(bad, message):
    x, h0, params, _ = _problem(2, 5, 3, 4, seed=4)
    if bad == "x_2d":
        x = x[:, 0]
    elif bad == "x_wrong_D":
        x = np.zeros((2, 5, 4))
    elif bad == "h0_wrong_H":
        h0 = np.zeros((2, 3))
    elif bad == "h0_wrong_N":
        h0 = np.zeros((1, 4))
    elif bad == "int_x":
        x = x.astype(np.int64)
    elif bad == "missing_param":
        del params["b_h"]
    elif bad == "bad_W_hh":
        params["W_hh"] = np.zeros((4, 3))
    with pytest.raises(ValueError, match=message):
        rnn.forward(x, h0, params)


def test_step_forward_rejects_a_sequence_passed_as_one_step():
    x, h0, params, _ = _problem(2, 5, 3, 4, seed=5)
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, D\)"):
        rnn.step_forward(x, h0, params)


def test_unknown_activation_is_rejected():
    x, h0, params, _ = _problem(2, 5, 3, 4, seed=6)
    with pytest.raises(ValueError, match="activation must be one of"):
        rnn.forward(x, h0, params, activation="softplus")
