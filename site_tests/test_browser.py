"""The built site as a learner sees it: headless Chromium against _build/html served on localhost.

Every request that leaves 127.0.0.1 is aborted, so each check also proves the page works offline.
One browser and one browser context serve the whole session; each page is loaded once and measured
in one go (`inspect`). Without Chromium (Debian's `chromium`, which `.ci/run` installs; or set
CHROMIUM=/path/to/chromium) the browser tests are skipped with a loud reason; the link crawl
needs no browser and always runs. Screenshots for a human land in _build/screenshots/.
"""
import functools
import http.server
import json
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build/html"
SCREENSHOTS = ROOT / "_build/screenshots"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = sorted(p.with_suffix("").relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))
EXERCISES = sorted(p.with_suffix("").relative_to(ROOT).as_posix() for p in (ROOT / "exercises/student").glob("*.ipynb"))
NOTEBOOK_PAGES = CHAPTERS + EXERCISES
WIDGET_PAGES = [c for c in CHAPTERS if '"OutputModel"' in (ROOT / f"{c}.ipynb").read_text()]  # a widget that draws
# Every page in the table of contents whose source exists (a chapter still being written is left out).
PAGES = [page for page in [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]
         if any((ROOT / f"{page}{ext}").exists() for ext in (".md", ".ipynb"))]

# The Chinese edition: the same pages under _build/html/zh/, checked in the browser like the English ones.
ZH = "zh/"
ENGLISH_PAGES, ENGLISH_CHAPTERS = PAGES, CHAPTERS
PAGES = PAGES + [ZH + p for p in PAGES]
CHAPTERS = CHAPTERS + [ZH + c for c in CHAPTERS]
EXERCISES = EXERCISES + [ZH + e for e in EXERCISES]
NOTEBOOK_PAGES = CHAPTERS + EXERCISES
WIDGET_PAGES = WIDGET_PAGES + [ZH + c for c in WIDGET_PAGES]

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = ("BROWSER TESTS SKIPPED: Chromium not found (install Debian's `chromium`, as .ci/run does, "
               "or set CHROMIUM=/path/to/chromium); the site was NOT checked in a browser")

# Console errors that are known, harmless and explained; each is allowed only while its explanation holds.
# Sphinx 7.4 writes an inline script added after the builder starts twice (once with filename None, once
# with ''); sphinx-thebe's `const THEBE_JS_URL = ...` is such a script, so the second, identical copy fails
# to redeclare the constants the first already set. Nothing else on the page depends on the second copy.
DUPLICATE_THEBE_CONFIG = "Identifier 'THEBE_JS_URL' has already been declared"

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# ---------------------------------------------------------------------------------------------------
# The site on localhost, the browser, and one measurement per page.

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """The base URL of _build/html served by http.server on a free port of 127.0.0.1."""
    assert (HTML / "index.html").exists(), "no _build/html/index.html: build the site first (make book)"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=HTML))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def context(site):
    """One Chromium browser context for every page; requests to anything but localhost are aborted."""
    if not CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.blocked = []

    def only_localhost(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)
    yield context
    context.close()
    browser.close()
    playwright.stop()


def open_page(context, site, path):
    """Open `path` of the site and wait for MathJax's first typeset and any saved widgets to render.

    Returns (page, problems): problems collects console errors, uncaught exceptions, local responses
    of 400 and above, and requests that tried to leave localhost.
    """
    page = context.new_page()
    problems = []
    blocked_before = len(context.blocked)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} ({m.location.get('url')})"))
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e.message}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.goto(site + path, wait_until="load")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    if page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count():
        page.wait_for_selector(".cell_output .jupyter-widgets", timeout=15_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    problems += [f"tried to leave the site: {url}" for url in context.blocked[blocked_before:]]
    return page, problems


# What the page shows, measured in the browser (visible text excludes code, which may quote LaTeX).
MEASURE = """async () => {
  const article = document.querySelector("article.bd-article") || document.body;
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let prose = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    if (!node.parentElement.closest(skip) && node.parentElement.checkVisibility()) prose += node.textContent;
  return {
    mathjax: article.querySelectorAll("mjx-container").length,
    untypeset: [...article.querySelectorAll(".math")].filter(e => !e.querySelector("mjx-container"))
                 .map(e => e.textContent.trim().slice(0, 80)),
    raw_tex: ["$$", "\\\\(", "\\\\["].filter(delimiter => prose.includes(delimiter)),
    images: [...document.images].map(img => ({
      src: (img.getAttribute("src") || "").slice(0, 100), width: img.naturalWidth, alt: (img.alt || "").trim(),
      in_widget: !!img.closest(".jupyter-widgets"), in_article: article.contains(img)})),
    headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(h => h.checkVisibility())
                .map(h => [Number(h.tagName[1]), h.textContent.replace("#", "").trim().slice(0, 60)]),
    launch: [...document.querySelectorAll(".dropdown-launch-buttons a")].map(a => a.href),
    thebe_configs: [...document.scripts].filter(s => s.text.includes("THEBE_JS_URL =")).map(s => s.text),
    switch: [...document.querySelectorAll("nav.language-switch a")].map(a => ({
      href: a.href, text: a.textContent.trim(), visible: a.checkVisibility(),
      inside: a.getBoundingClientRect().right <= document.documentElement.clientWidth})),
    lang: document.documentElement.lang,
    font: getComputedStyle(article).fontFamily,
  };
}"""

# At 200% zoom a 1280px window is 640 CSS pixels wide. Code, outputs, display math, tables and
# widgets must fit, or overflow inside a box of their own that scrolls (overflow-x auto or scroll).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const fits = r => r.left >= -1 && r.right <= width + 1;
  const scroller = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement)
      if (["auto", "scroll"].includes(getComputedStyle(e).overflowX)) return e;
    return null;
  };
  const spilled = [];
  for (const el of document.querySelectorAll(
      "div.highlight pre, .cell_output pre, mjx-container[display='true'], div.math, table, .widget-subarea")) {
    if (!el.checkVisibility() || fits(el.getBoundingClientRect())) continue;
    const box = scroller(el);
    if (box && fits(box.getBoundingClientRect())) continue;
    spilled.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
  }
  return {width, page_width: document.documentElement.scrollWidth, spilled};
}"""


@pytest.fixture(scope="session")
def inspect(context, site):
    """inspect(page) -> what Chromium shows of that page at 1280px and 640px wide (loaded once, cached)."""
    @functools.lru_cache(maxsize=None)
    def measure(page_name):
        assert (HTML / f"{page_name}.html").exists(), f"{page_name}.html was not built: run `make book`"
        page, problems = open_page(context, site, f"{page_name}.html")
        try:
            report = page.evaluate(MEASURE)
            page.set_viewport_size({"width": 640, "height": 900})
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            report["zoomed"] = page.evaluate(OVERFLOW)
        finally:
            page.close()
        report["problems"] = problems
        return report
    return measure


# ---------------------------------------------------------------------------------------------------
# Every page.

@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_console_errors(inspect, page):
    report = inspect(page)
    problems = report["problems"]
    if any(DUPLICATE_THEBE_CONFIG in p for p in problems):
        copies = report["thebe_configs"]
        assert len(copies) == 2 and copies[0] == copies[1], \
            "the allowed THEBE_JS_URL error is no longer the harmless duplicate of an identical script"
        problems = [p for p in problems if DUPLICATE_THEBE_CONFIG not in p]
    assert not problems, f"{page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_math_is_typeset_by_mathjax_and_no_raw_tex_is_left(inspect, page):
    report = inspect(page)
    assert not report["untypeset"], f"{page}: math left for MathJax but not typeset: {report['untypeset'][:3]}"
    assert not report["raw_tex"], f"{page}: raw TeX delimiters {report['raw_tex']} in the visible text"
    if page in CHAPTERS:
        assert report["mathjax"] > 0, f"{page}: a chapter with no typeset math (no mjx-container)"


@pytest.mark.parametrize("page", PAGES)
def test_the_language_switch_shows_and_leads_to_the_same_page_in_the_other_language(inspect, site, page):
    report = inspect(page)
    twin = page[len(ZH):] if page.startswith(ZH) else ZH + page
    assert len(report["switch"]) == 1, f"{page}: {len(report['switch'])} language switches"
    switch = report["switch"][0]
    assert switch["visible"] and switch["inside"], f"{page}: the language switch is hidden or off the page"
    assert switch["href"] == f"{site}{twin}.html", f"{page}: the switch leads to {switch['href']}"
    assert switch["text"] == ("English" if page.startswith(ZH) else "中文")
    if page.startswith(ZH):
        assert report["lang"] == "zh-CN" and "Noto Sans CJK SC" in report["font"], (report["lang"], report["font"])


def test_the_math_check_catches_tex_that_mathjax_left_raw(context):
    page = context.new_page()
    try:
        page.set_content('<article class="bd-article"><p>$$x$$ and \\(y\\)</p><span class="math">z</span>'
                         '<pre>$$ in code is fine</pre></article>')
        report = page.evaluate(MEASURE)
    finally:
        page.close()
    assert report["raw_tex"] == ["$$", "\\("] and report["untypeset"] == ["z"], report


@pytest.mark.parametrize("page", PAGES)
def test_every_image_loads_and_has_alt_text(inspect, page):
    images = inspect(page)["images"]
    broken = [img["src"] for img in images if img["width"] == 0]
    assert not broken, f"{page}: images that did not load: {broken}"
    # Widgets' plots included: course_rnn.plots.show writes their alt text into the saved state.
    silent = [img["src"] for img in images if not img["alt"]]
    assert not silent, f"{page}: images without alt text: {silent}"
    if page in WIDGET_PAGES:
        described = [img for img in images if img["in_widget"] and img["width"] > 0 and len(img["alt"]) > 40]
        assert described, f"{page}: its widget's saved state shows no described plot"
    if page in CHAPTERS:
        assert sum(img["in_article"] for img in images) >= 1, f"{page}: a chapter with no figure"


@pytest.mark.parametrize("page", PAGES)
def test_headings_start_at_one_h1_and_skip_no_level_going_down(inspect, page):
    headings = inspect(page)["headings"]
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1, f"{page}: one h1 first, got {headings}"
    skips = [(a, b) for a, b in zip(headings, headings[1:]) if b[0] > a[0] + 1]
    assert not skips, f"{page}: heading levels skipped: {skips}"


@pytest.mark.parametrize("page", PAGES)
def test_code_and_math_stay_readable_at_200_percent_zoom(inspect, page):
    zoomed = inspect(page)["zoomed"]
    assert zoomed["width"] == 640
    assert zoomed["page_width"] <= zoomed["width"] + 2, f"{page} scrolls sideways at 640px: {zoomed['page_width']}px"
    assert not zoomed["spilled"], f"{page}: spills out of the page at 640px with no scroll box: {zoomed['spilled']}"


def test_the_zoom_check_catches_a_code_block_that_spills_without_a_scroll_box(context):
    page = context.new_page()
    try:
        page.set_viewport_size({"width": 640, "height": 400})
        page.set_content('<div class="highlight"><pre style="width:1500px;overflow:visible">spills</pre></div>'
                         '<div style="overflow-x:auto"><div class="highlight"><pre style="width:1500px">scrolls</pre>'
                         '</div></div>')
        spilled = page.evaluate(OVERFLOW)["spilled"]
    finally:
        page.close()
    assert len(spilled) == 1 and "spills" in spilled[0], spilled


# ---------------------------------------------------------------------------------------------------
# Notebook pages: launch buttons; chapter 3's widget.

def expected_launch_urls(page):
    """Binder and Colab URLs for `page`, built from _config.yml as sphinx-book-theme builds them."""
    repository, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    url = urlparse(repository["url"])
    assert url.netloc == "github.com", "these URLs are GitHub's; Binder builds others from the full URL"
    org_repo = url.path.strip("/").removesuffix(".git")
    branch = repository.get("branch") or "master"  # Jupyter Book's default
    book = repository.get("path_to_book", "").strip("/")
    notebook = f"{book}/{page}.ipynb" if book else f"{page}.ipynb"
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[launch.get("notebook_interface", "classic")]
    binder = f"{launch['binderhub_url'].strip('/')}/v2/gh/{org_repo}/{branch}?urlpath={interface}/{notebook}"
    colab = f"{launch['colab_url'].strip('/')}/github/{org_repo}/blob/{branch}/{notebook}"
    return binder, colab


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_buttons_open_this_notebook_on_binder_and_colab(inspect, page):
    launch = inspect(page)["launch"]
    binder, colab = expected_launch_urls(page)
    assert binder in launch, f"{page}: no Binder button for {binder}; the launch menu has {launch}"
    assert colab in launch, f"{page}: no Colab button for {colab}; the launch menu has {launch}"


def saved_widget_models(page):
    soup = BeautifulSoup((HTML / f"{page}.html").read_text(), "html.parser")
    script = soup.find("script", type="application/vnd.jupyter.widget-state+json")
    assert script, f"{page} has no saved widget state: re-execute it with widgets saved (make notebooks)"
    return [model["state"] for model in json.loads(script.string)["state"].values()]


@pytest.mark.parametrize("page_name", ["chapters/03_vanishing", ZH + "chapters/03_vanishing"])
def test_chapter_3_widget_shows_its_saved_state(context, site, page_name):
    models = saved_widget_models(page_name)
    descriptions = {m["description"] for m in models if m.get("description")}
    options = {label for m in models if m.get("_model_name") == "DropdownModel" for label in m["_options_labels"]}
    assert descriptions, "the saved state has no labelled control"
    page, _ = open_page(context, site, f"{page_name}.html")  # its console: test_page_loads_offline_...
    try:
        widget = page.locator(".cell_output .jupyter-widgets.widget-interact, .cell_output .widget-box").first
        widget.wait_for(timeout=15_000)
        shown = page.evaluate("""el => ({
            labels: [...el.querySelectorAll(".widget-label")].map(l => l.textContent.trim()),
            sliders: el.querySelectorAll(".widget-slider .noUi-handle, input[type=range]").length,
            options: [...el.querySelectorAll("select option")].map(o => o.textContent.trim()),
            plots: [...el.querySelectorAll(".widget-output img")].map(img => img.naturalWidth),
            errors: el.querySelectorAll(".jupyter-widgets-error-widget, .widget-error").length,
        })""", widget.element_handle())
        widget.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        widget.screenshot(path=SCREENSHOTS / f"{page_name.replace('/', '-')}-widget.png")
    finally:
        page.close()
    assert shown["sliders"] >= 1, "no slider rendered from the saved widget state"
    assert descriptions <= set(shown["labels"]), f"saved labels {descriptions}, shown {shown['labels']}"
    assert options <= set(shown["options"]), f"saved dropdown options {options}, shown {shown['options']}"
    assert shown["plots"] and all(width > 0 for width in shown["plots"]), "the widget's saved plot is missing"
    assert not shown["errors"], "the widget manager rendered an error view"


# ---------------------------------------------------------------------------------------------------
# Search; screenshots.

def search(context, site, url, preparing, screenshot):
    """The result links (hrefs without query or fragment) that the site's search page lists for `url`."""
    page, _ = open_page(context, site, url)
    try:
        page.wait_for_selector("#search-results .search-summary", timeout=15_000)
        page.wait_for_function("text => !document.querySelector('#search-results .search-summary')"
                               ".textContent.includes(text)", arg=preparing, timeout=15_000)
        found = [urldefrag(href)[0].split("?")[0] for href in
                 page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))")]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / screenshot)
    finally:
        page.close()
    return found


def test_search_for_forget_gate_finds_the_pages_that_explain_it(context, site):
    found = search(context, site, "search.html?q=forget+gate", "Preparing", "search-forget-gate.png")
    assert found, "searching the site for 'forget gate' found nothing"
    if (HTML / "chapters/05_lstm.html").exists():
        assert "chapters/05_lstm.html" in found, f"the LSTM chapter is not among the results {found}"
    mentions = [f for f in found if "forget gate" in
                " ".join(BeautifulSoup((HTML / f).read_text(), "html.parser").get_text().lower().split())]
    assert mentions, f"none of the results {found} says 'forget gate'"


def test_search_in_chinese_for_forget_gate_finds_the_lstm_chapter(context, site):
    """Sphinx segments Chinese with jieba (pinned in the lock), and zh/search_terms.txt keeps 遗忘门 whole:
    searching the Chinese site for 遗忘门 must find chapter 5's Chinese page."""
    found = search(context, site, f"{ZH}search.html?q={quote('遗忘门')}", "准备", "zh-search-forget-gate.png")
    assert "chapters/05_lstm.html" in found, f"searching the Chinese site for 遗忘门 found {found}"
    mentions = [f for f in found if "遗忘门" in (HTML / ZH / f).read_text()]
    assert "chapters/05_lstm.html" in mentions, f"the LSTM chapter's Chinese page does not say 遗忘门: {found}"


# Two different Chinese characters drawn in the article's font: with no CJK font the browser draws the same
# empty box (tofu) for both. The site uses the reader's own fonts (book/_static/zh.css), none from the web.
GLYPHS = """() => {
  const font = getComputedStyle(document.querySelector("article.bd-article")).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const g = canvas.getContext("2d");
  const draw = ch => { g.clearRect(0, 0, 64, 64); g.font = `48px ${font}`; g.fillText(ch, 4, 52);
                       return g.getImageData(0, 0, 64, 64).data.join(","); };
  return {font, distinct: draw("遗") !== draw("忘") && draw("忘") !== draw("门")};
}"""


def test_chinese_text_is_drawn_with_a_cjk_font_not_as_empty_boxes(context, site):
    if not shutil.which("fc-list") or not os.popen("fc-list :lang=zh").read().strip():
        pytest.skip("NO CJK FONT on this machine (install Debian's fonts-noto-cjk, as .ci/run does): "
                    "Chinese pages were NOT checked for missing glyphs")
    page, problems = open_page(context, site, f"{ZH}chapters/05_lstm.html")
    try:
        shown = page.evaluate(GLYPHS)
    finally:
        page.close()
    assert shown["distinct"], f"Chinese characters render as empty boxes in {shown['font']}"


def test_screenshots_of_the_welcome_page_and_a_chapter_are_saved(context, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = [("book/intro", 1280), (CHAPTERS[0], 1280), (CHAPTERS[0], 640),
             (ZH + "book/intro", 1280), (ZH + ENGLISH_CHAPTERS[0], 1280), (ZH + ENGLISH_CHAPTERS[0], 640)]
    for name, width in shots:
        page, _ = open_page(context, site, f"{name}.html")
        try:
            page.set_viewport_size({"width": width, "height": 900})
            path = SCREENSHOTS / f"{name.replace('/', '-')}-{width}px.png"
            page.screenshot(path=path)
        finally:
            page.close()
        assert path.stat().st_size > 10_000, f"{path} looks blank"


# ---------------------------------------------------------------------------------------------------
# The diagrams' gallery in light and dark mode, at 640px: every SVG renders, with alt text, on a light card.

DIAGRAM_CHECK = """async () => {
  const shown = [];
  for (const img of document.querySelectorAll("article img")) {
    if (!img.getAttribute("src").endsWith(".svg")) continue;
    img.loading = "eager";
    await img.decode().catch(() => null);
    const canvas = document.createElement("canvas");
    canvas.width = 200; canvas.height = 100;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "white"; ctx.fillRect(0, 0, 200, 100);
    ctx.drawImage(img, 0, 0, 200, 100);
    const data = ctx.getImageData(0, 0, 200, 100).data;
    let inked = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] + data[k + 1] + data[k + 2] < 600) inked++;
    const box = img.getBoundingClientRect();
    shown.push({name: img.getAttribute("src").split("/").pop(), width: img.naturalWidth, alt: img.alt.trim(),
                inked: inked / 20000, shown_width: box.width, right: box.right,
                background: getComputedStyle(img).backgroundColor, filter: getComputedStyle(img).filter});
  }
  return {theme: document.documentElement.dataset.theme, width: document.documentElement.clientWidth, shown};
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_diagram_renders_with_alt_text_in_light_and_dark_mode_at_640px(context, site, mode):
    from course_rnn.diagrams.gallery import DIAGRAMS

    page = context.new_page()
    try:
        page.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        page.set_viewport_size({"width": 640, "height": 900})
        page.goto(site + "book/diagrams.html", wait_until="load")
        report = page.evaluate(DIAGRAM_CHECK)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for k, figure in enumerate(page.locator("article figure").all()):
            figure.scroll_into_view_if_needed()
            figure.screenshot(path=SCREENSHOTS / f"diagram-{mode}-{k:02d}.png")
    finally:
        page.close()
    assert report["theme"] == mode, f"the page did not switch to {mode} mode: data-theme={report['theme']}"
    shown = {img["name"]: img for img in report["shown"]}
    assert set(shown) == {f"{d.name}.svg" for d in DIAGRAMS}, sorted(shown)
    for name, img in shown.items():
        assert img["width"] > 0, f"{name} did not load"
        assert len(img["alt"]) > 80, f"{name}: no alt text describing the computation"
        assert img["inked"] > 0.01, f"{name} renders blank ({img['inked']:.1%} of its pixels inked)"
        assert img["right"] <= report["width"] + 1 and img["shown_width"] > 400, f"{name} at 640px: {img}"
        if mode == "dark":  # the theme puts images on white and dims them a little: a light card
            assert img["background"] == "rgb(255, 255, 255)", f"{name} in dark mode: background {img['background']}"


# ---------------------------------------------------------------------------------------------------
# Links: no browser needed. Every page of the site, every internal link and local resource.

def _fetch(url):
    try:
        with urllib.request.urlopen(quote(url, safe=":/%?=&@+,;~"), timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, b""


def _references(soup):
    """Every URL a page links to or loads: anchors, images, scripts, stylesheets and icons, sources."""
    for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                           ("source", "src"), ("iframe", "src")):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value and not value.startswith(("mailto:", "javascript:", "data:", "tel:")):
                yield value


def test_every_internal_link_and_resource_resolves_and_every_anchor_exists(site):
    """Crawl from every built HTML page: each local URL returns 200, each #anchor exists on its target."""
    queue = deque(site + p.relative_to(HTML).as_posix() for p in sorted(HTML.rglob("*.html"))
                  if not {"_static", "_sources"} & set(p.relative_to(HTML).parts))
    status, linked_from, ids, anchors = {}, {}, {}, []
    while queue:
        url = queue.popleft()
        if url in status:
            continue
        code, kind, body = _fetch(url)
        status[url] = code
        if code != 200:
            continue
        if kind == "text/html":
            soup = BeautifulSoup(body, "html.parser")
            ids[url] = {e["id"] for e in soup.find_all(id=True)} | {a["name"] for a in soup.find_all("a", attrs={"name": True})}
            references = list(_references(soup))
        elif kind == "text/css":
            references = [r for r in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", body.decode(errors="ignore"))
                          if not r.startswith("data:")]
        else:
            continue
        for reference in references:
            target, fragment = urldefrag(urljoin(url, reference))
            if urlparse(target).hostname not in LOCAL_HOSTS:
                continue
            target = target.split("?")[0]
            linked_from.setdefault(target, f"linked as {reference!r} from {url}")
            if target not in status:
                queue.append(target)
            if fragment:
                anchors.append((target, fragment, f"linked as {reference!r} from {url}"))
    broken = [f"{code} {url} ({linked_from.get(url, 'a built page')})" for url, code in status.items() if code != 200]
    broken += [f"no #{fragment} on {target} ({where})" for target, fragment, where in anchors
               if target in ids and fragment not in ids[target]]
    pages = [url for url in ids if url.endswith(".html")]
    assert len(pages) >= len(PAGES), f"the crawl reached only {len(pages)} pages"
    assert not broken, (f"{len(broken)} broken links (MyST writes a link to a page it could not find as "
                        f"'#<path>'):\n" + "\n".join(sorted(set(broken))[:40]))
