"""The chapter budget check (chapters/conftest.py) measures nbval's runs and fails a chapter over budget."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path, **budget):
    book = tmp_path / "chapters"
    book.mkdir(exist_ok=True)
    shutil.copy(ROOT / "chapters" / "conftest.py", book)
    cells = [nbformat.v4.new_code_cell("x = bytearray(200 * 2**20)  # 200 MB"), nbformat.v4.new_code_cell("import time; time.sleep(1.2)")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), book / "tiny.ipynb")
    env = {**os.environ, **{f"COURSE_BUDGET_{k.upper()}": str(v) for k, v in budget.items()}}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
                           str(book / "tiny.ipynb")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return done, tmp_path / "_build" / "budgets" / "nbval" / "tiny.json"


def test_a_chapter_within_budget_passes_and_its_time_and_memory_are_recorded(tmp_path):
    done, record = _run(tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    figures = json.loads(record.read_text())
    assert figures["seconds"] >= 1.2 and figures["chapter"] == "tiny.ipynb"
    if Path("/proc/self/status").exists():
        assert figures["peak_mb"] >= 200


@pytest.mark.parametrize("budget, reason", [({"seconds": 1}, "s > 1 s"), ({"mb": 100}, "MB > 100 MB")])
def test_a_chapter_over_budget_fails_naming_the_chapter_and_the_figure(tmp_path, budget, reason):
    if "mb" in budget and not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc")
    done, _ = _run(tmp_path, **budget)
    assert done.returncode != 0 and "tiny.ipynb is over the chapter budget" in done.stdout and reason in done.stdout, done.stdout[-2000:]


def test_a_chapter_over_budget_does_not_break_the_next_notebook(tmp_path):
    book = tmp_path / "chapters"
    book.mkdir()
    shutil.copy(ROOT / "chapters" / "conftest.py", book)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time; time.sleep(1.2)")]), book / "a_slow.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), book / "b_quick.ipynb")
    env = {**os.environ, "COURSE_BUDGET_SECONDS": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "--nbval-lax",
                           "--nbval-current-env", str(book)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "a_slow.ipynb is over the chapter budget" in done.stdout, done.stdout[-2000:]
    assert "not torn down properly" not in done.stdout and "1 error" in done.stdout, done.stdout[-2000:]
    assert "PASSED chapters/b_quick.ipynb::Cell 0" in done.stdout, done.stdout[-2000:]
