"""The Chinese edition's workflow (see README, "Translating"):

    python tools/i18n update [PAGE...]   catalogs follow the English text (changed paragraphs become fuzzy)
    python tools/i18n todo PAGE          print the paragraphs of PAGE still to translate, as a fill file
    python tools/i18n fill PAGE FILE     read translations from a fill file ('=== KEY' then the text)
    python tools/i18n check [PAGE...]    what is missing, fuzzy or broken (exit status 1 if anything)
    python tools/i18n build [--check]    write zh/ from the English sources and the catalogs

PAGE is a page of _toc.yml, e.g. chapters/05_lstm or book/glossary.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build as zh_build  # noqa: E402
import catalogs  # noqa: E402
import checks  # noqa: E402
from pages import ROOT, catalogs as catalog_names, units  # noqa: E402


def report(page, root=ROOT):
    """Lines describing what is wrong with `page`'s translation; empty when it is finished and faithful."""
    out = [f"{page}: [{catalogs.key(m)}] not translated or fuzzy: {m[:70]!r}" for m in catalogs.pending(page, root)]
    terms = checks.glossary_terms((root / "book/glossary.md").read_text(encoding="utf-8"))
    for msgid, msgstr in catalogs.translations(page, root).items():
        if msgid not in {m for m, _ in units(page, root)}:
            continue
        for problem in checks.problems(msgid, msgstr):
            out.append(f"{page}: [{catalogs.key(msgid)}] {problem}")
        for english, names in checks.missing_terms(msgid, msgstr, terms):
            out.append(f"{page}: [{catalogs.key(msgid)}] uses '{english}' but not its Chinese name {' / '.join(names)}")
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, args = argv[0], argv[1:]
    if command == "update":
        changed = 0
        for page in args or catalog_names():
            counts = catalogs.update(page, ROOT)
            if any(counts.values()):
                changed += 1
                print(f"{page}: {counts['new']} new, {counts['fuzzy']} fuzzy, {counts['obsolete']} obsolete")
        left = sum(len(catalogs.pending(p, ROOT)) for p in catalog_names())
        print(f"catalogs updated ({changed} changed); {left} paragraphs to translate: "
              "see `python tools/i18n check`" if left else f"catalogs updated ({changed} changed); all translated")
        return 0
    if command == "todo":
        for msgid in catalogs.pending(args[0], ROOT):
            print(f"=== {catalogs.key(msgid)}\n{msgid}\n")
        return 0
    if command == "fill":
        unknown = catalogs.fill(args[0], ROOT, Path(args[1]).read_text(encoding="utf-8"))
        print(f"unknown keys (the English changed? run todo again): {unknown}" if unknown else "filled")
        return 1 if unknown else 0
    if command == "check":
        lines = [line for page in args or catalog_names() for line in report(page)]
        print("\n".join(lines) if lines else "every paragraph is translated and faithful")
        return 1 if lines else 0
    if command == "build":
        if "--check" in args:
            stale = zh_build.stale()
            print(f"zh/ is stale, run `python tools/i18n build`: {stale}" if stale else "zh/ is current")
            return 1 if stale else 0
        left = zh_build.build()
        print(f"zh/ written; {left} paragraphs still in English")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
