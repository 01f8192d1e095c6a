r"""Optimizer paths on two-dimensional test functions, and the contour plot they are drawn on.

A test function takes points ``xy`` of shape (2, ...) and returns ``(f, grad)``, ``grad`` shaped
like ``xy``, so the same function gives one gradient for an optimizer step and a whole grid of
values for a contour plot. ``path`` runs any optimizer of :mod:`course_rnn.numpy.optim` on one::

    points = path(rosenbrock, optim.Adam, start=(-1.5, 2.0), steps=500, lr=0.05)   # (501, 2)

``largest_stable_lr`` scans a grid of learning rates for the largest at which ``f`` never rises
above its value at the start, the rule chapter 6 uses to give each optimizer its rate.
"""
import numpy as np

from .plots import PALETTE


def elongated_quadratic(xy, a=1.0, b=25.0, angle=0.0):
    r"""An elliptic valley: $f = \tfrac12 (a u^2 + b v^2)$, with $(u, v)$ the point turned by ``-angle``.

    xy (2, ...) -> (f (...), grad (2, ...)). The curvatures are $a$ along the valley and $b$
    across it (condition number $b / a$); ``angle`` (radians) turns the valley away from the x axis.
    """
    c, s = np.cos(angle), np.sin(angle)
    x, y = xy[0], xy[1]
    u, v = c * x + s * y, -s * x + c * y  # coordinates along and across the valley
    f = 0.5 * (a * u ** 2 + b * v ** 2)
    grad = np.stack([a * u * c - b * v * s, a * u * s + b * v * c])  # chain rule through the turn
    return f, grad


def rosenbrock(xy, a=1.0, b=100.0):
    r"""Rosenbrock's banana valley, $f = (a - x)^2 + b (y - x^2)^2$, minimum 0 at $(a, a^2)$.

    xy (2, ...) -> (f (...), grad (2, ...)).
    """
    x, y = xy[0], xy[1]
    f = (a - x) ** 2 + b * (y - x ** 2) ** 2
    grad = np.stack([-2 * (a - x) - 4 * b * x * (y - x ** 2), 2 * b * (y - x ** 2)])
    return f, grad


def path(f, optimizer, start, steps, **options):
    """The points an optimizer visits on ``f``: start (2,) -> (steps + 1, 2), or fewer rows if it diverges.

    ``optimizer`` is a class of ``course_rnn.numpy.optim`` and ``options`` its arguments (lr, momentum,
    betas, ...). A run stops early once the point is farther than 1e6 from the origin.
    """
    params = {"xy": np.array(start, dtype=np.float64)}
    opt = optimizer(params, **options)
    points = [params["xy"].copy()]
    for _ in range(steps):
        opt.step({"xy": f(params["xy"])[1]})
        points.append(params["xy"].copy())
        if not np.linalg.norm(params["xy"]) < 1e6:  # diverged (or NaN): stop here
            break
    return np.array(points)


def stays_below_start(f, optimizer, start, steps, lr, **options):
    r"""Whether ``optimizer`` at rate ``lr`` is *stable* on ``f`` from ``start``: $f(\theta_t) \le f(\theta_0)$
    at every step $t = 1, \dots,$ ``steps`` (a NaN or an overflow counts as a rise).

    start (2,); ``options`` are the optimizer's other arguments (momentum, betas, ...). The run stops at
    the first rise, so an unstable rate costs only the steps up to it.
    """
    params = {"xy": np.array(start, dtype=np.float64)}
    opt = optimizer(params, lr=lr, **options)
    f0 = f(params["xy"])[0]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            value, grad = f(params["xy"])
            if not value <= f0:  # a rise above the start at step t, or NaN
                return False
            if t < steps:
                opt.step({"xy": grad})
    return True


def largest_stable_lr(f, optimizer, start, steps, grid, **options):
    """The largest rate of the increasing ``grid`` up to which every rate is stable (``stays_below_start``).

    grid (K,) increasing. The scan stops at the first unstable rate; a ValueError says when even the
    smallest rate of the grid is unstable.
    """
    grid = np.asarray(grid, dtype=np.float64)
    if grid.ndim != 1 or len(grid) == 0 or np.any(np.diff(grid) <= 0):
        raise ValueError(f"grid must be a non-empty increasing sequence of learning rates; got {grid}")
    largest = None
    for lr in grid:
        if not stays_below_start(f, optimizer, start, steps, lr, **options):
            break
        largest = float(lr)
    if largest is None:
        raise ValueError(f"even the smallest rate of the grid, {grid[0]:g}, is unstable: extend the grid down")
    return largest


def draw(ax, f, paths, xlim, ylim, levels, minimum=None):
    """Contours of ``f`` on ``ax`` (log-spaced ``levels``) and each path of ``paths`` {label: (K, 2)} over
    them, its last point marked with a larger dot."""
    X, Y = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 241))
    ax.contour(X, Y, f(np.stack([X, Y]))[0], levels=levels, colors="0.75", linewidths=0.7)
    for (label, points), colour in zip(paths.items(), PALETTE):
        ax.plot(points[:, 0], points[:, 1], ".-", color=colour, ms=2.5, lw=1, label=label)
        ax.plot(*points[-1], "o", color=colour, ms=6, mec="white", mew=0.8)  # where the path ends
    ax.plot(*paths[next(iter(paths))][0], "o", color="black", ms=4)  # the common start
    if minimum is not None:
        ax.plot(*minimum, "*", color="black", ms=9)
    ax.set(xlim=xlim, ylim=ylim, xlabel="θ₁", ylabel="θ₂")
