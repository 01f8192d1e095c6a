"""Small notebook helpers that work in Jupyter, Colab and the book build alike."""
import numpy as np

SIGNIFICANT = 6


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the book's prose (myst-nb's ``{glue}`` role).

    NumPy scalars are stored as plain Python numbers, so that format specs such
    as ``{glue:text}`name:.2f``` work. Floats are rounded to ``SIGNIFICANT``
    significant digits: the stored output is compared in CI, and the last digits
    of a float differ between machines (BLAS kernels, allocators) while the prose
    never quotes them. Where myst-nb is not installed (e.g. on Colab) this does
    nothing visible.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        value = float(f"{value:.{SIGNIFICANT}g}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)
