"""Chapter 6's tools: the EWMA, the LSTM regressor, the optimizer paths and their widget."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_rnn import data, explore, trajectories
from course_rnn.numpy import ewma, gradcheck, optim, regressor


@settings(max_examples=25, deadline=None)
@given(T=st.integers(1, 40), beta=st.floats(0.0, 0.99), seed=st.integers(0, 1000))
def test_ewma_equals_the_weighted_sum_and_its_correction_divides_by_the_weights(T, beta, seed):
    values = np.random.default_rng(seed).standard_normal(T)
    lags = np.arange(T)[:, None] - np.arange(T)[None, :]  # t - k
    weights = np.where(lags >= 0, (1 - beta) * beta ** np.maximum(lags, 0), 0.0)
    direct = weights @ values  # v_t = (1 - beta) sum_k beta^(t-k) theta_k
    assert np.allclose(ewma.ewma(values, beta, bias_correction=False), direct)
    assert np.allclose(ewma.ewma(values, beta), direct / (1 - beta ** np.arange(1, T + 1)))


def test_corrected_ewma_of_a_constant_is_that_constant_and_bad_beta_is_refused():
    assert np.allclose(ewma.ewma(np.full(10, 3.5), 0.98), 3.5)
    with pytest.raises(ValueError, match="beta must be in"):
        ewma.ewma(np.ones(3), 1.0)


def test_regressor_gradients_pass_a_float64_gradient_check():
    rng = np.random.default_rng(0)
    x, y = data.adding_problem(3, 4, seed=1)
    params = regressor.init_params(2, 3, rng)
    _, grads = regressor.loss_and_grads(params, x, y)
    errors = gradcheck.check_gradients(lambda: regressor.loss_and_grads(params, x, y)[0], params, grads)
    assert max(errors.values()) < 1e-7 and sorted(errors) == ["W_h", "W_hy", "W_x", "b_h", "b_x", "b_y"]


def test_regressor_equals_torch_lstm_with_a_linear_read_out_loss_and_gradients():
    torch.manual_seed(0)
    lstm, head = torch.nn.LSTM(2, 5, batch_first=True).double(), torch.nn.Linear(5, 1).double()
    x, y = data.adding_problem(4, 6, seed=2)
    loss_t = ((head(lstm(torch.from_numpy(x))[0][:, -1])[:, 0] - torch.from_numpy(y)) ** 2).mean()
    loss_t.backward()
    loss, grads = regressor.loss_and_grads(regressor.from_torch(lstm, head), x, y)
    assert abs(loss - loss_t.item()) < 1e-12
    assert np.abs(grads["W_h"] - lstm.weight_hh_l0.grad.numpy().T).max() < 1e-12
    assert np.abs(grads["W_hy"] - head.weight.grad.numpy().T).max() < 1e-12


@pytest.mark.parametrize("f", [trajectories.rosenbrock,
                               lambda xy: trajectories.elongated_quadratic(xy, a=2.0, b=30.0, angle=0.7)])
def test_test_functions_gradients_match_central_differences(f):
    xy = np.array([-0.7, 1.3])
    numerical = gradcheck.numerical_gradient(lambda: f(xy)[0], xy)
    assert gradcheck.rel_error(f(xy)[1], numerical) < 1e-8


def test_a_turned_valley_has_the_same_values_on_the_turned_points():
    angle, xy = 0.6, np.random.default_rng(3).standard_normal((2, 5))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert np.allclose(trajectories.elongated_quadratic(turn @ xy, angle=angle)[0], trajectories.elongated_quadratic(xy)[0])


def test_path_follows_torch_optim_on_rosenbrock_and_stops_when_it_diverges():
    points = trajectories.path(trajectories.rosenbrock, optim.Adam, (-1.5, 2.0), 50, lr=0.05)
    xy = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam([xy], lr=0.05)
    for _ in range(50):
        adam.zero_grad()
        ((1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2).backward()
        adam.step()
    assert points.shape == (51, 2) and np.abs(points[-1] - xy.detach().numpy()).max() < 1e-12
    diverged = trajectories.path(trajectories.elongated_quadratic, optim.SGD, (1.0, 1.0), 500, lr=1.0)
    assert len(diverged) < 501 and not np.linalg.norm(diverged[-2]) >= 1e6


def test_optimizer_paths_explorer_builds_with_its_three_controls():
    widget = explore.optimizer_paths_explorer(steps=5)
    descriptions = [child.description for child in widget.children[:3]]
    assert descriptions == ["lr", "β (momentum)", "surface"]


def test_forget_bias_explorer_builds_and_its_curve_follows_the_bias():
    import torch
    from course_rnn.torch import LSTMCell
    from course_rnn.torch.jacobians import state_jacobian_norms
    x = torch.randn(2, 30, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    widget = explore.forget_bias_explorer(x, hidden_size=4, bias=2.0)
    assert widget.children[0].description == "forget bias" and widget.children[0].value == 2.0
    zeros = torch.zeros(2, 4, dtype=torch.float64)
    reach = []
    for bias in (0.0, 5.0):
        torch.manual_seed(1)
        reach.append(state_jacobian_norms(LSTMCell(3, 4, forget_bias=bias).double(), x, (zeros, zeros), 1)[-1].item())
    assert reach[1] > 100 * reach[0]  # an open forget gate keeps the cell's dependence alive


def test_largest_stable_rate_of_gradient_descent_on_a_parabola_is_the_last_grid_rate_below_two_over_b():
    b = 50.0                                    # f = b v^2 / 2: gradient descent multiplies v by 1 - eta b
    parabola = lambda xy: trajectories.elongated_quadratic(xy, a=0.0, b=b)
    grid = 10.0 ** np.arange(-3, -0.9, 0.125)
    largest = trajectories.largest_stable_lr(parabola, optim.SGD, (0.0, 1.0), 50, grid)
    assert largest <= 2 / b < grid[np.searchsorted(grid, largest) + 1]   # |1 - eta b| <= 1 exactly up to 2/b


def test_a_diverging_rate_is_unstable_and_an_all_unstable_grid_is_refused():
    assert not trajectories.stays_below_start(trajectories.rosenbrock, optim.SGD, (-1.5, 2.0), 2000, lr=0.01)
    assert trajectories.stays_below_start(trajectories.rosenbrock, optim.SGD, (-1.5, 2.0), 2000, lr=1e-4)
    with pytest.raises(ValueError, match="smallest rate"):
        trajectories.largest_stable_lr(trajectories.rosenbrock, optim.SGD, (-1.5, 2.0), 100, [0.01, 0.1])
    with pytest.raises(ValueError, match="increasing"):
        trajectories.largest_stable_lr(trajectories.rosenbrock, optim.SGD, (-1.5, 2.0), 100, [0.1, 0.01])
