"""The gettext catalogs (locales/zh_CN/LC_MESSAGES/<page>.po): update from the English text, fill, list.

`update` behaves like gettext's msgmerge: an unchanged paragraph keeps its translation; a changed one
gets the translation of the most similar old paragraph, marked fuzzy (with the old English as
`#| msgid`), so a translator sees what changed; a removed one is kept as obsolete (#~), so nothing is lost.
"""
import difflib
import hashlib

import polib

from pages import LOCALE, catalog_path, units

SIMILAR = 0.6  # difflib ratio above which a changed paragraph inherits the old translation, fuzzy


def key(msgid):
    """A short, stable name for a paragraph (what `todo` prints and `fill` reads)."""
    return hashlib.sha1(msgid.encode("utf-8")).hexdigest()[:8]


def load(page, root):
    path = catalog_path(page, root)
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def new_catalog(page):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "course-rnn",
        "Language": LOCALE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Page": page,
    }
    return po


def closest(msgid, candidates):
    best, score = None, SIMILAR
    for old in candidates:
        ratio = difflib.SequenceMatcher(None, msgid, old.msgid, autojunk=False).ratio()
        if ratio > score:
            best, score = old, ratio
    return best


def update(page, root):
    """Rewrite `page`'s catalog from the English text; returns (new, fuzzy, obsolete) counts."""
    old = load(page, root) or new_catalog(page)
    previous = {e.msgid: e for e in old if not e.obsolete}
    retired = [e for e in old if e.obsolete and e.msgstr]
    po = new_catalog(page)
    po.metadata.update({k: v for k, v in old.metadata.items() if k not in po.metadata})
    seen, counts = {}, {"new": 0, "fuzzy": 0, "obsolete": 0}
    wanted = units(page, root)
    gone = [e for e in previous.values() if e.msgid not in {m for m, _ in wanted}]
    for msgid, where in wanted:
        if msgid in seen:
            seen[msgid].occurrences.append(where)
            continue
        entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[where])
        if msgid in previous:
            entry.msgstr, entry.flags = previous[msgid].msgstr, list(previous[msgid].flags)
            entry.previous_msgid = previous[msgid].previous_msgid
            entry.tcomment = previous[msgid].tcomment
        else:
            match = closest(msgid, [e for e in gone + retired if e.msgstr])
            if match is not None:
                entry.msgstr, entry.flags, entry.previous_msgid = match.msgstr, ["fuzzy"], match.msgid
                counts["fuzzy"] += 1
            else:
                counts["new"] += 1
        seen[msgid] = entry
        po.append(entry)
    for entry in gone + retired:
        if entry.msgstr:
            po.append(polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, obsolete=True))
            counts["obsolete"] += entry in gone
    path = catalog_path(page, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return counts


def pending(page, root):
    """Entries of `page` still to translate: missing, empty or fuzzy."""
    po = load(page, root)
    if po is None:
        return [m for m, _ in units(page, root)]
    done = {e.msgid for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags}
    return [m for m in dict.fromkeys(m for m, _ in units(page, root)) if m not in done]


def translations(page, root):
    """{msgid: msgstr} of `page`'s finished (non-fuzzy, non-empty) entries."""
    po = load(page, root)
    if po is None:
        return {}
    return {e.msgid: e.msgstr for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags}


def parse_fill(text):
    """{key: translation} from a fill file: '=== KEY' lines, each followed by its translation."""
    out, current, lines = {}, None, []
    for line in text.split("\n"):
        if line.startswith("=== "):
            if current is not None:
                out[current] = "\n".join(lines).strip("\n")
            current, lines = line[4:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        out[current] = "\n".join(lines).strip("\n")
    return out


def fill(page, root, text):
    """Set translations from a fill file's text; returns the keys that matched no entry."""
    given = parse_fill(text)
    po = load(page, root)
    unknown = set(given)
    for entry in po:
        k = key(entry.msgid)
        if not entry.obsolete and k in given and given[k].strip():
            entry.msgstr = given[k]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            unknown.discard(k)
    po.save(str(catalog_path(page, root)))
    return sorted(unknown)
