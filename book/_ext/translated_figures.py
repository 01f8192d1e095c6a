"""The Chinese site's figure captions and alt texts that live in code cells' metadata.

A chapter's figure is made by a code cell, and myst-nb takes its caption and alt text from that cell's
metadata (`mystnb.figure.caption`, `mystnb.image.alt`). The Chinese notebooks keep every code cell
byte-identical to the English one, metadata included, so their translations live in the page's catalog
(tools/i18n extracts them) and are put in while Sphinx reads the notebook: only the site's copy changes,
never the notebook. An entry that is missing or fuzzy leaves the English text.
"""
import json
import os

import polib

FIGURE_TEXTS = (("figure", "caption"), ("image", "alt"))  # as tools/i18n/pages.py


def translations(path):
    return {e.msgid: e.msgstr for e in polib.pofile(path)
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def translate_figures(app, docname, source):
    folder = app.config.translated_figures_catalogs
    path = os.path.join(app.srcdir, folder, f"{docname}.po") if folder else ""
    if not path or not os.path.exists(path) or not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    app.env.note_dependency(path)  # a changed catalog makes Sphinx read the notebook again
    done = translations(path)
    nb = json.loads(source[0])
    for cell in nb["cells"]:
        mystnb = cell.get("metadata", {}).get("mystnb", {})
        for part, key in FIGURE_TEXTS:
            text = mystnb.get(part, {}).get(key) if isinstance(mystnb.get(part), dict) else None
            if isinstance(text, str) and text in done:
                mystnb[part][key] = done[text]
    source[0] = json.dumps(nb, ensure_ascii=False)


def setup(app):
    app.add_config_value("translated_figures_catalogs", "", "env")
    app.connect("source-read", translate_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
