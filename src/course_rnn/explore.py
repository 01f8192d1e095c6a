"""Interactive figures: an ipywidgets control and the plot it redraws.

Each returns a widget whose saved state shows its first plot, so the static site has a
useful figure even without a running kernel.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .numpy import jacobians


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
        plt.show()

    return widgets.interactive(
        draw,
        sigma=widgets.FloatLogSlider(value=sigma, base=10, min=-0.6, max=1.0, step=0.02,
                                     description="σ_max(W_hh)", continuous_update=False),
        activation=widgets.Dropdown(options=["tanh", "sigmoid", "relu"], value=activation, description="activation"),
    )
