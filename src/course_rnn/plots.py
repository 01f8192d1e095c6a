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


def show(fig, alt):
    """Display ``fig`` as a PNG image with ``alt`` as its alt text, and close it.

    matplotlib's inline display sets no alt text, and neither does ipywidgets' Output when the
    static site replays a widget's saved state; an ``<img>`` written out here carries it, live
    and on the site. Use it where a widget redraws a figure.
    """
    import base64
    import html
    import io

    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(HTML(f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'))
