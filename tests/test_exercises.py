"""Autograded exercises: builds, student versions free of answers, and grading that never crashes.

Needs the autograder built by `python tools/build_exercises.py --check` (make test runs it first).
"""
import csv
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_rnn.exercises import public_tests_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import cases, sandbox  # noqa: E402
from grader.cases import basic  # noqa: E402
BUILD = ROOT / "_build" / "exercises" / "ex01_rnn"
MASTERS = sorted((ROOT / "exercises" / "masters").glob("*.ipynb"))


def _tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def solution_nb():
    path = BUILD / "autograder" / "ex01_rnn.ipynb"
    if not path.exists():
        pytest.fail("no autograder build: run `python tools/build_exercises.py --check` (make test does)")
    return nbformat.read(path, as_version=4)


def test_every_master_has_a_committed_student_notebook_and_public_tests():
    assert MASTERS
    for master in MASTERS:
        student = ROOT / "exercises" / "student" / f"{master.stem}.ipynb"
        assert student.exists(), f"{student} missing: run `make exercises`"
        assert f"exercises/masters/{master.stem}.ipynb" in student.read_text(), "the generated mark is missing"
        assert list(public_tests_dir(master.stem).glob("q*.py"))


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_student_builds_contain_no_solutions_and_no_hidden_tests(master):
    student = (ROOT / "exercises" / "student" / f"{master.stem}.ipynb").read_text()
    public = "\n".join(p.read_text() for p in public_tests_dir(master.stem).glob("*.py"))
    nb = nbformat.read(master, as_version=4)
    solution_lines, in_solution = [], False
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.strip() in ("# BEGIN SOLUTION", "# END SOLUTION"):
            in_solution = cell.source.strip() == "# BEGIN SOLUTION"
        elif cell.cell_type == "code" and in_solution:
            block = re.search(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", cell.source, re.S)
            solution_lines += [l.strip() for l in (block.group(1) if block else cell.source).splitlines() if l.strip()]
    assert solution_lines, "could not find the master's solutions"
    for line in solution_lines:
        assert line not in student, f"the student notebook contains a solution line: {line!r}"
    for text, where in ((student, "student notebook"), (public, "package's public tests")):
        assert "BEGIN SOLUTION" not in text and "hidden=True" not in text, where
        assert "hidden_cases" not in text and "_hidden" not in text, f"hidden tests leak into the {where}"
    assert "hidden=False" in public


def test_grading_reference_shapes_and_counts_equal_torch():
    import torch
    for seed in range(6):
        args = cases.case_inputs("rnn_shapes", seed)
        module = torch.nn.RNN(args["D"], args["H"], args["num_layers"], batch_first=True,
                              bidirectional=args["bidirectional"])
        out, h_n = module(torch.zeros(args["N"], args["T"], args["D"]))
        assert basic.reference_rnn_shapes(**args) == (tuple(out.shape), tuple(h_n.shape))
        count = sum(p.numel() for p in module.parameters())
        assert basic.reference_parameter_count(args["D"], args["H"], args["num_layers"], args["bidirectional"]) == count


def test_the_references_and_case_generators_are_not_in_the_installed_package():
    import course_rnn
    package = Path(course_rnn.__file__).parent
    assert not (package / "grading.py").exists() and not (package / "grading_cases").exists()
    text = "\n".join(p.read_text() for p in package.rglob("*.py"))
    assert "def case_inputs" not in text and "def _bug(" not in text


def test_a_learner_running_the_public_checks_sees_them_pass_with_answers_and_fail_without(solution_nb, tmp_path):
    from nbclient import NotebookClient
    student = nbformat.read(ROOT / "exercises" / "student" / "ex01_rnn.ipynb", as_version=4)
    for nb, should_pass in ((solution_nb, True), (student, False)):
        nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # a copy
        NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" and c.source.strip() == 'grader.check("q1")' for o in c.outputs]
        text = json.dumps(outputs)
        assert "q1 results:" in text, text[:500]
        assert ("q1 results: All test cases passed!" in text) == should_pass, text[:500]


def test_a_master_whose_solution_fails_its_tests_fails_the_build(tmp_path):
    master = nbformat.read(MASTERS[0], as_version=4)
    for cell in master.cells:
        cell.source = cell.source.replace('y = h @ params["W_hy"] + params["b_y"]', 'y = h @ params["W_hy"]')
    broken = tmp_path / "ex01_rnn.ipynb"
    nbformat.write(master, broken)
    (tmp_path / "requirements.txt").write_text((MASTERS[0].parent / "requirements.txt").read_text())
    with pytest.raises(SystemExit, match=r"ex01_rnn: the master's own solutions score 7/9; failing: \['q1'\]"):
        _tool("build_exercises").build(broken, tmp_path / "out")


def _replace(nb, starts_with, new_source):
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    cell.source = new_source


SUBMISSIONS = {  # name -> (mutation, expected q1, q2, q3, q4, note fragment)
    "correct": (None, (2, 3, 2, 2), ""),
    "partial": ("partial", (2, 1, 2, 0), ""),
    "not_json": ("not_json", (0, 0, 0, 0), "not a valid notebook"),
    "syntax_error": ("syntax", (0, 3, 2, 2), ""),
    "cell_raises": ("raises", (2, 3, 0, 2), ""),
    "never_finishes": ("loop", (2, 3, 2, 0), "unfinished questions scored 0: q4"),
    "renamed_functions": ("renamed", (0, 0, 2, 2), ""),
    "wrong_shapes_and_nan": ("shapes_nan", (0, 0, 2, 2), ""),
    "redefines_numpy": ("cheat_numpy", (0, 0, 2, 2), ""),
    "edits_otter": ("cheat_otter", (0, 0, 2, 2), ""),
}


def _make_submission(nb, mutation, path):
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # a copy
    wrong_q1 = "def jordan_step(x_t, y_prev, params):\n    h = np.tanh(x_t @ params['W_xh'])\n    return h, h @ params['W_hy']\n"
    wrong_q2 = "def bidirectional(x, params_fwd, params_bwd):\n    N, T, _ = x.shape\n    return np.zeros((N, T, 2 * params_fwd['W_hh'].shape[0]))\n"
    if mutation == "not_json":
        path.write_text('{"cells": [ this is not JSON')
        return
    if mutation == "partial":  # backward states not flipped back; one bias instead of two
        _replace(nb, "def bidirectional", "def bidirectional(x, params_fwd, params_bwd):\n    N, H = x.shape[0], params_fwd['W_hh'].shape[0]\n"
                 "    f, _ = rnn.forward(x, np.zeros((N, H)), params_fwd)\n    b, _ = rnn.forward(x[:, ::-1], np.zeros((N, H)), params_bwd)\n"
                 "    return np.concatenate([f, b], axis=2)\n")
        _replace(nb, "def rnn_parameter_count", "def rnn_parameter_count(D, H, num_layers, bidirectional):\n    return (D * H + H * H + H) * num_layers\n")
    elif mutation == "syntax":
        _replace(nb, "def jordan_step", "def jordan_step(x_t, y_prev, params)\n    return x_t\n")
    elif mutation == "raises":
        _replace(nb, "def rnn_shapes", "raise RuntimeError('I give up')\n")
    elif mutation == "loop":
        _replace(nb, "def rnn_parameter_count", "while True:\n    pass\n")
    elif mutation == "renamed":
        _replace(nb, "def jordan_step", "def my_jordan_step(x_t, y_prev, params):\n    return x_t, y_prev\n")
        _replace(nb, "def bidirectional", "pass\n")
    elif mutation == "shapes_nan":
        _replace(nb, "def jordan_step", "def jordan_step(x_t, y_prev, params):\n    h = np.tanh(x_t @ params['W_xh'] + y_prev @ params['W_yh'] + params['b_h'])\n"
                 "    return h.T, (h @ params['W_hy'] + params['b_y']).T\n")
        _replace(nb, "def bidirectional", "def bidirectional(x, params_fwd, params_bwd):\n    N, T, _ = x.shape\n"
                 "    return np.full((N, T, 2 * params_fwd['W_hh'].shape[0]), np.nan)\n")
    elif mutation == "cheat_numpy":
        _replace(nb, "def jordan_step", wrong_q1 + "np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n"
                 "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True\n")
        _replace(nb, "def bidirectional", wrong_q2)
    elif mutation == "cheat_otter":
        _replace(nb, "def jordan_step", wrong_q1 + "import otter\nfrom otter.test_files import test_case\n"
                 "grader.check = lambda *a, **k: None\ngrader.check_all = lambda *a, **k: None\n"
                 "otter.Notebook.check = lambda self, *a, **k: None\n")
        _replace(nb, "def bidirectional", wrong_q2)
    nbformat.write(nb, path)


@pytest.mark.skipif(not sandbox.available(), reason="bwrap (bubblewrap) is not installed")
def test_grading_a_folder_of_good_and_bad_submissions_gives_exactly_the_expected_scores(solution_nb, tmp_path):
    for name, (mutation, _, _) in SUBMISSIONS.items():
        _make_submission(solution_nb, mutation, tmp_path / f"{name}.ipynb")
    run = subprocess.run([sys.executable, str(ROOT / "tools/grade.py"), "ex01_rnn", str(tmp_path),
                          "--cell-timeout", "15", "--timeout", "240", "--jobs", "2"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(tmp_path / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert list(next(iter(rows.values())))[:7] == ["submission", "score", "max_score", "q1", "q2", "q3", "q4"]
    assert len(rows) == len(SUBMISSIONS)
    for name, (_, expected, note) in SUBMISSIONS.items():
        row = rows[f"{name}.ipynb"]
        got = tuple(float(row[q]) for q in ("q1", "q2", "q3", "q4"))
        assert got == expected, f"{name}: scores {got}, expected {expected}; notes: {row['notes']}"
        assert float(row["score"]) == sum(expected) and float(row["max_score"]) == 9
        assert note in row["notes"], f"{name}: notes {row['notes']!r}"
    assert "otter" in rows["edits_otter.ipynb"]["flags"]
    assert "allclose" in rows["redefines_numpy.ipynb"]["flags"]
    assert rows["correct.ipynb"]["flags"] == ""
    assert "submission" in run.stdout and "grades written to" in run.stdout


def test_lstm_grading_references_equal_the_models_they_describe():
    import torch
    from course_rnn.torch import LSTM
    for seed in range(8):
        args = cases.case_inputs("lstm_parameter_count", seed)
        (count,) = cases.reference("lstm_parameter_count", args, seed)
        if args["peepholes"]:
            module = LSTM(args["D"], args["H"], args["num_layers"], bidirectional=args["bidirectional"], peepholes=True)
        else:
            module = torch.nn.LSTM(args["D"], args["H"], args["num_layers"], bidirectional=args["bidirectional"])
        assert int(count) == sum(p.numel() for p in module.parameters()), args
    args = cases.case_inputs("retention", 3)
    kept, unit = cases.reference("retention", args, 3)
    c = np.ones(args["f"].shape[1])  # the carousel alone: c_t = f_t * c_(t-1), starting from c_s = 1
    for f_t in args["f"][args["s"]:]:
        c = f_t * c
    assert np.allclose(kept, c) and int(unit) == int(np.argmax(c))
