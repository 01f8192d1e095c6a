"""The chapter notebooks follow the course's rules: checked statically, without running them."""
import ast
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def cells(path, kind):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def test_there_is_at_least_one_chapter():
    assert CHAPTERS, "no notebooks in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_defines_no_functions_or_classes(path):
    for i, cell in enumerate(cells(path, "code")):
        tree = ast.parse(source(cell))
        defs = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        assert not defs, f"{path.name} code cell {i} defines {defs}: put reusable code in src/course_rnn and import it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_starts_with_a_setup_cell_that_installs_from_the_configured_repository(path):
    first = json.loads(path.read_text())["cells"][0]
    assert first["cell_type"] == "code" and "setup" in first["metadata"].get("tags", [])
    url = CONFIG["repository"]["url"].rstrip("/")
    assert f"course-rnn @ git+{url}" in source(first), "run `make retarget` after changing repository.url"
    assert 'find_spec("course_rnn") is None' in source(first), "the setup cell must do nothing where the package is installed"
    assert first["outputs"] == [], "locally the setup cell prints nothing"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_is_executed_in_order_without_errors_or_machine_specific_output(path):
    code = [c for c in cells(path, "code") if source(c).strip()]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"{path.name}: some code cells were never executed"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: run it top to bottom in a fresh kernel"
    for i, cell in enumerate(code):
        text = json.dumps(cell["outputs"])
        readable = json.dumps([{k: v for k, v in o.get("data", {}).items() if k.startswith("text/")} for o in cell["outputs"]]
                              + [o.get("text", "") for o in cell["outputs"]])
        assert '"output_type": "error"' not in text, f"{path.name} cell {i} stores an error"
        assert not re.search(r" at 0x[0-9a-f]+", readable), f"{path.name} cell {i} shows a memory address"
        assert not re.search(r"(/work/|/tmp/|/home/|/root/|/Users/)", text), f"{path.name} cell {i} shows a machine path"
        assert len(text) < 400_000, f"{path.name} cell {i} output is too large"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_fewer_than_one_in_ten_code_cells_ignore_their_output_and_none_are_skipped(path):
    code = cells(path, "code")
    tags = [c["metadata"].get("tags", []) for c in code]
    assert not any("nbval-skip" in t for t in tags), f"{path.name}: nbval-skip hides a cell from CI"
    ignored = sum("nbval-ignore-output" in t for t in tags)
    assert ignored * 10 < len(code), f"{path.name}: {ignored} of {len(code)} code cells ignore their output"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_two_or_more_figures_each_with_alt_text_and_caption(path):
    figures = [c for c in cells(path, "code") if any("image/png" in o.get("data", {}) for o in c["outputs"])]
    assert len(figures) >= 2, f"{path.name} has {len(figures)} figure(s)"
    for cell in figures:
        meta = cell["metadata"].get("mystnb", {})
        assert meta.get("image", {}).get("alt"), f"{path.name}: a figure has no alt text: {source(cell)[:60]!r}"
        assert meta.get("figure", {}).get("caption"), f"{path.name}: a figure has no caption"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_every_element_the_spec_requires(path):
    prose = "\n".join(source(c) for c in cells(path, "markdown"))
    code = "\n".join(source(c) for c in cells(path, "code"))
    for heading in ("Learning objectives", "Prerequisites", "## Summary", "## Exercises", "## References"):
        assert heading in prose, f"{path.name} lacks {heading!r}"
    assert "Common misconception" in prose, f"{path.name} has no common-misconception box"
    assert re.search(r"\$\$.*?\$\$ \(eq-[\w-]+\)", prose, re.S), f"{path.name} has no labelled equation"
    assert "{cite:p}" in prose, f"{path.name} cites nothing"
    assert "show_source(" in code, f"{path.name} does not show the package's source"
    assert "gradcheck" in code and "assert " in code, f"{path.name} has no visible gradient check"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_glued_number_quoted_in_prose_is_produced_by_the_notebook(path):
    prose = "\n".join(source(c) for c in cells(path, "markdown"))
    quoted = set(re.findall(r"\{glue(?::text)?\}`([\w]+)", prose))
    glued = {o.get("metadata", {}).get("scrapbook", {}).get("name") for c in cells(path, "code") for o in c["outputs"]}
    assert quoted, f"{path.name} quotes no computed number"
    assert quoted <= glued, f"{path.name} quotes {sorted(quoted - glued)} but its outputs never glue them"


def test_every_citation_key_is_in_the_bibliography():
    bib = (ROOT / "book/references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    texts = [source(c) for p in CHAPTERS for c in cells(p, "markdown")]
    texts += [p.read_text() for p in (ROOT / "book").glob("*.md")]
    cited = {k.strip() for t in texts for group in re.findall(r"\{cite:p\}`([\w\-, ]+)`", t) for k in group.split(",")}
    assert cited and cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"


EXERCISE_NOTEBOOKS = sorted((ROOT / "exercises").rglob("*.ipynb"))


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_exercise_setup_cell_installs_from_the_configured_repository(path):
    setup = [c for c in json.loads(path.read_text())["cells"] if "setup" in c["metadata"].get("tags", [])]
    assert len(setup) == 1, f"{path.name} needs exactly one cell tagged 'setup'"
    url = CONFIG["repository"]["url"].rstrip("/")
    assert f"course-rnn @ git+{url}" in source(setup[0]), "run `make retarget` after changing repository.url"
    assert 'public_tests_dir("' + path.stem + '")' in source(setup[0])


def test_autograder_requirements_install_from_the_configured_repository():
    url = CONFIG["repository"]["url"].rstrip("/")
    assert f"course-rnn @ git+{url}" in (ROOT / "exercises/masters/requirements.txt").read_text()
