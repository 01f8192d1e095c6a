"""Split Markdown into the units a translator translates: paragraphs (blocks between blank lines).

`split(text)` returns segments whose concatenation is exactly `text`. A segment is translatable when it
holds prose; the blank lines between blocks, display math, code blocks, bare fences and label lines are
kept as they are and never reach a catalog. Inside a directive (```{figure}, :::{admonition}) the blocks
are split too, so that a caption is one unit and the option lines stay with the directive's first line.
"""
import re
from dataclasses import dataclass

FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$")
LABEL = re.compile(r"^\s*\([\w:.-]+\)=\s*$")
# What a translator must not change: inline math, link targets, HTML tags (and roles and code, below).
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+\$")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>\s][^>]*>")
OPTION = re.compile(r"^:[\w-]+:.*$", re.M)
# Roles and code spans read left to right: `{cite:p}` inside backticks is code, not a role.
ROLE_OR_CODE = re.compile(r"(?P<role>\{[\w:.-]+\}`[^`]*`)|(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks))", re.S)
LETTER = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Segment:
    text: str
    translatable: bool


def prose(block):
    """The block with everything untranslatable removed: what is left is what a reader reads as words."""
    out = ROLE_OR_CODE.sub(" ", block)
    out = INLINE_MATH.sub(" ", out)
    out = LINK_TARGET.sub("] ", out)
    out = HTML_TAG.sub(" ", out)
    lines = []
    for line in out.split("\n"):
        fence = FENCE.match(line)
        if fence:  # a directive's argument is a path or a name, except an admonition's title
            argument = fence.group(2).strip()
            titled = re.match(r"\{(admonition|dropdown)\}", argument)
            line = argument[titled.end():] if titled else "" if argument.startswith("{") else argument
        elif OPTION.match(line):
            line = line.split(":", 2)[2] if line.startswith((":alt:", ":caption:")) else ""
        lines.append(line)
    return "\n".join(lines)


def roles_and_code(text):
    """(roles, code spans) of `text`, each a list of strings, found in one left-to-right scan."""
    found = {"role": [], "code": []}
    for match in ROLE_OR_CODE.finditer(text):
        found["role" if match.group("role") else "code"].append(match.group(0))
    return found["role"], found["code"]


def translatable(block):
    """True when a block holds words for a reader (not only math, code, fences, labels or glue)."""
    return bool(LETTER.search(prose(block)))


def _blocks(text):
    """Yield (block, is_separator) pieces of `text`, splitting at blank lines outside math and code."""
    lines = text.splitlines(keepends=True)
    block, gap, in_math, in_code = [], [], False, None
    for line in lines:
        stripped = line.strip()
        if in_code is None and not in_math and stripped == "":
            if block:
                yield "".join(block), False
                block = []
            gap.append(line)
            continue
        if gap:
            yield "".join(gap), True
            gap = []
        block.append(line)
        fence = FENCE.match(line)
        if in_code is not None:
            if fence and fence.group(1) == in_code and not fence.group(2).strip():
                in_code = None
        elif fence and not fence.group(2).strip().startswith("{") and fence.group(2).strip():
            in_code = fence.group(1)  # a code block (```python): kept whole, blank lines and all
        elif stripped.startswith("$$"):
            in_math = not in_math if stripped.count("$$") == 1 else in_math
        elif in_math and "$$" in stripped:
            in_math = False
    if block:
        yield "".join(block), False
    if gap:
        yield "".join(gap), True


def split(text):
    """Segments of `text`; ''.join(s.text for s in split(text)) == text."""
    segments = []
    for piece, separator in _blocks(text):
        body = piece.rstrip("\n")
        tail = piece[len(body):]
        if separator or not body.strip():
            segments.append(Segment(piece, False))
            continue
        is_code = bool(FENCE.match(body)) and not FENCE.match(body).group(2).strip().startswith("{") \
            and bool(FENCE.match(body).group(2).strip())
        keep = not is_code and not LABEL.match(body) and not body.lstrip().startswith("$$") and translatable(body)
        segments.append(Segment(body, keep))
        if tail:
            segments.append(Segment(tail, False))
    return segments


def units(text):
    """The translatable blocks of `text`, in order."""
    return [s.text for s in split(text) if s.translatable]
