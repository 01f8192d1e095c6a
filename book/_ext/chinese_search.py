"""Chinese search that finds the course's terms whole: 遗忘门, not only 遗忘 and 门.

Sphinx's Chinese search cuts text into words with jieba, whose dictionary does not know 遗忘门 or 梯度裁剪;
the browser looks a query up whole, so a term jieba cuts in pieces cannot be found. `chinese_search_terms`
names a word list (relative to the book's source folder; tools/i18n writes zh/search_terms.txt from the
glossary's Chinese names) that jieba loads before the index is built.
"""
import os


def use_terms(app):
    if app.config.chinese_search_terms:
        path = os.path.join(app.srcdir, app.config.chinese_search_terms)
        app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": path}


def setup(app):
    app.add_config_value("chinese_search_terms", "", "html")
    app.connect("builder-inited", use_terms)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
