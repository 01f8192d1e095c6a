"""GRU and LSTM in NumPy: float64 gradient checks of every parameter, parity with torch.nn.GRU/LSTM."""
import numpy as np
import pytest
import torch

from course_rnn.numpy import gradcheck, gru, lstm


def _data(N=2, T=4, D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng, rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rng.standard_normal((N, T, H))


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_backward_passes_the_float64_gradient_check_for_every_parameter(reset_after):
    rng, x, h0, dhs = _data()
    params = gru.init_params(3, 4, rng)
    loss = lambda: np.sum(gru.forward(x, h0, params, reset_after)[0] * dhs)  # noqa: E731
    dx, dh0, grads = gru.backward(dhs, gru.forward(x, h0, params, reset_after)[1])
    errors = gradcheck.check_gradients(loss, {**params, "x": x, "h0": h0}, {**grads, "x": dx, "h0": dh0},
                                       axes={"x": "NTD"})
    assert set(errors) == {"W_x", "W_h", "b_x", "b_h", "x", "h0"} and max(errors.values()) < 1e-7


def test_gru_time_step_check_passes_both_forms():
    rng, x, h0, _ = _data(seed=1)
    params = gru.init_params(3, 4, rng)
    for reset_after in (True, False):
        fwd = lambda x, h0, p: gru.forward(x, h0, p, reset_after)  # noqa: E731
        assert max(gradcheck.check_rnn_backward(fwd, gru.backward, x, h0, params).values()) < 1e-7


@pytest.mark.parametrize("peepholes", [False, True])
def test_lstm_backward_passes_the_float64_gradient_check_for_every_parameter(peepholes):
    rng, x, h0, dhs = _data(seed=2)
    c0 = rng.standard_normal(h0.shape)
    params = lstm.init_params(3, 4, rng, peepholes=peepholes)
    loss = lambda: np.sum(lstm.forward(x, h0, c0, params)[0] * dhs)  # noqa: E731
    dx, dh0, dc0, grads = lstm.backward(dhs, lstm.forward(x, h0, c0, params)[1])
    errors = gradcheck.check_gradients(loss, {**params, "x": x, "h0": h0, "c0": c0},
                                       {**grads, "x": dx, "h0": dh0, "c0": dc0}, axes={"x": "NTD"})
    expected = {"W_x", "W_h", "b_x", "b_h", "x", "h0", "c0"} | ({"w_ci", "w_cf", "w_co"} if peepholes else set())
    assert set(errors) == expected and max(errors.values()) < 1e-7


def _torch_grads(module, x, h0, dhs, c0=None):
    xt = torch.from_numpy(x).requires_grad_()
    h0t = torch.from_numpy(h0)[None].requires_grad_()
    if c0 is None:
        out, _ = module(xt, h0t)
        extra = []
    else:
        c0t = torch.from_numpy(c0)[None].requires_grad_()
        out, _ = module(xt, (h0t, c0t))
        extra = [c0t]
    (out * torch.from_numpy(dhs)).sum().backward()
    grads = {"W_x": module.weight_ih_l0.grad.T, "W_h": module.weight_hh_l0.grad.T,
             "b_x": module.bias_ih_l0.grad, "b_h": module.bias_hh_l0.grad}
    return out.detach().numpy(), xt.grad.numpy(), h0t.grad[0].numpy(), [e.grad[0].numpy() for e in extra], \
        {k: v.numpy() for k, v in grads.items()}


def test_gru_equals_torch_nn_gru_forward_and_every_gradient_in_float64():
    rng, x, h0, dhs = _data(N=3, T=5, D=3, H=4, seed=3)
    torch.manual_seed(0)
    module = torch.nn.GRU(3, 4, batch_first=True).double()
    params = gru.from_torch(module)
    hs, cache = gru.forward(x, h0, params)
    dx, dh0, grads = gru.backward(dhs, cache)
    out, dx_ref, dh0_ref, _, grads_ref = _torch_grads(module, x, h0, dhs)
    assert np.abs(hs - out).max() < 1e-10 and np.abs(dx - dx_ref).max() < 1e-10 and np.abs(dh0 - dh0_ref).max() < 1e-10
    for k in params:
        assert np.abs(grads[k] - grads_ref[k]).max() < 1e-10, k


def test_lstm_equals_torch_nn_lstm_forward_and_every_gradient_in_float64():
    rng, x, h0, dhs = _data(N=3, T=5, D=3, H=4, seed=4)
    c0 = rng.standard_normal(h0.shape)
    torch.manual_seed(1)
    module = torch.nn.LSTM(3, 4, batch_first=True).double()
    params = lstm.from_torch(module)
    hs, cache = lstm.forward(x, h0, c0, params)
    dx, dh0, dc0, grads = lstm.backward(dhs, cache)
    out, dx_ref, dh0_ref, (dc0_ref,), grads_ref = _torch_grads(module, x, h0, dhs, c0)
    for ours, ref in ((hs, out), (dx, dx_ref), (dh0, dh0_ref), (dc0, dc0_ref)):
        assert np.abs(ours - ref).max() < 1e-10
    for k in params:
        assert np.abs(grads[k] - grads_ref[k]).max() < 1e-10, k


def test_gru_reset_before_equals_cho_v3_written_in_torch():
    rng, x, h0, _ = _data(seed=5)
    params = gru.init_params(3, 4, rng)
    P = {k: torch.from_numpy(v) for k, v in params.items()}
    h, H = torch.from_numpy(h0), 4
    for t in range(x.shape[1]):
        gx = torch.from_numpy(x[:, t]) @ P["W_x"] + P["b_x"]
        r = torch.sigmoid(gx[:, :H] + h @ P["W_h"][:, :H] + P["b_h"][:H])
        z = torch.sigmoid(gx[:, H:2 * H] + h @ P["W_h"][:, H:2 * H] + P["b_h"][H:2 * H])
        n = torch.tanh(gx[:, 2 * H:] + (r * h) @ P["W_h"][:, 2 * H:] + P["b_h"][2 * H:])
        h = (1 - z) * n + z * h
    hs, _ = gru.forward(x, h0, params, reset_after=False)
    assert np.abs(hs[:, -1] - h.numpy()).max() < 1e-12


def test_the_two_gru_forms_differ_on_the_same_weights():
    rng, x, h0, _ = _data(seed=6)
    params = gru.init_params(3, 4, rng)
    assert np.abs(gru.forward(x, h0, params, True)[0] - gru.forward(x, h0, params, False)[0]).max() > 1e-3


def test_lstm_forget_bias_and_bad_shapes():
    params = lstm.init_params(3, 4, rng=0, forget_bias=1.0)
    reference = lstm.init_params(3, 4, rng=0)
    assert np.allclose(params["b_x"][4:8] - reference["b_x"][4:8], 1.0) and np.allclose(params["b_x"][:4], reference["b_x"][:4])
    with pytest.raises(ValueError, match=r"c0 must have shape \(N, H\) with N=2, H=4"):
        lstm.forward(np.zeros((2, 3, 3)), np.zeros((2, 4)), np.zeros((2, 5)), params)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D=3 to match W_x"):
        gru.forward(np.zeros((2, 3, 5)), np.zeros((2, 4)), gru.init_params(3, 4, 0))


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
@pytest.mark.parametrize("num_layers, bidirectional", [(1, False), (2, False), (1, True), (2, True)])
def test_from_scratch_torch_gated_networks_equal_torch_nn_outputs_and_gradients(kind, num_layers, bidirectional):
    from course_rnn import torch as ct
    torch.manual_seed(7)
    ref = getattr(torch.nn, kind)(3, 5, num_layers, batch_first=True, bidirectional=bidirectional).double()
    ours = getattr(ct, kind)(3, 5, num_layers, bidirectional).double().copy_from(ref)
    dirs = 2 if bidirectional else 1
    x = torch.randn(2, 6, 3, dtype=torch.float64)
    h0 = torch.randn(num_layers * dirs, 2, 5, dtype=torch.float64)
    state = (h0, torch.randn_like(h0)) if kind == "LSTM" else h0
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    out_ref, final_ref = ref(x1, state)
    out, final = ours(x2, state)
    assert torch.abs(out - out_ref).max() < 1e-12
    for a, b in zip(final if kind == "LSTM" else (final,), final_ref if kind == "LSTM" else (final_ref,)):
        assert torch.abs(a - b).max() < 1e-12
    w = torch.randn_like(out)
    (out_ref * w).sum().backward()
    (out * w).sum().backward()
    assert torch.abs(x1.grad - x2.grad).max() < 1e-12
    for layer in range(num_layers):
        for d, suffix in enumerate(["", "_reverse"][:dirs]):
            cell = ours.cells[layer * dirs + d]
            assert torch.abs(cell.W_h.grad - getattr(ref, f"weight_hh_l{layer}{suffix}").grad.T).max() < 1e-12
            assert torch.abs(cell.b_x.grad - getattr(ref, f"bias_ih_l{layer}{suffix}").grad).max() < 1e-12


def test_from_scratch_lstm_defaults_to_zero_states_and_peephole_cell_matches_numpy():
    from course_rnn import torch as ct
    torch.manual_seed(8)
    ref = torch.nn.LSTM(2, 3, batch_first=True)
    x = torch.randn(4, 5, 2)
    assert torch.allclose(ct.LSTM(2, 3).copy_from(ref)(x)[0], ref(x)[0], atol=1e-6)
    cell = ct.LSTMCell(3, 4, peepholes=True).double()
    params = {k: v.detach().numpy() for k, v in cell.named_parameters()}
    rng = np.random.default_rng(9)
    x_t, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    h_np, c_np, _ = lstm.step_forward(x_t, h, c, params)
    h_t, c_t = cell(torch.from_numpy(x_t), torch.from_numpy(h), torch.from_numpy(c))
    assert np.abs(h_np - h_t.detach().numpy()).max() < 1e-12 and np.abs(c_np - c_t.detach().numpy()).max() < 1e-12


def test_parameter_counts_are_four_and_three_times_an_rnns():
    from course_rnn import torch as ct
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    rnn_like = torch.nn.RNN(10, 20)  # two biases, as PyTorch counts
    assert count(ct.LSTM(10, 20)) == count(torch.nn.LSTM(10, 20)) == 4 * count(rnn_like)
    assert count(ct.GRU(10, 20)) == count(torch.nn.GRU(10, 20)) == 3 * count(rnn_like)
