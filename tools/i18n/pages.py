"""The book's pages (from _toc.yml) and their translatable units, with where each one lives."""
import json
from pathlib import Path

import yaml

from segments import split

ROOT = Path(__file__).resolve().parents[2]
ZH = "zh"  # the Chinese book's source tree, a mirror of the English one
LOCALE = "zh_CN"


def pages(root=ROOT):
    """Every page of the English book, as its path without suffix (e.g. 'chapters/01_rnn')."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def source(page, root=ROOT):
    """The English source file of `page` (.ipynb or .md)."""
    for suffix in (".ipynb", ".md"):
        path = root / f"{page}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no .ipynb or .md for page {page!r} in {root}")


def catalog_path(page, root=ROOT):
    return root / "locales" / LOCALE / "LC_MESSAGES" / f"{page}.po"


def markdown_texts(path):
    """(text, where) for each Markdown text of a source: each Markdown cell of a notebook, or the file."""
    if path.suffix == ".md":
        return [(path.read_text(encoding="utf-8"), None)]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [("".join(c["source"]), i) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


BOOK = "_book"  # the catalog of the strings outside pages: the book's title, the captions of _toc.yml


def catalogs(root=ROOT):
    """Every catalog's name: one per page, and BOOK."""
    return pages(root) + [BOOK]


def book_strings(root=ROOT):
    """[(msgid, occurrence)] of the English strings outside pages."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [(config["title"], ("_config.yml", "title"))] + \
        [(part["caption"], ("_toc.yml", "caption")) for part in toc["parts"]]


def units(page, root=ROOT):
    """[(msgid, occurrence)] for `page`, in reading order; occurrence is (file, cell or line)."""
    if page == BOOK:
        return book_strings(root)
    path = source(page, root)
    rel = path.relative_to(root).as_posix()
    found = []
    for text, cell in markdown_texts(path):
        line = 1
        for segment in split(text):
            if segment.translatable:
                found.append((segment.text, (rel, f"cell{cell}" if cell is not None else str(line))))
            line += segment.text.count("\n")
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            found += [(text, (rel, f"cell{k}.{part}.{key}")) for part, key, text in figure_texts(cell)]
    return found


# Prose that lives in a code cell's metadata: myst-nb's figure caption and image alt text. The Chinese
# notebooks keep it byte-identical (English); the Chinese site shows the translation, applied while
# Sphinx reads the notebook (book/_ext/translated_figures.py).
FIGURE_TEXTS = (("figure", "caption"), ("image", "alt"))


def figure_texts(cell):
    """[(part, key, text)] of a code cell's translatable metadata."""
    mystnb = cell.get("metadata", {}).get("mystnb", {}) if cell["cell_type"] == "code" else {}
    return [(part, key, mystnb[part][key]) for part, key in FIGURE_TEXTS
            if isinstance(mystnb.get(part), dict) and isinstance(mystnb[part].get(key), str)]
