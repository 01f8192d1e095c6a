r"""Optimizer paths on two-dimensional test functions, and the contour plot they are drawn on.

A test function takes points ``xy`` of shape (2, ...) and returns ``(f, grad)``, ``grad`` shaped
like ``xy``, so the same function gives one gradient for an optimizer step and a whole grid of
values for a contour plot. ``path`` runs any optimizer of :mod:`course_rnn.numpy.optim` on one::

    points = path(rosenbrock, optim.Adam, start=(-1.5, 2.0), steps=500, lr=0.05)   # (501, 2)
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
