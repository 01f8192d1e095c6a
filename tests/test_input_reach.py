"""input_reach (how much the last output depends on each input) and chapter 7's widget built on it."""
import numpy as np
import pytest
import torch
from torch import nn

from course_rnn import explore
from course_rnn.torch import SCRN
from course_rnn.torch.jacobians import input_reach


class LinearRecurrence(nn.Module):
    """h_t = a h_(t-1) + x_t W, so that d(r . h_T)/dx_(T-k) = a^k (W r), exactly."""

    def __init__(self, a, W):
        super().__init__()
        self.a, self.W = a, nn.Parameter(W)

    def forward(self, x):
        h, hs = x.new_zeros(x.shape[0], self.W.shape[1]), []
        for t in range(x.shape[1]):
            h = self.a * h + x[:, t] @ self.W
            hs.append(h)
        return torch.stack(hs, dim=1), h


def test_input_reach_is_the_lagged_derivative_of_a_linear_recurrence():
    generator = torch.Generator().manual_seed(0)
    N, T, D, H, a = 3, 12, 2, 4, 0.7
    W = torch.randn(D, H, dtype=torch.float64, generator=generator)
    x = torch.randn(N, T, D, dtype=torch.float64, generator=generator)
    r = torch.randn(N, H, dtype=torch.float64, generator=generator)
    reach = input_reach(LinearRecurrence(a, W), x, r)
    expected = (r @ W.T).norm(dim=1).mean().item() * a ** np.arange(T)   # lag k = 0 is the last input
    np.testing.assert_allclose(reach, expected, rtol=1e-12)


def test_input_reach_leaves_the_networks_parameters_without_gradients():
    network = nn.RNN(2, 3, batch_first=True).double()
    input_reach(network, torch.randn(2, 5, 2, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64))
    assert all(p.grad is None for p in network.parameters())


def test_the_scrn_context_reaches_further_back_as_alpha_approaches_one():
    x = torch.randn(4, 60, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    r = torch.randn(4, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    far = []
    for alpha in (0.8, 0.99):
        torch.manual_seed(0)
        far.append(input_reach(SCRN(3, 4, 8, alpha=alpha).double(), x, r)[-1])
    assert far[1] > 1e3 * far[0]


@pytest.mark.parametrize("alpha, base", [(0.95, 2), (0.5, 1), (0.995, 4)])
def test_gradient_reach_explorer_builds_with_its_two_controls(alpha, base):
    x = torch.randn(2, 20, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    widget = explore.gradient_reach_explorer(x, alpha=alpha, base=base)
    controls = {child.description: child.value for child in widget.children[:2]}
    assert controls == {"SCRN α": alpha, "Clockwork base": base}
