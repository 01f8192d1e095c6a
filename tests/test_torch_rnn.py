"""The from-scratch torch RNN equals torch.nn.RNN; the NumPy deep/bidirectional/Jordan forwards equal torch."""
import numpy as np
import pytest
import torch

from course_rnn.numpy import deep, jordan
from course_rnn.torch import RNN, JordanRNN, device


@pytest.mark.parametrize("num_layers, bidirectional, nonlinearity", [
    (1, False, "tanh"), (2, False, "tanh"), (1, True, "tanh"), (3, True, "tanh"), (2, True, "relu"),
])
def test_from_scratch_rnn_matches_torch_nn_rnn_outputs_and_gradients(num_layers, bidirectional, nonlinearity):
    torch.manual_seed(0)
    ref = torch.nn.RNN(4, 5, num_layers, nonlinearity=nonlinearity, batch_first=True,
                       bidirectional=bidirectional).double()
    ours = RNN(4, 5, num_layers, nonlinearity, bidirectional).double().copy_from(ref)
    dirs = 2 if bidirectional else 1
    x = torch.randn(3, 6, 4, dtype=torch.float64)
    h0 = torch.randn(num_layers * dirs, 3, 5, dtype=torch.float64)
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    out_ref, hn_ref = ref(x1, h0)
    out, hn = ours(x2, h0)
    assert out.shape == (3, 6, dirs * 5) and hn.shape == (num_layers * dirs, 3, 5)
    assert torch.max(torch.abs(out - out_ref)) < 1e-12
    assert torch.max(torch.abs(hn - hn_ref)) < 1e-12
    w = torch.randn_like(out)
    (out_ref * w).sum().backward()
    (out * w).sum().backward()
    assert torch.max(torch.abs(x1.grad - x2.grad)) < 1e-12
    for layer in range(num_layers):
        for d, suffix in enumerate(["", "_reverse"][:dirs]):
            cell = ours.cells[layer * dirs + d]
            ref_w = getattr(ref, f"weight_hh_l{layer}{suffix}").grad.T
            assert torch.max(torch.abs(cell.W_hh.grad - ref_w)) < 1e-12, f"W_hh layer {layer}{suffix}"
            ref_b = getattr(ref, f"bias_ih_l{layer}{suffix}").grad
            assert torch.max(torch.abs(cell.b_h.grad - ref_b)) < 1e-12, f"b_h layer {layer}{suffix}"


def test_from_scratch_rnn_defaults_to_zero_initial_state_like_torch():
    torch.manual_seed(1)
    ref = torch.nn.RNN(2, 3, batch_first=True)
    ours = RNN(2, 3).copy_from(ref)
    x = torch.randn(4, 5, 2)
    assert torch.allclose(ours(x)[0], ref(x)[0], atol=1e-6)


def test_from_scratch_rnn_refuses_time_first_layout():
    with pytest.raises(ValueError, match="batch first"):
        RNN(2, 3, batch_first=False)


@pytest.mark.parametrize("num_layers, bidirectional", [(1, True), (2, False), (2, True)])
def test_numpy_stacked_and_bidirectional_forward_match_torch_nn_rnn(num_layers, bidirectional):
    torch.manual_seed(2)
    ref = torch.nn.RNN(3, 4, num_layers, batch_first=True, bidirectional=bidirectional).double()
    dirs = 2 if bidirectional else 1
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((2, 5, 3)), rng.standard_normal((num_layers * dirs, 2, 4))
    out_ref, hn_ref = ref(torch.from_numpy(x), torch.from_numpy(h0))
    out, hn = deep.stacked_forward(x, h0, deep.from_torch(ref))
    assert np.max(np.abs(out - out_ref.detach().numpy())) < 1e-12
    assert np.max(np.abs(hn - hn_ref.detach().numpy())) < 1e-12


def test_numpy_jordan_forward_matches_torch_jordan_module():
    torch.manual_seed(3)
    module = JordanRNN(3, 5, 2).double()
    params = {k: v.detach().numpy() for k, v in module.named_parameters()}
    rng = np.random.default_rng(1)
    x, y0 = rng.standard_normal((4, 6, 3)), rng.standard_normal((4, 2))
    hs, ys = jordan.forward(x, y0, params)
    hs_ref, ys_ref = module(torch.from_numpy(x), torch.from_numpy(y0))
    assert hs.shape == (4, 6, 5) and ys.shape == (4, 6, 2)
    assert np.max(np.abs(ys - ys_ref.detach().numpy())) < 1e-12
    assert np.max(np.abs(hs - hs_ref.detach().numpy())) < 1e-12


def test_jordan_network_feeds_back_its_output_not_its_hidden_state():
    params = jordan.init_params(1, 3, 2, rng=0)
    x = np.zeros((1, 3, 1))
    _, ys = jordan.forward(x, np.zeros((1, 2)), params)
    h2, y2 = jordan.step_forward(x[:, 1], ys[:, 0], params)  # step 2 sees only y_1
    assert np.allclose(y2, ys[:, 1])


def test_jordan_rejects_an_output_of_the_wrong_size():
    params = jordan.init_params(3, 4, 2, rng=0)
    with pytest.raises(ValueError, match=r"y0 must have shape \(N, O\) with N=5, O=2"):
        jordan.forward(np.zeros((5, 7, 3)), np.zeros((5, 3)), params)


def test_device_returns_a_usable_torch_device():
    d = device()
    assert isinstance(d, torch.device)
    assert torch.ones(2, device=d).sum().item() == 2.0
