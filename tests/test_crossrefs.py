"""Cross-references in the prose name things that exist: every "section N.M" (or "§N.M") names a heading
"N.M ..." of chapter N, and every "chapter N" names a chapter of the book.

Checked in the chapters, the exercise masters (and so the student notebooks made from them) and the
book's Markdown pages. Whether the section says what the sentence claims is for a reviewer; that it
exists, and keeps existing when sections are renumbered, is checked here.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
SOURCES = CHAPTERS + sorted((ROOT / "exercises" / "masters").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.md"))

HEADING = re.compile(r"^#{1,4}\s+((?:\d+|A)(?:\.\d+)?)[.\s]", re.M)
# "section 5.8", "Sections 5.3-5.5", "§2.7", "§§ 3.4 and 3.5"; a range or list gives every number in it.
SECTION_REF = re.compile(r"(?:\b[Ss]ections?|§§?)\s*((?:\d+|A)\.\d+(?:\s*(?:[-–,]|and|or|to)\s*(?:(?:\d+|A)\.)?\d+)*)")
NUMBER = re.compile(r"(?:(\d+|A)\.)?(\d+)")
CHAPTER_REF = re.compile(r"\b[Cc]hapters?\s+(\d+)\b")


def texts(path):
    """(where, text) for every cell of a notebook, or the whole of a Markdown page."""
    if path.suffix == ".md":
        return [(path.name, path.read_text())]
    cells = json.loads(path.read_text())["cells"]
    return [(f"{path.name} cell {i}", "".join(c["source"])) for i, c in enumerate(cells)]


def headings(chapters):
    """Every numbered heading of the chapters: {"5.8", "5", "A.4", ...}."""
    found = set()
    for path in chapters:
        for _, text in texts(path):
            if text.lstrip().startswith("#") or "\n#" in text:
                found.update(HEADING.findall(text))
    return found


def section_refs(text):
    """The section numbers a text refers to, e.g. "sections 5.3-5.5 and 5.8" -> ["5.3", "5.5", "5.8"]."""
    refs = []
    for match in SECTION_REF.finditer(text):
        chapter = None
        for part in NUMBER.finditer(match.group(1)):
            chapter = part.group(1) or chapter
            refs.append(f"{chapter}.{part.group(2)}")
    return refs


def dangling(sources, known_sections, n_chapters):
    """Every reference in ``sources`` that names no existing section or chapter, as readable strings."""
    bad = []
    for path in sources:
        for where, text in texts(path):
            bad += [f"{where}: section {ref}" for ref in section_refs(text) if ref not in known_sections]
            bad += [f"{where}: chapter {n}" for n in CHAPTER_REF.findall(text) if not 1 <= int(n) <= n_chapters]
    return bad


def numbered_chapters():
    return sum(1 for p in CHAPTERS if re.match(r"\d+_", p.name))


def test_every_section_and_chapter_reference_names_an_existing_heading():
    bad = dangling(SOURCES, headings(CHAPTERS), numbered_chapters())
    assert not bad, "references to sections or chapters that do not exist:\n" + "\n".join(bad)


def test_the_chapters_have_numbered_sections_to_refer_to():
    known = headings(CHAPTERS)
    assert {"1.1", "2.7", "5.8", "A.1"} <= known, sorted(known)


@pytest.mark.parametrize("text, expected", [
    ("as section 5.8 shows", ["5.8"]),
    ("Sections 5.3–5.5 and 5.8", ["5.3", "5.5", "5.8"]),
    ("(§2.7)", ["2.7"]),
    ("section\nA.4", ["A.4"]),
    ("see chapter 3", []),
])
def test_section_references_are_read_from_prose(text, expected):
    assert section_refs(text) == expected


def test_a_reference_to_a_missing_section_or_chapter_is_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("As section 5.8 shows, and section 5.12 does not; chapter 2 exists, chapter 42 does not.\n")
    assert dangling([page], {"5.8"}, 8) == ["page.md: section 5.12", "page.md: chapter 42"]
