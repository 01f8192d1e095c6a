"""Input checks that speak the learner's language.

Every public NumPy function checks its arguments with these helpers, so a wrong
shape raises ``ValueError("x must have shape (N, T, D) with D=8 to match W_xh;
got (4, 8)")`` instead of broadcasting silently.
"""
import numpy as np


def check_float_array(name, a):
    """Raise ``ValueError`` unless ``a`` is a floating-point NumPy array."""
    if not isinstance(a, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array; got {type(a).__name__}")
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"{name} must have a floating dtype (float32 or float64); got {a.dtype}")


def check_shape(name, a, expected, letters, why=""):
    """Raise ``ValueError`` unless ``a.shape`` matches ``expected``.

    Inputs:
    - name: the argument's name, e.g. ``"x"``.
    - a: the array.
    - expected: tuple of ints or ``None`` (any size) per axis.
    - letters: the axes' shape letters, e.g. ``"NTD"``.
    - why: what fixes the sizes, e.g. ``"to match W_xh"``.
    """
    check_float_array(name, a)
    ok = a.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, a.shape))
    if ok:
        return
    pins = dict((letter, e) for letter, e in zip(letters, expected) if e is not None)  # unique letters
    pinned = ", ".join(f"{letter}={e}" for letter, e in pins.items())
    detail = f" with {pinned}" if pinned else ""
    reason = f" {why}" if why and pinned else ""
    raise ValueError(
        f"{name} must have shape ({', '.join(letters)}){detail}{reason}; got {tuple(a.shape)}"
    )


def check_params(params, shapes, model):
    """Check a parameter dict against ``{name: (shape, letters)}``."""
    missing = sorted(set(shapes) - set(params))
    if missing:
        raise ValueError(f"{model} params are missing {missing}; expected keys {sorted(shapes)}")
    for key, (shape, letters) in shapes.items():
        check_shape(f"params['{key}']", params[key], shape, letters)
