"""Drawing primitives shared by every diagram: boxes, operation circles, state labels and routed arrows.

Coordinates are data units of an axes with equal aspect; a route is a list of points, and an arrow stops
at the edge of the shape it points to.
"""
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .style import INK, colour, fill

BOX = (0.74, 0.46)   # width, height of a gate box
RADIUS = 0.2         # an operation circle
LABEL = (0.72, 0.42)  # a state label


class Shape:
    """Where a node is drawn and how far an arrow must stop short of its centre."""

    def __init__(self, xy, half, round_=False):
        self.xy, self.half, self.round = np.asarray(xy, float), np.asarray(half, float), round_

    def edge(self, towards):
        """The point on the outline on the way from the centre to ``towards``."""
        d = np.asarray(towards, float) - self.xy
        length = np.hypot(*d)
        if length == 0:
            return self.xy
        if self.round:
            return self.xy + d / length * self.half[0]
        with np.errstate(divide="ignore"):
            t = min(self.half[0] / abs(d[0]) if d[0] else np.inf, self.half[1] / abs(d[1]) if d[1] else np.inf)
        return self.xy + d * min(t, 1.0)


def point(xy):
    """A place with no outline (a wire's end)."""
    return Shape(xy, (0, 0))


def box(ax, xy, text, key, size=BOX, fontsize=11):
    """A rounded box tinted with the key's colour, outlined in it, with ``text`` in dark ink."""
    w, h = size
    ax.add_patch(FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.08",
                                facecolor=fill(key), edgecolor=colour(key), linewidth=1.6, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, color=INK, zorder=4)
    return Shape(xy, (w / 2 + 0.03, h / 2 + 0.03))


def op(ax, xy, text, key, radius=None):
    """A white circle outlined in the key's colour with an operation symbol (⊙, +, 1−, ...)."""
    radius = radius or (RADIUS if len(text) < 2 else 0.27)  # room for 1− and 1−α
    ax.add_patch(Circle(xy, radius, facecolor="white", edgecolor=colour(key), linewidth=1.6, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize={1: 11, 2: 10}.get(len(text), 8.5), color=INK, zorder=4)
    return Shape(xy, (radius + 0.03, radius + 0.03), round_=True)


def state(ax, xy, text, key, size=LABEL):
    """A value entering or leaving: its symbol in a white box outlined in the state's colour."""
    w, h = size
    ax.add_patch(FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.16",
                                facecolor="white", edgecolor=colour(key), linewidth=1.2, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=11, color=INK, zorder=4)
    return Shape(xy, (w / 2 + 0.03, h / 2 + 0.03))


def wire(ax, start, end, via=(), key=None, width=1.4, dashed=False, arrow=True, label=None, label_at=None,
         label_side="right", zorder=2):
    """A line from shape ``start`` through the points ``via`` to shape ``end``, ending in an arrow head.

    ``label`` (a weight's symbol) is written beside the last segment's middle, or at ``label_at``.
    """
    points = [np.asarray(p, float) for p in via]
    first = start.edge(points[0] if points else end.xy)
    last = end.edge(points[-1] if points else start.xy)
    path = [first] + points + [last]
    style = dict(color=colour(key), linewidth=width, linestyle=(0, (4, 2.5)) if dashed else "-", zorder=zorder)
    for a, b in zip(path[:-2], path[1:-1]):
        ax.plot([a[0], b[0]], [a[1], b[1]], solid_capstyle="butt", **style)
    ax.add_patch(FancyArrowPatch(path[-2], path[-1], arrowstyle="-|>" if arrow else "-", mutation_scale=11,
                                 shrinkA=0, shrinkB=0, **style))
    if label:
        a, b = path[-2], path[-1]
        at = label_at if label_at is not None else (a + b) / 2
        offset = {"right": (0.08, 0, "left", "center"), "left": (-0.08, 0, "right", "center"),
                  "above": (0, 0.08, "center", "bottom"), "below": (0, -0.08, "center", "top")}[label_side]
        ax.text(at[0] + offset[0], at[1] + offset[1], label, ha=offset[2], va=offset[3], fontsize=9.5,
                color=INK, zorder=5, bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none",
                                               alpha=0.85))
    return path


def note(ax, xy, text, fontsize=9, ha="center", va="center", key=None, **kwargs):
    """Explanatory text in dark ink (or a key's colour)."""
    return ax.text(*xy, text, ha=ha, va=va, fontsize=fontsize, color=colour(key) if key else INK, zorder=5, **kwargs)


def frame(ax, xy0, xy1, key=None, label=None):
    """The cell's outline: a light rounded rectangle from corner ``xy0`` to ``xy1``."""
    (x0, y0), (x1, y1) = xy0, xy1
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.25",
                                facecolor="#FAFAFA", edgecolor="#BBBBBB", linewidth=1.0, zorder=0))
    if label:
        ax.text(x0 + 0.12, y1 - 0.12, label, ha="left", va="top", fontsize=9, color="#555555", zorder=1)
