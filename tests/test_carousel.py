"""The carousel path alone (the product of forget gates) against the whole derivative dc_T/dc_(T-k)."""
import pytest
import torch

from course_rnn.torch import LSTMCell
from course_rnn.torch.carousel import carousel_norms, forget_gates
from course_rnn.torch.jacobians import state_jacobian_norms


def _setup(seed=0, N=3, T=15, D=2, H=4, forget_bias=2.0, peepholes=False):
    torch.manual_seed(seed)
    cell = LSTMCell(D, H, peepholes=peepholes, forget_bias=forget_bias).double()
    x = torch.randn(N, T, D, dtype=torch.float64)
    zeros = torch.zeros(N, H, dtype=torch.float64)
    return cell, x, (zeros, zeros.clone())


def test_carousel_equals_the_whole_cell_jacobian_when_h_feeds_nothing_back():
    cell, x, state0 = _setup()
    with torch.no_grad():
        cell.W_h.zero_()                       # c_(t-1) then reaches c_t only through diag(f_t)
    whole = state_jacobian_norms(cell, x, state0, component=1)
    assert torch.allclose(carousel_norms(cell, x, state0), whole, rtol=1e-10, atol=0)


def test_carousel_is_smaller_than_the_whole_jacobian_when_h_feeds_back():
    cell, x, state0 = _setup(forget_bias=3.0)
    with torch.no_grad():
        cell.W_h.mul_(4.0)
    whole = state_jacobian_norms(cell, x, state0, component=1)
    assert not torch.allclose(carousel_norms(cell, x, state0), whole, rtol=1e-3)


def test_constant_gates_give_the_bias_sigmoid_to_the_power_k():
    cell, x, state0 = _setup(forget_bias=1.5)
    H = state0[0].shape[1]
    with torch.no_grad():
        cell.W_x.zero_()
        cell.W_h.zero_()
    f = torch.sigmoid(cell.b_x[H:2 * H] + cell.b_h[H:2 * H]).detach()    # (H,), the same at every step
    assert torch.allclose(forget_gates(cell, x, state0), f.expand(3, 15, H), rtol=1e-12)
    k = torch.arange(1, 16, dtype=torch.float64)
    assert torch.allclose(carousel_norms(cell, x, state0), f.max() ** k, rtol=1e-12)


def test_forget_gates_include_the_peephole_on_the_previous_cell():
    cell, x, state0 = _setup(peepholes=True)
    with torch.no_grad():
        cell.w_cf.fill_(5.0)
    h, c = state0
    expected = []
    for t in range(x.shape[1]):                # the gate from a step with and without the peephole term
        a = x[:, t] @ cell.W_x + cell.b_x + h @ cell.W_h + cell.b_h
        expected.append(torch.sigmoid(a[:, 4:8] + 5.0 * c).detach())
        h, c = cell(x[:, t], h, c)
    assert torch.allclose(forget_gates(cell, x, state0), torch.stack(expected, 1), rtol=1e-12)


def test_forget_gates_reject_a_two_dimensional_input():
    cell, x, state0 = _setup()
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        forget_gates(cell, x[:, 0], state0)
