"""The grading harness's parts: the sandbox's walls, plain-data answers, clamped scores, withheld code, Gradescope."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grader import cases, codec, flags, gradescope, harness, package_copy, sandbox, spec, verdict  # noqa: E402
from hostile import attacks  # noqa: E402

needs_bwrap = pytest.mark.skipif(not sandbox.available(), reason="bwrap (bubblewrap) is not installed")
PROBE = r'''
import json, os, socket
seen = {"uid": os.getuid(), "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}
for path in ("/usr/probe", "/pkg/course_rnn/probe", "/tmp/probe", "/submission/probe"):
    try:
        open(path, "w").write("x"); seen[path] = "writable"
    except OSError:
        seen[path] = "read-only"
seen["visible"] = {p: os.path.exists(p) for p in ("REPO/src", "REPO/_build", "REPO/exercises", "/pkg/course_rnn")}
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2); seen["network"] = True
except OSError:
    seen["network"] = False
seen["env"] = sorted(os.environ)
json.dump(seen, open("/submission/seen.json", "w"))
'''


@needs_bwrap
def test_the_sandbox_is_read_only_offline_unprivileged_and_sees_neither_repository_nor_grader(tmp_path):
    private, package = tmp_path / "private", package_copy.make("ex01_rnn", tmp_path / "pkg").parent
    private.mkdir()
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE.replace("REPO", str(ROOT)))
    rc, timed_out, _ = sandbox.run(sandbox.command(private, package, probe), tmp_path, deadline=60)
    seen = json.loads((private / "seen.json").read_text())
    assert (rc, timed_out) == (0, False)
    assert seen["uid"] == 65534 and seen["network"] is False and max(seen["pids"]) < 10
    assert seen["/usr/probe"] == seen["/pkg/course_rnn/probe"] == "read-only"
    assert seen["/tmp/probe"] == seen["/submission/probe"] == "writable"
    assert seen["visible"] == {f"{ROOT}/src": False, f"{ROOT}/_build": False, f"{ROOT}/exercises": False, "/pkg/course_rnn": True}
    assert "LD_PRELOAD" not in seen["env"] and "PYTHONNOUSERSITE" in seen["env"]
    assert not (package / "course_rnn" / "grading.py").exists()


@needs_bwrap
def test_a_deadline_kills_every_process_the_submission_started(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os, time\nfor _ in range(5):\n    os.fork() or time.sleep(120)\ntime.sleep(120)\n")
    (tmp_path / "p").mkdir()
    rc, timed_out, _ = sandbox.run(sandbox.command(tmp_path / "p", tmp_path, probe), tmp_path, deadline=3)
    assert timed_out
    alive = subprocess.run(["pgrep", "-f", str(probe)], capture_output=True, text=True).stdout.split()
    assert not alive


def test_answers_are_read_as_plain_data_and_anything_else_fails_the_case(tmp_path):
    np.savez(tmp_path / "ok.npz", np.ones(2), np.array("W_hh"))
    np.savez(tmp_path / "pickled.npz", np.array([{"a": 1}], dtype=object))
    (tmp_path / "garbage.npz").write_bytes(b"PK not a zip")
    assert isinstance(verdict.read_answer(tmp_path / "ok.npz"), tuple)
    assert "unreadable" in verdict.read_answer(tmp_path / "pickled.npz")
    assert "unreadable" in verdict.read_answer(tmp_path / "garbage.npz")
    assert verdict.read_answer(tmp_path / "missing.npz") == "no answer"
    inputs = cases.case_inputs("jordan_step", 1)
    expected = cases.reference("jordan_step", inputs, 1)
    assert verdict.compare("jordan_step", inputs, expected, tuple(np.asarray(e) for e in expected)) == ""
    assert "finite" in verdict.compare("jordan_step", inputs, expected, tuple(np.full(e.shape, np.nan) for e in expected))


def test_scores_are_clamped_and_only_known_questions_count():
    the_spec = {"questions": [{"name": "q1", "points": 2.0, "tests": [{"id": "q1.0", "points": 2.0}, {"id": "q1.1", "points": 5.0}]}]}
    assert verdict.question_scores(the_spec, {"q1.0": True, "q1.1": True, "q9.0": True, "flags": True}) == {"q1": 2.0}
    assert verdict.question_scores(the_spec, {"q1.0": "wrong", "q1.1": 1000}) == {"q1": 0.0}


def test_the_sandboxs_case_files_hold_inputs_but_no_reference_answer(tmp_path):
    the_spec = spec.from_master(ROOT / "exercises" / "masters" / "ex02_bptt.ipynb")
    prepared = harness.prepare(the_spec, tmp_path)
    for call_id, (case, inputs, expected) in prepared.expected.items():
        with np.load(prepared.cases_dir / f"{call_id}.npz", allow_pickle=False) as archive:
            stored = [archive[k] for k in archive.files]
        for want in expected or ():
            want = np.asarray(want)
            assert not any(a.shape == want.shape and np.array_equal(a, want) for a in stored if want.size > 1), call_id
        text = (prepared.cases_dir / f"{call_id}.json").read_text()
        assert "skip" not in text, "locate_bug's bug must stay with the parent"


def test_the_grading_copy_withholds_the_answers_and_the_ast_flag_spots_pasted_package_code(tmp_path):
    package = package_copy.make("ex01_rnn", tmp_path)
    jordan = (package / "numpy" / "jordan.py").read_text()
    assert "NotImplementedError" in jordan and "y_prev @ params" not in jordan
    source = (package_copy.SOURCE / "numpy" / "jordan.py").read_text()
    import ast
    node = [n for n in ast.parse(source).body if getattr(n, "name", "") == "step_forward"][0]
    pasted = ast.get_source_segment(source, node).replace("def step_forward", "def jordan_step")
    withheld = package_copy.withheld_nodes("ex01_rnn")
    assert flags.copied_from_package([pasted], withheld) == ["numpy.jordan:step_forward"]
    assert flags.copied_from_package(["def jordan_step(x_t, y_prev, params):\n    return x_t, y_prev\n"], withheld) == []


def test_inputs_round_trip_through_the_runner(tmp_path):
    sys.path.insert(0, str(ROOT / "grader"))
    import runner
    inputs = {"x": np.arange(3.0), "params": {"W": np.eye(2)}, "periods": [1, 2], "flag": True, "rng": codec.Rng(4)}
    codec.write_case(inputs, tmp_path / "c.1")
    tree = json.loads((tmp_path / "c.1.json").read_text())
    with np.load(tmp_path / "c.1.npz", allow_pickle=False) as archive:
        back = runner.decode(tree, dict(archive), None)
    assert np.array_equal(back["x"], inputs["x"]) and np.array_equal(back["params"]["W"], np.eye(2))
    assert back["periods"] == [1, 2] and back["flag"] is True
    assert back["rng"].random() == np.random.default_rng(4).random()


@needs_bwrap
def test_the_gradescope_zip_grades_with_the_same_harness(tmp_path):
    zip_path = ROOT / "_build" / "exercises" / "ex01_rnn" / "autograder.zip"
    if not zip_path.exists():
        pytest.fail("no autograder zip: run `python tools/build_exercises.py --check` (make test does)")
    for name, notebook, expected in (("honest", attacks.honest("ex01_rnn"), 9),
                                     ("hostile", attacks.hostile("replace_check_directly"), 0)):
        root = tmp_path / name
        (root / "submission").mkdir(parents=True)
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(root / "source")
        assert {"setup.sh", "run_autograder", "spec.json", "grader/harness.py"} <= set(z.namelist())
        nbformat.write(notebook, root / "submission" / "ex01_rnn.ipynb")
        run = subprocess.run([sys.executable, "-m", "grader.gradescope", str(root)], cwd=root / "source",
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        results = json.loads((root / "results" / "results.json").read_text())
        assert results["score"] == expected and [t["name"] for t in results["tests"]] == ["q1", "q2", "q3", "q4"]


def test_a_submission_that_changes_during_grading_stops_the_run_without_grades(tmp_path, monkeypatch):
    from grader import folder
    nbformat.write(attacks.honest("ex01_rnn"), tmp_path / "a.ipynb")
    nbformat.write(attacks.honest("ex01_rnn"), tmp_path / "b.ipynb")

    def tampering(path, prepared):
        (tmp_path / "b.ipynb").write_text("{}")  # what a sandbox escape would do
        return {"submission": path.name, "notes": ""}
    monkeypatch.setattr(folder.harness, "grade", tampering)
    monkeypatch.setattr(folder.harness, "prepare", lambda *a, **k: None)
    the_spec = spec.from_master(ROOT / "exercises" / "masters" / "ex01_rnn.ipynb")
    with pytest.raises(SystemExit, match="INPUTS CHANGED DURING GRADING"):
        folder.grade_folder(the_spec, tmp_path, jobs=1)
    assert not (tmp_path / "grades.csv").exists()


def test_a_failing_submission_is_a_row_with_a_note_never_a_traceback(tmp_path, monkeypatch):
    from grader import folder
    nbformat.write(attacks.honest("ex01_rnn"), tmp_path / "a.ipynb")

    def broken(path, prepared):
        raise RuntimeError("the grader itself broke")
    monkeypatch.setattr(folder.harness, "grade", broken)
    monkeypatch.setattr(folder.harness, "prepare", lambda *a, **k: None)
    the_spec = spec.from_master(ROOT / "exercises" / "masters" / "ex01_rnn.ipynb")
    rows, _, _ = folder.grade_folder(the_spec, tmp_path, jobs=1)
    assert rows[0]["score"] == 0 and "grader failed" in rows[0]["notes"]
    assert (tmp_path / "grades.csv").exists()
