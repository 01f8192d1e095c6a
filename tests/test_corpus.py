"""The shipped corpora are what tools/make_corpus.py makes from the raw sources, and have the promised form."""
import hashlib
import importlib.util
import re
from pathlib import Path

import pytest

from course_rnn import corpus

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data"
SHIPPED = ROOT / "src" / "course_rnn" / "corpora"


def _script():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tools" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SOURCE / "quan-tang-shi").is_dir(), reason="the raw sources (../shared/data) are not here")
def test_shipped_corpora_are_exactly_what_the_script_makes_from_the_sources():
    for name, data in _script().build(SOURCE).items():
        assert (SHIPPED / name).read_bytes() == data, f"{name} is stale: run `python tools/make_corpus.py`"


def test_every_tang_line_is_one_distinct_five_character_quatrain():
    poems = corpus.read("tang_wujue").splitlines()
    form = re.compile(r"(?:[\u3400-\u9fff\U00020000-\U0002ffff]{5}[，。？！]){4}")
    assert len(poems) > 3000 and len(set(poems)) == len(poems)
    assert all(form.fullmatch(p) and p[5] == "，" and p[17] == "，" for p in poems)


def test_the_readme_records_the_hash_of_every_shipped_file_and_the_corpora_stay_small():
    readme = (SHIPPED / "README.md").read_text()
    for name in ("shakespeare.txt", "tang_wujue.txt"):
        digest = hashlib.sha256((SHIPPED / name).read_bytes()).hexdigest()[:16]
        assert f"`{name}`" in readme and digest in readme
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 2_000_000
    assert "traditional characters" in readme


def test_read_returns_the_text_and_names_the_corpora_on_a_wrong_name():
    assert corpus.read("shakespeare").startswith("First Citizen:")
    with pytest.raises(ValueError, match="shakespeare"):
        corpus.read("hamlet")
