"""The Chinese edition (zh/, locales/zh_CN/): complete, current, faithful, and identical in code and outputs.

- every English page has a catalog and a Chinese page, and every paragraph has a finished translation
  (no fuzzy, no missing entry);
- the catalogs follow the English text: a changed paragraph makes its entry fuzzy and these tests fail
  (shown here on a copy of a real chapter);
- each translation keeps its paragraph's markup, numbers and glossary terms (tools/i18n/checks.py);
- zh/ is exactly what `python tools/i18n build` makes, and in every notebook the code cells, outputs,
  attachments and metadata are byte-identical to the English ones, so the grader grades both alike.
"""
import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools" / "i18n"))

import build  # noqa: E402
import catalogs  # noqa: E402
import checks  # noqa: E402
import pages  # noqa: E402
from segments import split  # noqa: E402

PAGES = pages.pages()
NOTEBOOKS = [p for p in PAGES if pages.source(p).suffix == ".ipynb"]
TERMS = checks.glossary_terms((ROOT / "book/glossary.md").read_text(encoding="utf-8"))
FIX = "run `python tools/i18n update`, translate with `todo`/`fill`, then `python tools/i18n build`"


def cell_json(cell):
    """A cell as the notebook file holds it (nbformat's serialisation: sorted keys, indent 1, UTF-8)."""
    return json.dumps(cell, sort_keys=True, indent=1, ensure_ascii=False)


def notebook(path):
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------
# Complete and current.

@pytest.mark.parametrize("page", pages.catalogs())
def test_every_page_has_a_catalog_that_follows_its_english_text(page):
    po = catalogs.load(page, ROOT)
    assert po is not None, f"no catalog {pages.catalog_path(page).relative_to(ROOT)}: {FIX}"
    wanted = {m for m, _ in pages.units(page)}
    held = {e.msgid for e in po if not e.obsolete}
    assert held == wanted, (f"{page}: the catalog is stale ({len(wanted - held)} English paragraphs missing, "
                            f"{len(held - wanted)} no longer in the English): {FIX}")


@pytest.mark.parametrize("page", pages.catalogs())
def test_every_paragraph_is_translated_and_none_is_fuzzy(page):
    left = catalogs.pending(page, ROOT)
    assert not left, (f"{page}: {len(left)} paragraphs untranslated or fuzzy, e.g. "
                      f"[{catalogs.key(left[0])}] {left[0][:80]!r}: {FIX}")


@pytest.mark.parametrize("page", pages.catalogs())
def test_translations_keep_markup_numbers_and_the_glossarys_terms(page):
    found = []
    for msgid, msgstr in catalogs.translations(page, ROOT).items():
        found += [f"[{catalogs.key(msgid)}] {p}" for p in checks.problems(msgid, msgstr)]
        found += [f"[{catalogs.key(msgid)}] uses '{e}' but none of {names}"
                  for e, names in checks.missing_terms(msgid, msgstr, TERMS)]
    assert not found, f"{page}:\n" + "\n".join(found[:20])


def test_every_english_page_has_a_chinese_page_and_zh_is_what_the_catalogs_make():
    for page in PAGES:
        assert (ROOT / pages.ZH / pages.source(page).relative_to(ROOT)).exists(), f"no Chinese page for {page}"
    assert build.stale() == [], f"zh/ is stale: run `python tools/i18n build` ({build.stale()[:5]})"


# ---------------------------------------------------------------------------------------------------
# Identical code, outputs and metadata.

@pytest.mark.parametrize("page", NOTEBOOKS)
def test_code_cells_outputs_and_metadata_are_byte_identical_in_both_languages(page):
    english = notebook(pages.source(page))
    chinese = notebook(ROOT / pages.ZH / pages.source(page).relative_to(ROOT))
    assert {k: v for k, v in chinese.items() if k != "cells"} == {k: v for k, v in english.items() if k != "cells"}
    assert [c["cell_type"] for c in chinese["cells"]] == [c["cell_type"] for c in english["cells"]]
    for k, (en, zh) in enumerate(zip(english["cells"], chinese["cells"])):
        if en["cell_type"] != "markdown":
            assert cell_json(zh) == cell_json(en), f"{page}: cell {k} ({en['cell_type']}) differs"
        else:
            assert {x: v for x, v in zh.items() if x != "source"} == {x: v for x, v in en.items() if x != "source"}, \
                f"{page}: the metadata or attachments of Markdown cell {k} differ"
    # And as bytes: each code cell's text (outputs included), as the English file holds it, is in the Chinese file.
    english_text = pages.source(page).read_text(encoding="utf-8")
    chinese_text = (ROOT / pages.ZH / pages.source(page).relative_to(ROOT)).read_text(encoding="utf-8")
    for k, cell in enumerate(english["cells"]):
        if cell["cell_type"] == "code":
            block = textwrap.indent(cell_json(cell), "  ")  # a cell sits two levels deep in the file
            assert block in english_text, f"{page}: the English notebook is not written as nbformat writes it"
            assert block in chinese_text, f"{page}: code cell {k}'s bytes are not in the Chinese notebook"


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_markdown_keeps_everything_but_the_translated_paragraphs(page):
    english = notebook(pages.source(page))
    chinese = notebook(ROOT / pages.ZH / pages.source(page).relative_to(ROOT))
    done = catalogs.translations(page, ROOT)
    for k, (en, zh) in enumerate(zip(english["cells"], chinese["cells"])):
        if en["cell_type"] == "markdown":
            expected = "".join(done.get(s.text, s.text) if s.translatable else s.text for s in split("".join(en["source"])))
            assert "".join(zh["source"]) == expected, f"{page}: Markdown cell {k} is not its translation"


@pytest.mark.parametrize("exercise", [p for p in NOTEBOOKS if p.startswith("exercises/")])
def test_the_grader_runs_the_same_code_from_a_chinese_submission(exercise):
    from grader import harness
    english, chinese = pages.source(exercise), ROOT / pages.ZH / pages.source(exercise).relative_to(ROOT)
    assert harness.code_cells(chinese) == harness.code_cells(english)


def test_the_chinese_book_is_configured_for_chinese_and_its_own_launch_paths():
    import yaml
    config = yaml.safe_load((ROOT / "zh/_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["language"] == "zh_CN"
    assert config["repository"]["path_to_book"] == "zh"
    assert config["title"] != yaml.safe_load((ROOT / "_config.yml").read_text())["title"], "the title is English"
    assert (ROOT / "zh/book/_static").resolve() == (ROOT / "book/_static").resolve()
    lock = (ROOT / "requirements/lock.txt").read_text()
    assert "\njieba==" in lock, "Sphinx's Chinese search needs jieba (pinned in the lock)"
    import jieba  # noqa: F401  (Sphinx's Chinese search falls back to single characters without it)


# ---------------------------------------------------------------------------------------------------
# Staleness, shown on a copy of a real chapter: edit the English, and the checks fail until re-translated.

def _copy(tmp_path, page):
    for rel in ("_toc.yml", "_config.yml", "book/glossary.md", pages.source(page).relative_to(ROOT).as_posix(),
                pages.catalog_path(page).relative_to(ROOT).as_posix()):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    (tmp_path / "_toc.yml").write_text(f"format: jb-book\nroot: {page}\nparts: []\n")
    return tmp_path


def test_editing_an_english_paragraph_makes_its_entry_fuzzy_and_the_checks_fail(tmp_path):
    page = "chapters/04_gru"
    root = _copy(tmp_path, page)
    assert catalogs.pending(page, root) == [], "the real chapter is not fully translated"
    path = root / pages.source(page).relative_to(ROOT)
    nb = notebook(path)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and len("".join(c["source"])) > 400)
    old = next(s.text for s in split("".join(cell["source"])) if s.translatable and len(s.text) > 200)
    new = old.replace(" the ", " the very ", 1)
    cell["source"] = build.lines("".join(cell["source"]).replace(old, new))
    path.write_text(build.dump_notebook(nb), encoding="utf-8")

    assert catalogs.pending(page, root) == [new], "the edited paragraph is not reported before the update"
    counts = catalogs.update(page, root)
    assert counts == {"new": 0, "fuzzy": 1, "obsolete": 1}
    entry = catalogs.load(page, root).find(new)
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and entry.msgstr, "msgmerge-like fuzzy entry"
    assert catalogs.pending(page, root) == [new]
    _, text, left = build.translated_page(page, root)
    markdown = "".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    assert left == 1 and new in markdown, "an unfinished paragraph stays in English in the generated notebook"
    # A translator confirms it; the chapter is whole again (the old English stays as an obsolete entry).
    catalogs.fill(page, root, f"=== {catalogs.key(new)}\n{entry.msgstr}\n")
    assert catalogs.pending(page, root) == []
    assert catalogs.load(page, root).find(old, include_obsolete_entries=True).obsolete


def test_a_new_paragraph_is_missing_and_a_rewritten_one_is_not_matched_to_a_stranger(tmp_path):
    page = "chapters/04_gru"
    root = _copy(tmp_path, page)
    before = catalogs.pending(page, root)
    path = root / pages.source(page).relative_to(ROOT)
    nb = notebook(path)
    nb["cells"].append({"cell_type": "markdown", "id": "new-cell", "metadata": {},
                        "source": ["A paragraph that no translator has seen yet, about nothing in particular."]})
    path.write_text(build.dump_notebook(nb), encoding="utf-8")
    assert catalogs.update(page, root) == {"new": 1, "fuzzy": 0, "obsolete": 0}
    assert catalogs.pending(page, root) == before + [
        "A paragraph that no translator has seen yet, about nothing in particular."]


# ---------------------------------------------------------------------------------------------------
# The tools' own pieces.

@pytest.mark.parametrize("page", PAGES)
def test_splitting_a_page_into_paragraphs_loses_nothing(page):
    for text, _ in pages.markdown_texts(pages.source(page)):
        assert "".join(s.text for s in split(text)) == text


def test_math_code_labels_and_fences_are_not_sent_to_translators():
    text = ("(sec-x)=\n# Title\n\n$$\na = b\n\nc\n$$ (eq-a)\n\n```python\nx = 1\n\ny = 2\n```\n\n"
            "```{figure} a.svg\n:alt: An arrow.\n:name: fig-a\n\nCaption here.\n```\n\n{glue:text}`k`\n")
    assert [s.text for s in split(text) if s.translatable] == [
        "(sec-x)=\n# Title", "```{figure} a.svg\n:alt: An arrow.\n:name: fig-a", "Caption here.\n```"]


@pytest.mark.parametrize("broken, complaint", [
    ("## 5.1 节 {glue:text}`ch5_b:.2f` 与 $x_t$，见 [第 2 章](02_bptt.ipynb)。", "roles differ"),
    ("## 5.1 节 {glue:text}`ch5_a:.2f` 与 $x$，见 [第 2 章](02_bptt.ipynb)。", "inline math differ"),
    ("## 5.1 节 {glue:text}`ch5_a:.2f` 与 $x_t$，见 [第 2 章](03.ipynb)。", "link targets differ"),
    ("# 5.1 节 {glue:text}`ch5_a:.2f` 与 $x_t$，见 [第 2 章](02_bptt.ipynb)。", "heading level"),
    ("## 5.1 节 {glue:text}`ch5_a:.2f` 与 $x_t$，见 [第 3 章](02_bptt.ipynb)。", "numbers differ"),
    ("## 5.1 节 {glue:text}`ch5_a:.2f` 与 $x_t$，\n见 [第 2 章](02_bptt.ipynb)。", None),
    ("## 5.1 Section {glue:text}`ch5_a:.2f` and $x_t$, see [chapter 2](02_bptt.ipynb).", "no Chinese"),
])
def test_the_checker_catches_what_a_translation_can_break(broken, complaint):
    original = "## 5.1 Section {glue:text}`ch5_a:.2f` and $x_t$, see [chapter 2](02_bptt.ipynb)."
    assert checks.problems(original, "## 5.1 节 {glue:text}`ch5_a:.2f` 与 $x_t$，见 [第 2 章](02_bptt.ipynb)。") == []
    found = checks.problems(original, broken)
    if complaint is None:  # a line break between two Chinese characters (a browser shows a space)
        assert any("line break" in p for p in found), found
    else:
        assert any(complaint in p for p in found), found


def test_the_checker_catches_directive_lines_and_emphasis_that_will_not_render():
    figure = "```{figure} a.svg\n:alt: An arrow.\n:name: fig-a"
    assert checks.problems(figure, "```{figure} a.svg\n:alt: 一个箭头。\n:name: fig-a") == []
    assert any("directive" in p for p in checks.problems(figure, "```{figure} b.svg\n:alt: 一个箭头。\n:name: fig-a"))
    assert any("emphasis" in p for p in checks.problems("**Goals.** You", "**目标。**你"))
    assert checks.problems("**Goals.** You", "**目标**：你") == []


def test_every_glossary_term_has_chinese_names_and_the_term_check_can_fail():
    assert len(TERMS) >= 60 and all(names and all(names) for _, names in TERMS)
    missing = checks.missing_terms("The forget gates of an LSTM.", "LSTM 的门。", TERMS)
    assert missing == [("forget gate", ["遗忘门"])]
    assert checks.missing_terms("The forget gates of an LSTM.", "LSTM 的遗忘门。", TERMS) == []
    assert checks.missing_terms("Long-term dependencies.", "长期依赖。", TERMS) == []
    assert checks.missing_terms("`hidden state`, $h$", "`hidden state`，$h$", TERMS) == [], "code is not prose"


def test_a_fill_file_holds_any_text_without_escaping():
    assert catalogs.parse_fill("=== abc\n第一行 \\alpha $x$\n\n=== def\n译文\n") == {
        "abc": "第一行 \\alpha $x$", "def": "译文"}
    assert catalogs.parse_fill("=== abc\n$\\frac{a}{b}$ 和 \"引号\"\n")["abc"] == '$\\frac{a}{b}$ 和 "引号"'


def test_the_site_translates_captions_that_live_in_code_cell_metadata_and_nothing_else(tmp_path):
    """book/_ext/translated_figures.py: what Sphinx reads of a Chinese notebook has Chinese captions and alt
    texts from the catalog; the notebook on disk and every code cell's source and outputs stay as they are."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import types
    import translated_figures

    page = "chapters/05_lstm"
    path = ROOT / pages.ZH / f"{page}.ipynb"
    on_disk = path.read_text(encoding="utf-8")
    noted = []
    app = types.SimpleNamespace(
        srcdir=str(ROOT / pages.ZH),
        config=types.SimpleNamespace(translated_figures_catalogs=f"../locales/{pages.LOCALE}/LC_MESSAGES"),
        env=types.SimpleNamespace(doc2path=lambda d: str(ROOT / pages.ZH / f"{d}.ipynb"), note_dependency=noted.append))
    source = [on_disk]
    translated_figures.translate_figures(app, page, source)
    read, original = json.loads(source[0]), json.loads(on_disk)
    done = catalogs.translations(page, ROOT)
    figures = 0
    for cell, before in zip(read["cells"], original["cells"]):
        assert cell["source"] == before["source"] and cell.get("outputs") == before.get("outputs")
        for part, key, text in pages.figure_texts(before):
            figures += 1
            assert cell["metadata"]["mystnb"][part][key] == done.get(text, text) != text, f"{part}.{key} untranslated"
    assert figures >= 4 and path.read_text(encoding="utf-8") == on_disk and noted, "the catalog is a dependency"


def test_the_search_terms_keep_the_glossarys_chinese_names_whole():
    """Without zh/search_terms.txt jieba cuts 遗忘门 into 遗忘 + 门, and the browser, which looks a query up
    whole, finds nothing (book/_ext/chinese_search.py loads the list)."""
    import jieba
    terms = (ROOT / "zh" / build.SEARCH_TERMS).read_text(encoding="utf-8").split()
    assert {"遗忘门", "梯度裁剪", "困惑度", "循环神经网络"} <= set(terms)
    plain = jieba.Tokenizer()
    assert "遗忘门" not in plain.lcut_for_search("遗忘门的偏置"), "jieba now knows the term: the list may be moot"
    taught = jieba.Tokenizer()
    taught.load_userdict(str(ROOT / "zh" / build.SEARCH_TERMS))
    assert "遗忘门" in taught.lcut_for_search("遗忘门的偏置")
