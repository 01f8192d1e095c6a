"""Small notebook helpers that work in Jupyter, Colab and the book build alike."""
import numpy as np


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the book's prose (myst-nb's ``{glue}`` role).

    NumPy scalars are stored as plain Python numbers, so that format specs such
    as ``{glue:text}`name:.2f``` work. Where myst-nb is not installed (e.g. on
    Colab) this does nothing visible.
    """
    if isinstance(value, np.generic):
        value = value.item()
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)
