"""Small notebook helpers that work in Jupyter, Colab and the book build alike."""


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the book's prose (myst-nb's ``{glue}`` role).

    Where myst-nb is not installed (e.g. on Colab) this does nothing visible.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)
