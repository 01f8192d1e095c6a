"""Plotting helpers: a colour-blind-safe palette and the course's figure style.

The palette is Okabe & Ito's (2008), distinguishable under the common forms of
colour blindness. Nothing is changed at import time: call ``use_style()``.
"""
import matplotlib as mpl
from cycler import cycler

OKABE_ITO = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
PALETTE = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]


def use_style():
    """Set matplotlib's colour cycle to ``PALETTE`` and a compact, readable figure style."""
    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "font.size": 10,
        "svg.hashsalt": "course-rnn",
    })
