"""Issue 15: hostile submissions, one per attack, graded in one run with honest ones (see tests/hostile/).

Each attack must score no more than the untouched stub, the run must finish with every row, and the
honest notebooks (a victim the attacks target, and one graded last) keep full marks; the submissions,
the package source and grader/ are unchanged afterwards, and nothing outlives the run.
"""
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grader import folder as grading_folder, sandbox  # noqa: E402
from hostile import attacks  # noqa: E402

pytestmark = pytest.mark.skipif(not sandbox.available(), reason="bwrap (bubblewrap) is not installed")


def _hashes(paths):
    return grading_folder.digest(paths)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every ex01 attack, the stub, a victim and an honest solution in one run; return what was seen."""
    submissions = attacks.make(tmp_path_factory.mktemp("hostile"))
    watched = [ROOT / "src" / "course_rnn", ROOT / "grader", ROOT / "exercises"]
    zips = sorted((ROOT / "_build" / "exercises").glob("*/autograder.zip"))
    before, before_code = _hashes(sorted(submissions.glob("*.ipynb"))), _hashes(watched + zips)
    scratch = submissions.parent / "tmp"  # the run's own TMPDIR, so that other tests' runs do not count
    scratch.mkdir()
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, str(ROOT / "tools/grade.py"), "ex01_rnn", str(submissions), "--jobs", "2",
                                "--cell-timeout", "10", "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "TMPDIR": str(scratch)})
    stdout, stderr = process.communicate(timeout=600)
    run = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    seconds = time.monotonic() - started
    first_csv = (submissions / "grades.csv").read_bytes() if (submissions / "grades.csv").exists() else b""
    time.sleep(10)  # a daemon that survived would rewrite grades.csv now (it waits 8 s)
    return {"run": run, "seconds": seconds, "dir": submissions, "first_csv": first_csv,
            "before": before, "after": _hashes(sorted(submissions.glob("*.ipynb"))),
            "code_before": before_code, "code_after": _hashes(watched + zips), "scratch": scratch,
            "cgroups": sorted(sandbox.CGROUP_PIDS.glob(f"course-rnn-grade-{process.pid}-*")),
            "mounts": Path("/proc/self/mounts").read_text()}


def _rows(graded):
    with open(graded["dir"] / "grades.csv") as f:
        return {r["submission"]: r for r in csv.DictReader(f)}


def test_the_run_completes_with_a_row_for_every_submission(graded):
    assert graded["run"].returncode == 0, graded["run"].stderr[-2000:]
    rows = _rows(graded)
    assert set(rows) == {p.name for p in graded["dir"].glob("*.ipynb")}
    assert "submissions per minute" in graded["run"].stdout


@pytest.mark.parametrize("attack", [n for n, (ex, *_) in attacks.ATTACKS.items() if ex == "ex01_rnn"])
def test_no_attack_scores_more_than_the_stub(graded, attack):
    rows = _rows(graded)
    assert float(rows[f"{attack}.ipynb"]["score"]) <= float(rows["stub.ipynb"]["score"]), rows[f"{attack}.ipynb"]


def test_honest_solutions_graded_with_the_attacks_keep_full_marks(graded):
    rows = _rows(graded)
    for name in ("victim.ipynb", "zz_honest.ipynb"):
        assert float(rows[name]["score"]) == float(rows[name]["max_score"]) == 9, rows[name]


def test_no_submission_package_file_or_autograder_zip_changed(graded):
    assert graded["before"] == graded["after"]
    assert graded["code_before"] == graded["code_after"]


def test_nothing_outlives_the_run(graded):
    assert (graded["dir"] / "grades.csv").read_bytes() == graded["first_csv"], "grades.csv changed after the run"
    assert list(graded["scratch"].iterdir()) == [], "temporary files were left behind"
    assert graded["cgroups"] == [], "a pids cgroup was left behind"
    assert str(graded["scratch"]) not in graded["mounts"], "a submission's tmpfs was left mounted"
    ours = subprocess.run(["pgrep", "-f", str(graded["dir"])], capture_output=True, text=True).stdout.split()
    assert not ours, "processes of the run still alive"


def test_the_graders_own_memory_stays_small_despite_a_300_mb_flood(graded):
    line = [l for l in graded["run"].stdout.splitlines() if l.startswith("peak memory of the grader")]
    assert line and float(line[0].split()[-2]) < 300, line


def test_flags_and_notes_cannot_be_forged_or_hidden(graded):
    rows = _rows(graded)
    assert "base64" in rows["exec_base64.ipynb"]["flags"] and "exec" in rows["exec_base64.ipynb"]["flags"]
    assert "subprocess" in rows["setup_tag_hides_code.ipynb"]["flags"]
    assert "FORGED" not in rows["forge_columns.ipynb"]["notes"] + rows["forge_columns.ipynb"]["flags"]
    assert "stopped after 30 s" in rows["ignore_sigint_loop.ipynb"]["notes"]


def test_locate_bug_cannot_read_the_answer_from_the_function_it_is_handed_nor_flood_its_oracle(tmp_path):
    submissions = attacks.make(tmp_path, "ex02_bptt")
    run = subprocess.run([sys.executable, str(ROOT / "tools/grade.py"), "ex02_bptt", str(submissions), "--jobs", "2",
                          "--cell-timeout", "20", "--timeout", "60"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(submissions / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert float(rows["closure_answer.ipynb"]["q4"]) == 0 == float(rows["stub.ipynb"]["q4"])
    assert float(rows["zz_honest.ipynb"]["score"]) == 9, rows["zz_honest.ipynb"]
    assert float(rows["oracle_flood.ipynb"]["score"]) <= float(rows["stub.ipynb"]["score"])
    line = [l for l in run.stdout.splitlines() if l.startswith("peak memory of the grader")]
    assert line and float(line[0].split()[-2]) < 300, line  # the oracle's request was refused unread


def test_ex08_withheld_code_perfect_counts_and_malformed_answers_score_no_more_than_the_stub(tmp_path):
    submissions = attacks.make(tmp_path, "ex08_language_models")
    run = subprocess.run([sys.executable, str(ROOT / "tools/grade.py"), "ex08_language_models", str(submissions), "--jobs", "2",
                          "--cell-timeout", "30", "--timeout", "120"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(submissions / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    ex08 = [n for n, (ex, *_) in attacks.ATTACKS.items() if ex == "ex08_language_models"]
    assert ex08 and float(rows["stub.ipynb"]["score"]) == 0
    for attack in ex08:
        row = rows[f"{attack}.ipynb"]
        assert float(row["score"]) <= float(rows["stub.ipynb"]["score"]), row
        assert "grader failed" not in row["notes"], row  # a malformed answer is a reason, never a crash
    for name in ("victim.ipynb", "zz_honest.ipynb"):
        assert float(rows[name]["score"]) == float(rows[name]["max_score"]) == 16, rows[name]
