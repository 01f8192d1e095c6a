"""The diagrams' one visual language: a colour per gate and state, fonts, and byte-stable SVG output.

Colours come from ``course_rnn.plots.OKABE_ITO``. A gate has the same colour in every diagram; gates
that do the same job share one: the forget gate f and the GRU's update gate z both keep the old state
(vermillion), the candidates g and n are both sky blue.
"""
import io
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

from ..plots import OKABE_ITO

COLOURS = {
    "x": "#555555", "h": OKABE_ITO["blue"], "c": OKABE_ITO["green"], "y": OKABE_ITO["black"],
    "s": OKABE_ITO["green"],
    "i": OKABE_ITO["orange"], "f": OKABE_ITO["vermillion"], "g": OKABE_ITO["sky"], "o": OKABE_ITO["purple"],
    "z": OKABE_ITO["vermillion"], "r": "#B8A800", "n": OKABE_ITO["sky"],
    "direct": OKABE_ITO["orange"], "recurrent": OKABE_ITO["vermillion"], None: "#555555",
}
FILLS = {  # light tints of the same colours, so black text on a box stays readable
    "h": "#CCE3F0", "c": "#CCECE3", "s": "#CCECE3", "y": "#E6E6E6",
    "i": "#FAECCC", "f": "#F7DFCC", "g": "#DDF0FB", "o": "#F5E4EE",
    "z": "#F7DFCC", "r": "#FCF9CF", "n": "#DDF0FB", None: "#F2F2F2",
}
INK = "#222222"
RC = {
    "font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans", "font.size": 10,
    "svg.fonttype": "path", "svg.hashsalt": "course-rnn", "svg.image_inline": True,
    "axes.unicode_minus": True, "path.simplify": False,
}


def colour(key):
    """The colour of a gate or state key ('i', 'f', 'h', ...); grey for anything else."""
    return COLOURS.get(key, COLOURS[None])


def fill(key):
    return FILLS.get(key, FILLS[None])


@contextmanager
def style():
    """The diagrams' rcParams, for the duration of a drawing (nothing global changes)."""
    with mpl.rc_context(RC):
        yield


def figure(width, height):
    """A Figure (no pyplot state) of ``width`` x ``height`` inches with one blank axes filling it."""
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    return fig, ax


def to_svg(fig):
    """The figure as SVG bytes, the same on every machine: no date, salted ids, text drawn as paths.

    Text as paths needs no font in the reader's browser (an ``<img>`` cannot use the page's fonts), and
    matplotlib's own DejaVu fonts make the bytes independent of the fonts installed.
    """
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    return buffer.getvalue()
