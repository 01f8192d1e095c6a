"""Show the package's real source in a notebook, so the book and the code cannot drift.

``show_source(obj)`` returns a Markdown fenced code block: Jupyter, Colab and the
static site (myst-nb) all render it highlighted.
"""
import inspect
from pathlib import Path

from IPython.display import Markdown

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def source_location(obj):
    """``(path relative to src/, first line, last line)`` of a function, class or module.

    A decorated function (e.g. by ``torch.no_grad()``) is located by the function it wraps.
    """
    path = Path(inspect.getsourcefile(inspect.unwrap(obj))).resolve()
    lines, first = inspect.getsourcelines(obj)
    first = max(first, 1)  # modules report line 0
    return path.relative_to(_PACKAGE_ROOT).as_posix(), first, first + len(lines) - 1


def show_source(*objs):
    """Display the source of one or more package objects, each under a line naming its file."""
    parts = []
    for obj in objs:
        path, first, last = source_location(obj)
        name = f"{obj.__module__}.{obj.__qualname__}" if hasattr(obj, "__qualname__") else obj.__name__
        code = inspect.getsource(obj).rstrip()
        parts.append(f"`{name}` — `{path}`, lines {first}–{last}\n\n```python\n{code}\n```")
    return Markdown("\n\n".join(parts))
