r"""Optimizers on a dict of NumPy arrays, equal to ``torch.optim`` in float64.

An optimizer is built on the parameter dict and stepped with a gradient dict of the same
keys and shapes; ``step`` changes the arrays in place, so a model holding ``params`` sees
the new values::

    opt = Adam(params, lr=1e-3)
    for batch in batches:
        grads = ...              # same keys and shapes as params
        opt.step(grads)          # params updated in place
        opt.lr = cosine_lr(opt.t, 1e-3, T_max=100)   # a schedule only changes opt.lr

The arguments, their defaults and the order of the arithmetic are ``torch.optim``'s
(its single-tensor path), so the parameters agree with PyTorch's to float64 rounding.
Each class writes its whole update out, with its equation; $\theta$ is a parameter,
$g_t$ its gradient at step $t$ (counted from 1 in ``opt.t``), $\eta$ the learning rate
``lr`` and $\lambda$ the ``weight_decay``. ``opt.state[key]`` holds each parameter's
running averages under PyTorch's names (``momentum_buffer``, ``exp_avg``, ...).

Gradient clipping lives in :mod:`course_rnn.numpy.clip` and is re-exported here.
"""
import numpy as np

from .._checks import check_float_array
from .clip import clip_grad_norm, clip_grad_value

__all__ = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "clip_grad_norm", "clip_grad_value"]


def _at_least_zero(name, value, why=""):
    if not value >= 0:  # also catches NaN
        raise ValueError(f"{name} must be >= 0{why}; got {value}")


def _positive(name, value, why=""):
    if not value > 0:
        raise ValueError(f"{name} must be > 0{why}; got {value}")


def _check_betas(betas):
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
    for i, beta in enumerate(betas):
        if not 0 <= beta < 1:
            raise ValueError(f"betas[{i}] must be in [0, 1); got {beta}")


class _Optimizer:
    """What every optimizer shares: the params dict, per-key state, the step count ``t``,
    the ``lr`` a schedule may change, and the checks on ``params`` and ``grads``."""

    def __init__(self, params, lr, weight_decay):
        if not isinstance(params, dict) or not params:
            raise ValueError(f"params must be a non-empty dict of arrays; got {type(params).__name__}")
        for key, theta in params.items():
            check_float_array(f"params['{key}']", theta)
        _at_least_zero("lr", lr, " (a negative rate would climb the loss)")
        _at_least_zero("weight_decay", weight_decay, " (a negative decay would grow the weights)")
        self.params, self.lr, self.weight_decay = params, lr, weight_decay
        self.state = {key: {} for key in params}
        self.t = 0

    def _check_grads(self, grads):
        """Raise ``ValueError`` unless ``grads`` has exactly the keys and shapes of ``params``."""
        if not isinstance(grads, dict):
            raise ValueError(f"grads must be a dict of arrays keyed like params; got {type(grads).__name__}")
        names = ", ".join(self.params)
        for key in grads:
            if key not in self.params:
                raise ValueError(f"grads has an entry '{key}' that params lacks (params has {names})")
        for key, theta in self.params.items():
            if key not in grads:
                raise ValueError(f"grads has no entry for '{key}' (params has {names})")
            check_float_array(f"grads['{key}']", grads[key])
            if grads[key].shape != theta.shape:
                raise ValueError(f"grads['{key}'] must have shape {theta.shape} like params['{key}']; "
                                 f"got {grads[key].shape}")


class SGD(_Optimizer):
    r"""Stochastic gradient descent with momentum, like ``torch.optim.SGD``.

    With momentum $\mu$ and dampening $\tau$, for every parameter:

    $$g_t \leftarrow g_t + \lambda\theta_{t-1}, \qquad
      b_t = \mu b_{t-1} + (1 - \tau)\, g_t \quad (b_1 = g_1),$$
    $$\theta_t = \theta_{t-1} - \eta\, b_t
      \quad\text{or, with Nesterov,}\quad \theta_t = \theta_{t-1} - \eta\,(g_t + \mu b_t).$$

    With ``momentum=0`` it is plain $\theta_t = \theta_{t-1} - \eta g_t$.
    State per key: ``momentum_buffer`` ($b$).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        super().__init__(params, lr, weight_decay)
        _at_least_zero("momentum", momentum)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening=0; "
                             f"got momentum={momentum}, dampening={dampening}")
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov

    def step(self, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        self._check_grads(grads)
        self.t += 1
        for key, theta in self.params.items():
            g, state = grads[key], self.state[key]
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta                  # g + lambda theta
            if self.momentum != 0:
                b = state.get("momentum_buffer")
                if b is None:                                      # b_1 = g_1, undampened
                    b = state["momentum_buffer"] = g.copy()
                else:
                    b *= self.momentum                             # b = mu b + (1 - tau) g
                    b += (1 - self.dampening) * g
                g = g + self.momentum * b if self.nesterov else b
            theta -= self.lr * g                                   # theta - eta g


class Adagrad(_Optimizer):
    r"""Adagrad (Duchi et al., 2011), like ``torch.optim.Adagrad``.

    Each entry's step is divided by the root of the sum of its squared gradients, so
    entries with large past gradients move less; the decayed rate is $\eta_t$:

    $$g_t \leftarrow g_t + \lambda\theta_{t-1}, \qquad
      \eta_t = \frac{\eta}{1 + (t - 1)\,\text{lr\_decay}}, \qquad s_t = s_{t-1} + g_t^2,$$
    $$\theta_t = \theta_{t-1} - \eta_t\, \frac{g_t}{\sqrt{s_t} + \epsilon},
      \qquad s_0 = \text{initial\_accumulator\_value}.$$

    State per key: ``sum`` ($s$).
    """

    def __init__(self, params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        super().__init__(params, lr, weight_decay)
        _at_least_zero("lr_decay", lr_decay)
        _at_least_zero("initial_accumulator_value", initial_accumulator_value, " (it starts a sum of squares)")
        _positive("eps", eps, " (it keeps the denominator away from zero)")
        self.lr_decay, self.eps = lr_decay, eps
        for key, theta in params.items():
            self.state[key]["sum"] = np.full_like(theta, initial_accumulator_value)

    def step(self, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        self._check_grads(grads)
        self.t += 1
        clr = self.lr / (1 + (self.t - 1) * self.lr_decay)         # eta_t
        for key, theta in self.params.items():
            g, s = grads[key], self.state[key]["sum"]
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta                  # g + lambda theta
            s += g * g                                             # s_t = s_{t-1} + g^2
            theta -= clr * g / (np.sqrt(s) + self.eps)             # theta - eta_t g / (sqrt(s) + eps)


class RMSprop(_Optimizer):
    r"""RMSprop (Tieleman & Hinton, 2012), like ``torch.optim.RMSprop``.

    A running average $v$ of squared gradients with smoothing $\alpha$ scales each step;
    ``centered`` subtracts the squared running mean $\bar g$ (an estimate of the variance):

    $$g_t \leftarrow g_t + \lambda\theta_{t-1}, \qquad v_t = \alpha v_{t-1} + (1 - \alpha)\, g_t^2,
      \qquad \bar g_t = \alpha \bar g_{t-1} + (1 - \alpha)\, g_t,$$
    $$d_t = \sqrt{v_t} + \epsilon \quad\text{or, centered,}\quad d_t = \sqrt{v_t - \bar g_t^2} + \epsilon,$$
    $$\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{d_t}
      \quad\text{or, with momentum } \mu,\quad b_t = \mu b_{t-1} + \frac{g_t}{d_t},\;
      \theta_t = \theta_{t-1} - \eta\, b_t .$$

    All averages start at zero. State per key: ``square_avg`` ($v$), ``grad_avg``
    ($\bar g$, when centered), ``momentum_buffer`` ($b$, when momentum > 0).
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        super().__init__(params, lr, weight_decay)
        if not 0 <= alpha <= 1:
            raise ValueError(f"alpha must be in [0, 1] (it weights the running average); got {alpha}")
        _positive("eps", eps, " (it keeps the denominator away from zero)")
        _at_least_zero("momentum", momentum)
        self.alpha, self.eps, self.momentum, self.centered = alpha, eps, momentum, centered
        for key, theta in params.items():
            self.state[key]["square_avg"] = np.zeros_like(theta)
            if centered:
                self.state[key]["grad_avg"] = np.zeros_like(theta)
            if momentum > 0:
                self.state[key]["momentum_buffer"] = np.zeros_like(theta)

    def step(self, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        self._check_grads(grads)
        self.t += 1
        a = self.alpha
        for key, theta in self.params.items():
            g, state = grads[key], self.state[key]
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta                  # g + lambda theta
            v = state["square_avg"]
            v *= a                                                 # v = alpha v + (1 - alpha) g^2
            v += (1 - a) * g * g
            if self.centered:
                g_bar = state["grad_avg"]
                g_bar += (1 - a) * (g - g_bar)                     # g_bar = alpha g_bar + (1 - alpha) g
                d = np.sqrt(v - g_bar * g_bar) + self.eps          # sqrt(v - g_bar^2) + eps
            else:
                d = np.sqrt(v) + self.eps                          # sqrt(v) + eps
            if self.momentum > 0:
                b = state["momentum_buffer"]
                b *= self.momentum                                 # b = mu b + g / d
                b += g / d
                theta -= self.lr * b                               # theta - eta b
            else:
                theta -= self.lr * g / d                           # theta - eta g / d


class Adam(_Optimizer):
    r"""Adam (Kingma & Ba, 2015), like ``torch.optim.Adam``: weight decay is an L2 term in $g$.

    Running averages of the gradient ($m$) and of its square ($v$), corrected for their
    start at zero:

    $$g_t \leftarrow g_t + \lambda\theta_{t-1}, \qquad m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t,
      \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,$$
    $$\hat v_t = \max(\hat v_{t-1}, v_t) \text{ with amsgrad, else } v_t, \qquad
      \theta_t = \theta_{t-1} - \frac{\eta}{1 - \beta_1^t}\,
      \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}.$$

    State per key: ``exp_avg`` ($m$), ``exp_avg_sq`` ($v$), ``max_exp_avg_sq`` ($\hat v$, amsgrad).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        super().__init__(params, lr, weight_decay)
        _check_betas(betas)
        _positive("eps", eps, " (it keeps the denominator away from zero)")
        self.betas, self.eps, self.amsgrad = tuple(betas), eps, amsgrad
        for key, theta in params.items():
            self.state[key].update(exp_avg=np.zeros_like(theta), exp_avg_sq=np.zeros_like(theta))
            if amsgrad:
                self.state[key]["max_exp_avg_sq"] = np.zeros_like(theta)

    def step(self, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        self._check_grads(grads)
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1 - beta1 ** self.t)                # eta / (1 - beta1^t)
        bias_correction2_sqrt = (1 - beta2 ** self.t) ** 0.5       # sqrt(1 - beta2^t)
        for key, theta in self.params.items():
            g, state = grads[key], self.state[key]
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta                  # g + lambda theta
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m += (1 - beta1) * (g - m)                 # m = beta1 m + (1 - beta1) g, as torch lerps it
            v *= beta2                                             # v = beta2 v + (1 - beta2) g^2
            v += (1 - beta2) * g * g
            if self.amsgrad:
                v_hat = state["max_exp_avg_sq"]
                np.maximum(v_hat, v, out=v_hat)                    # v_hat = max(v_hat, v)
            else:
                v_hat = v
            denom = np.sqrt(v_hat) / bias_correction2_sqrt + self.eps
            theta -= step_size * m / denom


class AdamW(_Optimizer):
    r"""AdamW (Loshchilov & Hutter, 2019), like ``torch.optim.AdamW``: Adam with the weight
    decay taken out of the gradient and applied to the weights directly ("decoupled").

    $$\theta \leftarrow \theta\,(1 - \eta\lambda), \qquad m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t,
      \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,$$
    $$\hat v_t = \max(\hat v_{t-1}, v_t) \text{ with amsgrad, else } v_t, \qquad
      \theta_t = \theta - \frac{\eta}{1 - \beta_1^t}\,
      \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}.$$

    Unlike Adam's L2 term, the decay is not divided by $\sqrt{\hat v}$, so every weight
    shrinks at the same rate. Note the default ``weight_decay=0.01``.
    State per key: ``exp_avg`` ($m$), ``exp_avg_sq`` ($v$), ``max_exp_avg_sq`` ($\hat v$, amsgrad).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr, weight_decay)
        _check_betas(betas)
        _positive("eps", eps, " (it keeps the denominator away from zero)")
        self.betas, self.eps, self.amsgrad = tuple(betas), eps, amsgrad
        for key, theta in params.items():
            self.state[key].update(exp_avg=np.zeros_like(theta), exp_avg_sq=np.zeros_like(theta))
            if amsgrad:
                self.state[key]["max_exp_avg_sq"] = np.zeros_like(theta)

    def step(self, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys and shapes)."""
        self._check_grads(grads)
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1 - beta1 ** self.t)                # eta / (1 - beta1^t)
        bias_correction2_sqrt = (1 - beta2 ** self.t) ** 0.5       # sqrt(1 - beta2^t)
        for key, theta in self.params.items():
            g, state = grads[key], self.state[key]
            theta *= 1 - self.lr * self.weight_decay               # theta (1 - eta lambda)
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m += (1 - beta1) * (g - m)                 # m = beta1 m + (1 - beta1) g, as torch lerps it
            v *= beta2                                             # v = beta2 v + (1 - beta2) g^2
            v += (1 - beta2) * g * g
            if self.amsgrad:
                v_hat = state["max_exp_avg_sq"]
                np.maximum(v_hat, v, out=v_hat)                    # v_hat = max(v_hat, v)
            else:
                v_hat = v
            denom = np.sqrt(v_hat) / bias_correction2_sqrt + self.eps
            theta -= step_size * m / denom
