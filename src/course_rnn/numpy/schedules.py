r"""Learning-rate schedules as pure functions of the step number, equal to PyTorch's schedulers.

Each function gives the learning rate for step (or epoch) $t = 0, 1, 2, \dots$ from the
initial rate $\eta_0$; a training loop sets it before each update::

    for t in range(steps):
        opt.lr = warmup_cosine_lr(t, 1e-3, warmup_steps=5, T_max=95)
        opt.step(grads)

They equal ``torch.optim.lr_scheduler``'s ``StepLR``, ``CosineAnnealingLR``, ``LinearLR``
and ``SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmup_steps])`` after $t$
calls of ``scheduler.step()`` (to float64 rounding: PyTorch updates the rate recursively,
these use the closed forms it documents).
"""
import math
from numbers import Integral


def _check(lr0, **counts):
    if not lr0 >= 0:
        raise ValueError(f"lr0 must be >= 0; got {lr0}")
    for name, value in counts.items():
        if not (isinstance(value, Integral) and value > 0):
            raise ValueError(f"{name} must be a positive whole number of steps; got {value!r}")


def step_lr(step, lr0, step_size, gamma=0.1):
    r"""Decay by ``gamma`` every ``step_size`` steps, like ``StepLR``:
    $\eta_t = \eta_0 \, \gamma^{\lfloor t / \text{step\_size} \rfloor}$."""
    _check(lr0, step_size=step_size)
    return lr0 * gamma ** (step // step_size)


def cosine_lr(step, lr0, T_max, eta_min=0.0):
    r"""Half a cosine from ``lr0`` down to ``eta_min`` over ``T_max`` steps, like ``CosineAnnealingLR``:

    $$\eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min}) \left(1 + \cos\frac{\pi t}{T_{\max}}\right).$$

    Past ``T_max`` the cosine climbs back up, as PyTorch's does.
    """
    _check(lr0, T_max=T_max)
    return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * step / T_max)) / 2


def linear_warmup(step, lr0, warmup_steps, start_factor=1.0 / 3, end_factor=1.0):
    r"""Ramp linearly from ``start_factor * lr0`` to ``end_factor * lr0`` over ``warmup_steps``
    steps, then stay there, like ``LinearLR(total_iters=warmup_steps)``:

    $$\eta_t = \eta_0 \left(s + (e - s) \frac{\min(t, \text{warmup\_steps})}{\text{warmup\_steps}}\right).$$
    """
    _check(lr0, warmup_steps=warmup_steps)
    if not 0 < start_factor <= 1:
        raise ValueError(f"start_factor must be in (0, 1] (the first rate is start_factor * lr0); got {start_factor}")
    if not 0 <= end_factor <= 1:
        raise ValueError(f"end_factor must be in [0, 1]; got {end_factor}")
    return lr0 * (start_factor + (end_factor - start_factor) * min(warmup_steps, step) / warmup_steps)


def warmup_cosine_lr(step, lr0, warmup_steps, T_max, start_factor=1.0 / 3, eta_min=0.0):
    r"""Linear warm-up for ``warmup_steps`` steps, then cosine decay over ``T_max`` steps, like
    ``SequentialLR([LinearLR(total_iters=warmup_steps), CosineAnnealingLR(T_max)],
    milestones=[warmup_steps])``:

    $$\eta_t = \text{linear\_warmup}(t) \text{ for } t < \text{warmup\_steps}, \qquad
      \eta_t = \text{cosine\_lr}(t - \text{warmup\_steps}) \text{ after}.$$
    """
    _check(lr0, warmup_steps=warmup_steps, T_max=T_max)
    if step < warmup_steps:
        return linear_warmup(step, lr0, warmup_steps, start_factor)
    return cosine_lr(step - warmup_steps, lr0, T_max, eta_min)
