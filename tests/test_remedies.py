"""The Clockwork RNN and the SCRN do what defines them: clocks, masks, slow context, exact gradients."""
import numpy as np
import pytest
import torch
from torch.func import functional_call

from course_rnn.torch.clockwork import ClockworkRNN
from course_rnn.torch.scrn import SCRN


def _clockwork(D=3, k=2, g=5, periods=None, seed=0, dense=True):
    """A float64 Clockwork RNN; with ``dense`` its W_hh is filled everywhere, so only the mask can zero it."""
    torch.manual_seed(seed)
    cw = ClockworkRNN(D, k, g, periods).double()
    if dense:
        with torch.no_grad():
            cw.W_hh.copy_(torch.randn_like(cw.W_hh) / np.sqrt(k * g))
    return cw


def _blocks(k, g):
    return [slice(i * k, (i + 1) * k) for i in range(g)]


def test_clockwork_default_periods_double_from_one_and_tick_at_multiples_counted_from_zero():
    cw = ClockworkRNN(2, 3, 4)
    assert cw.periods == (1, 2, 4, 8)
    assert cw.active(0).tolist() == [True] * 4
    assert cw.active(6).tolist() == [True, True, False, False]
    assert cw.active(8).tolist() == [True] * 4


def test_clockwork_module_state_is_frozen_exactly_between_its_ticks_and_changes_at_them():
    k, g, T = 2, 5, 33  # periods 1..16; the slowest module ticks at t = 0, 16, 32
    cw = _clockwork(k=k, g=g)
    x, h0 = torch.randn(4, T, 3, dtype=torch.float64), torch.randn(4, k * g, dtype=torch.float64)
    hs, h_T = cw(x, h0)
    assert hs.shape == (4, T, k * g) and torch.equal(h_T, hs[:, -1])
    prev = torch.cat([h0[:, None], hs[:, :-1]], dim=1)  # (N, T, H): h_{t-1} for every t
    for i, (block, period) in enumerate(zip(_blocks(k, g), cw.periods), start=1):
        for t in range(T):
            same = torch.equal(hs[:, t, block], prev[:, t, block])
            if t % period:
                assert same, f"module {i} (period {period}) changed at step {t}, between its ticks"
            else:
                assert not same, f"module {i} (period {period}) did not update at its tick, step {t}"


def test_clockwork_matches_a_module_by_module_hand_computation_that_reads_only_slower_modules():
    k, g, T, D = 2, 4, 12, 3
    cw = _clockwork(D=D, k=k, g=g)
    x, h0 = torch.randn(2, T, D, dtype=torch.float64), torch.randn(2, k * g, dtype=torch.float64)
    hs, _ = cw(x, h0)
    W_xh, W_hh, b_h = (p.detach() for p in (cw.W_xh, cw.W_hh, cw.b_h))
    blocks, h = _blocks(k, g), h0.clone()
    for t in range(T):
        new = h.clone()
        for i in range(g):  # module i reads x_t, itself and the slower modules j >= i (paper: T_i <= T_j)
            if t % cw.periods[i] == 0:
                a = x[:, t] @ W_xh[:, blocks[i]] + b_h[blocks[i]]
                for j in range(i, g):
                    a = a + h[:, blocks[j]] @ W_hh[blocks[j], blocks[i]]
                new[:, blocks[i]] = torch.tanh(a)
        h = new
        assert torch.max(torch.abs(hs[:, t] - h)) < 1e-12, f"step {t}"


def test_clockwork_mask_is_block_lower_triangular_from_slower_rows_to_faster_columns():
    k, g = 3, 4
    cw = ClockworkRNN(2, k, g)
    blocks = _blocks(k, g)
    for j in range(g):  # j: the module read from h_{t-1} (row); i: the module written (column)
        for i in range(g):
            expected = 1.0 if j >= i else 0.0
            assert torch.all(cw.mask[blocks[j], blocks[i]] == expected), \
                f"mask block (from module {j + 1} to module {i + 1}) should be {expected}"
    assert torch.equal(cw.W_hh.detach() * cw.mask, cw.W_hh.detach()), "masked weights must start at 0"


def test_clockwork_masked_recurrent_weights_get_exactly_zero_gradient_and_the_others_do_not():
    k, g = 2, 4
    cw = _clockwork(k=k, g=g)
    hs, _ = cw(torch.randn(3, 20, 3, dtype=torch.float64), torch.randn(3, k * g, dtype=torch.float64))
    (hs * torch.randn_like(hs)).sum().backward()
    grad, blocks = cw.W_hh.grad, _blocks(k, g)
    assert torch.all(grad[cw.mask == 0] == 0), "a weight from a faster to a slower module got a gradient"
    for j in range(g):
        for i in range(j + 1):
            assert grad[blocks[j], blocks[i]].abs().sum() > 0, f"no gradient from module {j + 1} to {i + 1}"


def test_clockwork_with_all_periods_one_equals_torch_nn_rnn():
    D, k, g = 3, 2, 3
    torch.manual_seed(1)
    ref = torch.nn.RNN(D, k * g, batch_first=True).double()
    cw = ClockworkRNN(D, k, g, periods=[1] * g).double()
    assert torch.all(cw.mask == 1), "with equal periods every module hears every other"
    with torch.no_grad():
        cw.W_xh.copy_(ref.weight_ih_l0.T)
        cw.W_hh.copy_(ref.weight_hh_l0.T)
        cw.b_h.copy_(ref.bias_ih_l0 + ref.bias_hh_l0)
    x, h0 = torch.randn(4, 9, D, dtype=torch.float64), torch.randn(4, k * g, dtype=torch.float64)
    out_ref, hn_ref = ref(x, h0[None])
    hs, h_T = cw(x, h0)
    assert torch.max(torch.abs(hs - out_ref)) < 1e-12
    assert torch.max(torch.abs(h_T - hn_ref[0])) < 1e-12


@pytest.mark.parametrize("periods, message", [
    ([1, 2], "one entry per module"), ([2, 1, 4], "sorted by increasing period"), ([0, 1, 2], "positive"),
])
def test_clockwork_rejects_bad_periods(periods, message):
    with pytest.raises(ValueError, match=message):
        ClockworkRNN(2, 2, 3, periods)


def test_clockwork_rejects_inputs_and_states_of_the_wrong_shape():
    cw = ClockworkRNN(3, 2, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D=3 to match W_xh; got \(4, 5\)"):
        cw(torch.zeros(4, 5))
    with pytest.raises(ValueError, match=r"with D=3 to match W_xh; got \(4, 5, 2\)"):
        cw(torch.zeros(4, 5, 2))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) with N=4, H=4; got \(4, 3\)"):
        cw(torch.zeros(4, 5, 3), torch.zeros(4, 3))


def _gradcheck(module, x, state):
    """torch.autograd.gradcheck over x, the initial state(s) and every parameter, in float64."""
    names = [n for n, _ in module.named_parameters()]
    n_state = len(state)

    def f(x, *rest):
        states, params = rest[:n_state], dict(zip(names, rest[n_state:]))
        out, _ = functional_call(module, params, (x, states if n_state > 1 else states[0]))
        return out

    inputs = (x, *state, *(p.detach().clone() for p in module.parameters()))
    return torch.autograd.gradcheck(f, tuple(t.requires_grad_() for t in inputs))


def test_clockwork_gradients_pass_gradcheck():
    cw = _clockwork(D=2, k=2, g=3)
    assert _gradcheck(cw, torch.randn(2, 6, 2, dtype=torch.float64), (torch.randn(2, 6, dtype=torch.float64),))


def _scrn(D=3, C=4, H=5, alpha=0.95, seed=0):
    torch.manual_seed(seed)
    return SCRN(D, C, H, alpha).double()


@pytest.mark.parametrize("alpha", [0.95, 0.5])
def test_scrn_context_decays_by_exactly_alpha_per_step_without_input(alpha):
    scrn = _scrn(alpha=alpha)
    x = torch.zeros(2, 12, 3, dtype=torch.float64)
    x[:, 0] = torch.randn(2, 3, dtype=torch.float64)  # one input at step 0, then silence
    out, (h_T, s_T) = scrn(x)
    s = out[:, :, 5:]  # (N, T, C)
    assert torch.max(torch.abs(s[:, 0] - (1 - alpha) * x[:, 0] @ scrn.W_xs)) < 1e-12
    for t in range(12):
        assert torch.max(torch.abs(s[:, t] - alpha ** t * s[:, 0])) < 1e-12, f"step {t}"
    assert torch.equal(s_T, s[:, -1])


def test_scrn_matches_the_papers_equations_computed_by_hand_in_numpy():
    scrn = _scrn()
    rng = np.random.default_rng(0)
    x, h0, s0 = rng.standard_normal((2, 7, 3)), rng.standard_normal((2, 5)), rng.standard_normal((2, 4))
    out, (h_T, s_T) = scrn(torch.from_numpy(x), (torch.from_numpy(h0), torch.from_numpy(s0)))
    B, P, A, R = (getattr(scrn, n).detach().numpy().T for n in ("W_xs", "W_sh", "W_xh", "W_hh"))
    b, alpha = scrn.b_h.detach().numpy(), scrn.alpha
    h, s = h0.T, s0.T  # column vectors, as in the paper
    for t in range(7):
        s = (1 - alpha) * B @ x[:, t].T + alpha * s
        h = 1 / (1 + np.exp(-(P @ s + A @ x[:, t].T + R @ h + b[:, None])))
        assert np.max(np.abs(out[:, t, :5].detach().numpy() - h.T)) < 1e-12, f"h at step {t}"
        assert np.max(np.abs(out[:, t, 5:].detach().numpy() - s.T)) < 1e-12, f"s at step {t}"
    assert out.shape == (2, 7, 9) and h_T.shape == (2, 5) and s_T.shape == (2, 4)


def test_scrn_rejects_inputs_states_and_alpha_of_the_wrong_shape_or_range():
    scrn = SCRN(3, 4, 5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D=3"):
        scrn(torch.zeros(2, 6, 4))
    with pytest.raises(ValueError, match=r"state must be \(h0, s0\) with shapes \(N, H\) = \(2, 5\)"):
        scrn(torch.zeros(2, 6, 3), (torch.zeros(2, 4), torch.zeros(2, 4)))
    with pytest.raises(ValueError, match=r"alpha must lie in \[0, 1\]"):
        SCRN(3, 4, 5, alpha=1.5)


def test_scrn_gradients_pass_gradcheck():
    scrn = _scrn(D=2, C=3, H=2)
    state = (torch.randn(2, 2, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64))
    assert _gradcheck(scrn, torch.randn(2, 5, 2, dtype=torch.float64), state)
