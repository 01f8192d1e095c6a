"""Checks of a translated paragraph against its English original, and of the terms it uses.

`problems(msgid, msgstr)` lists what a translation broke: roles (glue, cite, eq, numref, ref) and their
targets, inline math and code, link targets, HTML tags, directive and option lines, labels, heading
levels, list and table shapes, the numbers typed in the prose, and line breaks between two Chinese
characters (a browser shows those as spaces). `missing_terms(msgid, msgstr, terms)` lists the glossary
terms whose English name the original uses and whose Chinese name the translation does not.
"""
import re
from collections import Counter

from segments import FENCE, HTML_TAG, INLINE_MATH, LINK_TARGET, OPTION, ROLE_OR_CODE, prose, roles_and_code

CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
CJK_CHAR = re.compile(f"[{CJK}]")
ROLE_PARTS = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")  # 1,000 is one number (and equals 1000)
STRUCTURE = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|\||:[\w-]+:|`{3}|:{3}|\$\$|#)")


def roles(text):
    """Counter of (role, target): a role's title may be translated, its target may not. A glued word's
    Chinese twin, `key_zh` (e.g. app_verdict_64_zh), counts as `key`."""
    found = Counter()
    for name, body in (ROLE_PARTS.fullmatch(r).groups() for r in roles_and_code(text)[0]):
        target = re.search(r"<([^<>]+)>\s*$", body)
        if name.startswith("glue"):
            body = re.sub(r"_zh(?=:|$)", "", body)
        found[(name, target.group(1) if target and not name.startswith("glue") else body)] += 1
    return found


def numbers(text):
    """The numbers a reader sees in the prose (outside math, code and roles)."""
    return Counter(n.replace(",", "") for n in DIGITS.findall(prose(text)))


def structure_lines(text):
    """Lines that must survive unchanged: fences (an admonition's title aside), options but :alt:, labels."""
    kept = []
    for line in text.split("\n"):
        fence = FENCE.match(line)
        if fence:
            name = re.match(r"\s*(\{[\w:.-]+\})?", fence.group(2)).group(0)
            admonition = name.strip() in ("{admonition}", "{dropdown}")
            kept.append(fence.group(1) + (name if admonition else fence.group(2)))
        elif OPTION.match(line) and not line.startswith((":alt:", ":caption:")):
            kept.append(line.rstrip())
        elif re.match(r"^\s*\([\w:.-]+\)=\s*$", line):
            kept.append(line.strip())
    return kept


def heading(text):
    match = re.match(r"^(#+)\s", text)
    return match.group(1) if match else ""


def shape(text):
    """(list items, table rows). A numbered line starts a list only with 1 (CommonMark: '148. x' wrapped
    inside a paragraph is text), or inside a list already begun."""
    items, in_list = 0, False
    for k, line in enumerate(text.split("\n")):
        ordered = re.match(r"^\s*(\d+)\.\s", line)
        if re.match(r"^\s*[-*+]\s", line) or (ordered and (k == 0 or in_list or ordered.group(1) == "1")):
            items, in_list = items + 1, True
    return items, sum(x.lstrip().startswith("|") for x in text.split("\n"))


def cjk_breaks(text):
    """Line breaks inside a Chinese paragraph: a CJK character ends a line and another starts the next."""
    lines = text.split("\n")
    return [f"{a[-12:]}⏎{b[:12]}" for a, b in zip(lines, lines[1:])
            if a and b and CJK_CHAR.match(a[-1]) and CJK_CHAR.match(b.lstrip()[:1] or " ")
            and not STRUCTURE.match(b)]


CJK_PUNCT = "，。：；！？、（）“”‘’《》「」"
# CommonMark does not close **bold** after punctuation when a letter follows (and does not open it before
# punctuation after a letter): '**目标。**本章' shows its asterisks. Keep punctuation outside emphasis.


def broken_emphasis(text):
    """Emphasis markers that CommonMark will print as asterisks next to Chinese punctuation."""
    out = []
    for match in re.finditer(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1", ROLE_OR_CODE.sub("", INLINE_MATH.sub("", text))):
        inner, start, end = match.group(2), match.start(), match.end()
        before = text_at(match.string, start - 1)
        after = text_at(match.string, end)
        if (inner[-1] in CJK_PUNCT and after and not after.isspace() and after not in CJK_PUNCT) or \
                (inner[0] in CJK_PUNCT and before and not before.isspace() and before not in CJK_PUNCT):
            out.append(match.group(0))
    return out


def text_at(text, i):
    return text[i] if 0 <= i < len(text) else ""


def problems(msgid, msgstr):
    """What `msgstr` broke of `msgid`'s markup and numbers; empty when it is faithful."""
    out = []
    a, b = Counter(roles_and_code(msgid)[1]), Counter(roles_and_code(msgstr)[1])
    if a != b:
        out.append(f"inline code differ: missing {sorted((a - b).elements())}, added {sorted((b - a).elements())}")
    for name, pattern in (("inline math", INLINE_MATH), ("link targets", LINK_TARGET), ("HTML tags", HTML_TAG)):
        a = Counter(m.group(0) for m in pattern.finditer(ROLE_OR_CODE.sub("", msgid)))
        b = Counter(m.group(0) for m in pattern.finditer(ROLE_OR_CODE.sub("", msgstr)))
        if a != b:
            out.append(f"{name} differ: missing {sorted((a - b).elements())}, added {sorted((b - a).elements())}")
    if roles(msgid) != roles(msgstr):
        a, b = roles(msgid), roles(msgstr)
        out.append(f"roles differ: missing {sorted((a - b).elements())}, added {sorted((b - a).elements())}")
    if structure_lines(msgid) != structure_lines(msgstr):
        out.append(f"directive/option/label lines differ: {structure_lines(msgid)} vs {structure_lines(msgstr)}")
    if heading(msgid) != heading(msgstr):
        out.append(f"heading level differs: {heading(msgid)!r} vs {heading(msgstr)!r}")
    if shape(msgid) != shape(msgstr):
        out.append(f"list items / table rows differ: {shape(msgid)} vs {shape(msgstr)}")
    if numbers(msgid) != numbers(msgstr):
        a, b = numbers(msgid), numbers(msgstr)
        out.append(f"numbers differ: missing {sorted((a - b).elements())}, added {sorted((b - a).elements())}")
    if not CJK_CHAR.search(prose(msgstr)):
        out.append("no Chinese in the translation")
    for where in broken_emphasis(msgstr):
        out.append(f"emphasis that will not render (punctuation inside, a letter outside): {where}")
    for where in cjk_breaks(msgstr):
        out.append(f"line break between Chinese characters (shows as a space): {where}")
    return out


# ---------------------------------------------------------------------------------------------- terms

def normal(text):
    """Lower case, no spaces, one kind of dash: how terms are compared."""
    return re.sub(r"\s+", "", text.lower()).replace("–", "-").replace("—", "-")


def glossary_terms(glossary_md):
    """[(english variants, chinese names)] from the glossary's 'english, variant (中文, 别名)' lines."""
    terms = []
    for line in glossary_md.split("\n"):
        match = re.match(r"^([^\s:#(].*?)\s*\(([^()]*[\u4e00-\u9fff][^()]*)\)\s*$", line)
        if not match:
            continue
        english, chinese = match.groups()
        english = re.sub(r"\s*\([^()]*\)", "", english)  # 'stacked (deep) RNN' is used as 'stacked RNN
        if ":" in english:  # 'gradient descent: batch, stochastic, mini-batch'
            head, kinds = english.split(":", 1)
            variants = [f"{k.strip()} {head.strip()}" for k in kinds.split(",")]
        else:
            variants = [v.strip() for v in english.split(",")]
        terms.append((variants, [c.strip() for c in chinese.split(",")]))
    return terms


def _variant_pattern(variant):
    words = [re.escape(w) for w in re.split(r"[\s-]+", variant.replace("–", "-"))]
    body = r"[\s\-–]+".join(words)
    plural = r"(?:s|es)?" if not variant.endswith("y") else r""
    if variant.endswith("y"):
        body = body[:-1] + r"(?:y|ies)"
    flags = 0 if re.fullmatch(r"[A-Z][\w-]*[A-Z][\w-]*", variant) else re.I  # acronyms match by case
    return re.compile(rf"(?<![\w-]){body}{plural}(?![\w-])", flags)


def kept_verbatim(variant):
    """Acronyms and names (RNN, LSTM, Adam, AdaGrad, CW-RNN) may stay as they are in Chinese text."""
    return bool(re.fullmatch(r"[A-Z][\w-]*", variant))


def missing_terms(msgid, msgstr, terms):
    """[(english, chinese names)] for each term `msgid` uses whose Chinese name `msgstr` lacks."""
    text, target = prose(msgid), normal(prose(msgstr))
    missing = []
    for variants, names in terms:
        for variant in variants:
            if not _variant_pattern(variant).search(text):
                continue
            # An entry's acronym stands for all its names: 'BPTT' may translate 'backpropagation through time'.
            accepted = [normal(n) for n in names] + [normal(v) for v in variants if kept_verbatim(v)]
            if not any(a in target for a in accepted):
                missing.append((variant, names))
            break
    return missing
