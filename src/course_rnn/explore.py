"""Interactive figures: an ipywidgets control and the plot it redraws.

Each returns a widget whose saved state shows its first plot, so the static site has a
useful figure even without a running kernel.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from . import plots, trajectories
from .numpy import jacobians, optim

LABEL = {"description_width": "initial"}  # labels shown whole, not cut to the default width


def gradient_norm_explorer(x, W_xh, W_hh, sigma=1.5, activation="tanh"):
    """A slider for sigma_max(W_hh) and a menu for the activation, redrawing ||dh_T/dh_t|| against the lag.

    Inputs: x (N, T, D) inputs; W_xh (D, H); W_hh (H, H), rescaled to the slider's spectral norm.
    """
    lags = np.arange(x.shape[1] + 1)

    def draw(sigma, activation):
        params = {"W_xh": W_xh, "W_hh": jacobians.with_spectral_norm(W_hh, sigma), "b_h": np.zeros(W_hh.shape[0])}
        norms = jacobians.gradient_norms(x, np.zeros((x.shape[0], W_hh.shape[0])), params, activation)
        fig, ax = plt.subplots(figsize=(6, 3.2))
        ax.semilogy(lags, norms, label="measured")
        if activation in jacobians.GAMMA:
            ax.semilogy(lags, jacobians.bound(params["W_hh"], activation, lags), ":", label="bound (γσ)^k")
        ax.set(xlabel="lag T − t (steps)", ylabel="‖∂h_T / ∂h_t‖", ylim=(1e-20, 1e20),
               title=f"{activation}, σ_max(W_hh) = {sigma:.2f}")
        ax.legend()
        plots.show(fig, f"Log-scale plot of the gradient norm against the lag, {activation} activation, "
                        f"spectral norm of W_hh {sigma:.2f}: the norm is {norms[-1]:.1e} at lag {lags[-1]}"
                        + (f", under its bound {jacobians.bound(params['W_hh'], activation, lags)[-1]:.1e}."
                           if activation in jacobians.GAMMA else "."))

    return widgets.interactive(
        draw,
        sigma=widgets.FloatLogSlider(value=sigma, base=10, min=-0.6, max=1.0, step=0.02,
                                     description="σ_max(W_hh)", style=LABEL, continuous_update=False),
        activation=widgets.Dropdown(options=["tanh", "sigmoid", "relu"], value=activation,
                                    description="activation", style=LABEL),
    )


SURFACES = {  # name -> (function, start, xlim, ylim, contour levels, minimum)
    "elongated quadratic": (lambda xy: trajectories.elongated_quadratic(xy, b=50.0), (-4.5, 1.5), (-5, 1), (-2, 2),
                            np.geomspace(1e-3, 100, 11), (0, 0)),
    "Rosenbrock": (trajectories.rosenbrock, (-1.5, 2.0), (-2, 2), (-1, 3), np.geomspace(0.1, 2000, 12), (1, 1)),
}


def optimizer_paths_explorer(lr=0.01, beta=0.9, surface="elongated quadratic", steps=100):
    """Sliders for the learning rate and the momentum beta, a menu for the surface: redraws the paths of
    gradient descent, heavy-ball momentum and Nesterov momentum from the same start (``steps`` steps)."""

    def draw(lr, beta, surface):
        f, start, xlim, ylim, levels, minimum = SURFACES[surface]
        paths = {"gradient descent": trajectories.path(f, optim.SGD, start, steps, lr=lr),
                 f"momentum β = {beta:.2f}": trajectories.path(f, optim.SGD, start, steps, lr=lr, momentum=beta),
                 "Nesterov": trajectories.path(f, optim.SGD, start, steps, lr=lr, momentum=beta, nesterov=True)}
        fig, ax = plt.subplots(figsize=(6, 3.6))
        trajectories.draw(ax, f, paths, xlim, ylim, levels, minimum)
        final = ", ".join(f"{f(p[-1])[0]:.1e}" for p in paths.values())
        ax.set_title(f"{surface}, lr = {lr:.3g}: f after {steps} steps {final}", fontsize=9)
        ax.legend(fontsize=8, loc="upper right")
        plots.show(fig, f"Contour plot of the {surface} with the paths of gradient descent, momentum and "
                        f"Nesterov momentum from the same start, learning rate {lr:.3g}, momentum {beta:.2f}; "
                        f"the function's value after {steps} steps is {final} respectively.")

    return widgets.interactive(
        draw,
        lr=widgets.FloatLogSlider(value=lr, base=10, min=-4, max=-0.5, step=0.05, description="lr", style=LABEL,
                                  continuous_update=False),
        beta=widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01, description="β (momentum)", style=LABEL,
                                 continuous_update=False),
        surface=widgets.Dropdown(options=list(SURFACES), value=surface, description="surface", style=LABEL),
    )


def forget_bias_explorer(x, hidden_size=32, bias=3.0, seed=1):
    """A slider for the LSTM's forget-gate bias, redrawing ||dc_T/dc_(T-k)|| against the lag k for an untrained
    ``LSTMCell`` (float64, all paths, by autograd), beside a plain tanh RNN's ||dh_T/dh_(T-k)||.

    Inputs: x (N, T, D) float64 tensor of inputs; the cells are built with ``torch.manual_seed(seed)``.
    """
    import torch

    from .torch import LSTMCell, RNNCell
    from .torch.jacobians import state_jacobian_norms

    N, T, D = x.shape
    zeros = torch.zeros(N, hidden_size, dtype=torch.float64)
    torch.manual_seed(seed)
    rnn = state_jacobian_norms(RNNCell(D, hidden_size).double(), x, (zeros,)).numpy()
    lags = np.arange(1, T + 1)

    def draw(bias):
        torch.manual_seed(seed)
        cell = LSTMCell(D, hidden_size, forget_bias=bias).double()
        norms = state_jacobian_norms(cell, x, (zeros, zeros), component=1).numpy()
        fig, ax = plt.subplots(figsize=(6, 3.2))
        ax.semilogy(lags, norms, label=f"LSTM cell, forget bias {bias:g}")
        ax.semilogy(lags, rnn, ":", label="plain tanh RNN (‖∂h_T/∂h_(T−k)‖)")
        ax.set(xlabel="lag k (steps)", ylabel="‖∂c_T / ∂c_(T−k)‖", ylim=(1e-30, 1e4),
               title=f"σ(forget bias) = {1 / (1 + np.exp(-bias)):.3f}: lag {T} gives {norms[-1]:.1e}")
        ax.legend(fontsize=8)
        plots.show(fig, f"Log-scale plot of the LSTM cell's Jacobian norm against the lag for a forget-gate "
                        f"bias of {bias:g}, beside a plain tanh RNN's: at lag {T} the cell's norm is "
                        f"{norms[-1]:.1e}, the RNN's {rnn[-1]:.1e}.")

    return widgets.interactive(
        draw, bias=widgets.FloatSlider(value=bias, min=-2.0, max=8.0, step=0.5, description="forget bias", style=LABEL,
                                       continuous_update=False))


def gradient_reach_explorer(x, alpha=0.95, base=2, seed=1):
    """Sliders for the SCRN's α and the base of the Clockwork RNN's periods T_i = base^(i-1): redraws how much
    the last output of each untrained network depends on each earlier input (``input_reach``), beside a tanh
    RNN's. The networks are chapter 7's: 32 units of state each, the Clockwork RNN as 8 modules of 4 units,
    the SCRN as 24 hidden and 8 context units, each built after ``torch.manual_seed(seed)``.

    Inputs: x (N, T, D) float64 tensor.
    """
    import torch
    from torch import nn

    from .torch import SCRN, ClockworkRNN
    from .torch.jacobians import input_reach

    N, T, D = x.shape
    direction = torch.randn(N, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(2))  # r (N, H)
    torch.manual_seed(seed)
    rnn = input_reach(nn.RNN(D, 32, batch_first=True).double(), x, direction)
    lags = np.arange(T)

    def draw(alpha, base):
        torch.manual_seed(seed)
        clock = input_reach(ClockworkRNN(D, 4, 8, periods=[base ** i for i in range(8)]).double(), x, direction)
        torch.manual_seed(seed)
        scrn = input_reach(SCRN(D, 8, 24, alpha=alpha).double(), x, direction)
        fig, ax = plt.subplots(figsize=(7, 3.4))
        ax.semilogy(lags, rnn, lw=1, label="tanh RNN")
        ax.semilogy(lags, clock, lw=1, label=f"Clockwork RNN, periods {base}^(i−1)")
        ax.semilogy(lags, scrn, lw=1, label=f"SCRN, α = {alpha:.3f}")
        ax.semilogy(lags, scrn[-1] * alpha ** (lags - lags[-1]), ":", color=plots.OKABE_ITO["black"], lw=1,
                    label="α^k (through the last point)")
        ax.set(xlabel="lag k (steps before the last)", ylabel="‖∂(r·o_T)/∂x_(T−k)‖, mean", ylim=(1e-28, 10))
        ax.legend(fontsize=8, ncol=2)
        plots.show(fig, f"Log-scale plot of how much the last output of three untrained networks depends on the "
                        f"input k steps earlier: at lag {T - 1} the tanh RNN gives {rnn[-1]:.0e}, the Clockwork "
                        f"RNN with periods {base} to the power i−1 gives {clock[-1]:.0e}, and the SCRN with "
                        f"α = {alpha:.3f} gives {scrn[-1]:.0e}.")

    return widgets.interactive(
        draw,
        alpha=widgets.FloatSlider(value=alpha, min=0.5, max=0.995, step=0.005, readout_format=".3f",
                                  description="SCRN α", style=LABEL, continuous_update=False),
        base=widgets.IntSlider(value=base, min=1, max=4, description="Clockwork base", style=LABEL,
                               continuous_update=False),
    )


def temperature_explorer(model, vocab, prefix, temperature=1.0, top_k=0, shown=20, seed=0):
    """Sliders for the sampling temperature and top-k (0 = all), redrawing the next-character distribution
    after ``prefix`` (str) for a character model, with a 120-character sample drawn at those settings.

    model maps (ids (N, T), state) -> (logits (N, T, V), state), e.g. a trained ``CharLM``; vocab its
    ``CharVocabulary``.
    """
    import torch

    from .torch import decoding

    ids = torch.as_tensor(vocab.encode(prefix))
    with torch.no_grad():
        logits = model(ids[None])[0][:, -1]  # (1, V)

    def draw(temperature, top_k):
        k = top_k or None
        p = decoding.next_distribution(logits, temperature, k)[0].numpy()
        order = np.argsort(-p)[:shown]
        text = vocab.decode(decoding.sample(model, ids, 120, temperature, k,
                                            generator=torch.Generator().manual_seed(seed))[0])
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        ax.bar(range(shown), p[order])
        ax.set_xticks(range(shown), [repr(vocab.itos[i])[1:-1] for i in order], fontsize=8)
        entropy = -np.sum(p[p > 0] * np.log2(p[p > 0]))
        ax.set(xlabel=f"the {shown} most likely next characters", ylabel="probability", ylim=(0, 1),
               title=f"τ = {temperature:g}, top-k = {top_k or 'all'}: entropy {entropy:.2f} bits")
        plots.show(fig, f"Bar chart of the {shown} most likely characters after {prefix!r} at temperature "
                        f"{temperature:g} and top-k {top_k or 'all'}: the most likely, {vocab.itos[order[0]]!r}, "
                        f"has probability {p[order[0]]:.2f}; the entropy is {entropy:.2f} bits.")
        print(prefix + text)

    return widgets.interactive(
        draw,
        temperature=widgets.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.1, description="temperature τ",
                                        style=LABEL, continuous_update=False),
        top_k=widgets.IntSlider(value=top_k, min=0, max=20, step=1, description="top-k (0 = all)", style=LABEL,
                                continuous_update=False))
