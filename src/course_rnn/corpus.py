"""The real text the course trains language models on, shipped with the package.

``read("shakespeare")`` is tinyshakespeare (1.1 million characters of Shakespeare's plays);
``read("tang_wujue")`` is the 3,725 five-character quatrains (五言绝句) of 全唐诗, one poem a line, in
traditional characters. ``corpora/README.md`` gives their sources, licences and every filtering step;
``tools/make_corpus.py`` makes them, and a test checks that it makes exactly these files.
"""
from importlib.resources import files

NAMES = ("shakespeare", "tang_wujue")


def read(name):
    """The whole corpus ``name`` (one of ``NAMES``) as one string."""
    if name not in NAMES:
        raise ValueError(f"corpus must be one of {NAMES}; got {name!r}")
    return files("course_rnn").joinpath("corpora", f"{name}.txt").read_text(encoding="utf-8")
