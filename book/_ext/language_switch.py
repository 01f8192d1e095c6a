"""A link on every page to the same page in the book's other language (English <-> 中文).

The English site is _build/html/ and the Chinese one _build/html/zh/, with the same page names, so the
link is relative: `language_switch = {"href": "zh", ...}` in the English configuration and
`{"href": "..", ...}` in the Chinese one (tools/i18n writes zh/_config.yml).
"""
import html
import posixpath


def other_language(app, pagename):
    """The relative URL of `pagename` in the other language."""
    up = "../" * pagename.count("/")
    return posixpath.normpath(f"{up}{app.config.language_switch['href']}/{pagename}.html")


def add_switch(app, pagename, templatename, context, doctree):
    switch = app.config.language_switch
    if not switch or doctree is None or "body" not in context:  # search, genindex: no twin page
        return
    href = html.escape(other_language(app, pagename))
    lang = html.escape(switch["hreflang"])
    link = (f'<nav class="language-switch" aria-label="{html.escape(switch.get("aria_label", "Language"))}">'
            f'<a href="{href}" hreflang="{lang}" lang="{lang}" rel="alternate">{html.escape(switch["label"])}</a>'
            f"</nav>\n")
    context["body"] = link + context["body"]
    context["metatags"] = context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />'


def setup(app):
    app.add_config_value("language_switch", {}, "html")
    app.connect("html-page-context", add_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
