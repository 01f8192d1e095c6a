"""Grade a folder of submissions: every core, one sandbox each, grades.csv written atomically at the end.

The folder's files and the grader's own code (the package source and grader/) are hashed before and after;
if anything changed, the run fails loudly and writes no grades. Each submission is graded in its own
try/except, so one notebook can never stop the run.
"""
import csv
import hashlib
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import harness, package_copy, sandbox

GRADER = Path(__file__).resolve().parent


def digest(paths):
    """{path: sha256} of the files under ``paths`` (files or folders)."""
    found = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _inputs(folder):
    return [p for p in sorted(folder.iterdir()) if p.name != "grades.csv" and not p.name.startswith(".grades")]


def write_csv(rows, columns, path):
    """Write ``rows`` to ``path`` atomically: a temporary file in the same folder, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".grades-", suffix=".csv", dir=path.parent)
    with os.fdopen(fd, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


def _safe_grade(path, prepared):
    try:
        return harness.grade(path, prepared)
    except BaseException as err:  # harness.grade does not raise; this is the last guard
        return {"submission": path.name, "notes": f"the grader failed on this notebook ({type(err).__name__}); scored 0"}


def grade_folder(spec, folder, jobs=None, setup_cell="", **options):
    """Grade every .ipynb in ``folder``; returns (rows, columns, seconds). Raises SystemExit if inputs changed."""
    folder = Path(folder)
    jobs = jobs or os.cpu_count() or 1
    before = digest(_inputs(folder) + [package_copy.SOURCE, GRADER])
    questions = [q["name"] for q in spec["questions"]]
    points = {q["name"]: q["points"] for q in spec["questions"]}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-rnn-grade-") as workdir:
        sandbox.check_works(Path(workdir) / "check")  # a sandbox that cannot start would grade everyone 0
        prepared = harness.prepare(spec, workdir, setup_cell=setup_cell, **options)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            rows = list(pool.map(lambda p: _safe_grade(p, prepared), sorted(folder.glob("*.ipynb"))))
    seconds = time.monotonic() - start
    for row in rows:
        for q in questions:
            row[q] = float(min(max(float(row.get(q, 0.0)), 0.0), points[q]))
        row["score"], row["max_score"] = sum(row[q] for q in questions), sum(points.values())
        row.setdefault("flags", "")
    after = digest(_inputs(folder) + [package_copy.SOURCE, GRADER])
    changed = sorted(set(before) ^ set(after) | {p for p in before if after.get(p) != before[p]})
    if changed:
        raise SystemExit(f"INPUTS CHANGED DURING GRADING, no grades written: {changed[:10]}")
    columns = ["submission", "score", "max_score", *questions, "notes", "flags"]
    write_csv(rows, columns, folder / "grades.csv")
    return rows, columns, seconds
