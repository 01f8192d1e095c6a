"""The grading harness's parts: the sandbox's walls, plain-data answers, clamped scores, withheld code, Gradescope."""
import json
import os
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
for path in ("/usr/probe", "/pkg/course_rnn/probe", "/tmp/probe", "/submission/probe", "/probe", "/root/probe",
             "/work/probe", "/grader/probe", "/dev/shm/probe", "/dev/probe"):
    try:
        open(path, "w").write("x"); seen[path] = "writable"
    except OSError:
        seen[path] = "read-only"
def fill(folder, chunk=b"\0" * (32 << 20)):  # MB written before the folder is full (32 MB files: FSIZE is 64 MB)
    written = 0
    try:
        for i in range(20):
            with open(f"{folder}/fill{i}", "wb") as f:
                f.write(chunk)
            written += 32
    except OSError:
        pass
    for i in range(20):
        try:
            os.remove(f"{folder}/fill{i}")
        except OSError:
            pass
    return written
seen["filled"] = {"/tmp": fill("/tmp"), "/submission": fill("/submission")}
os.mkdir("/submission/many")
seen["files"] = 0
try:
    for i in range(20000):
        open(f"/submission/many/{i}", "w").close()
        seen["files"] += 1
except OSError:
    pass
__import__("shutil").rmtree("/submission/many")
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
    with sandbox.private_tmpfs(private) as mounted:
        rc, timed_out, _ = sandbox.run(sandbox.command(private, package, probe), tmp_path, deadline=60)
        seen = json.loads((private / "seen.json").read_text())
    assert (rc, timed_out) == (0, False)
    assert mounted == (os.geteuid() == 0) and str(private) not in Path("/proc/self/mounts").read_text()
    assert {p for p, v in seen.items() if v == "writable"} == {"/tmp/probe", "/submission/probe"}, seen
    assert seen["filled"]["/tmp"] <= sandbox.TMP_BYTES >> 20, "the sandbox's /tmp must be a sized tmpfs"
    if mounted:
        assert seen["filled"]["/submission"] <= sandbox.SUBMISSION_BYTES >> 20, "/submission must be a sized tmpfs"
        assert seen["files"] < sandbox.SUBMISSION_FILES, "/submission must cap its number of files"
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


def _bzip2_bomb(path, names=("arr_0",), nbytes=256 << 20):
    """An .npz whose members are bzip2-compressed zero arrays of ``nbytes`` each (a few KB on disk)."""
    import bz2
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as z:
        for name in names:
            with z.open(f"{name}.npy", "w", force_zip64=True) as f:
                np.lib.format.write_array_header_2_0(f, {"descr": "<f8", "fortran_order": False, "shape": (nbytes // 8,)})
                chunk = bytes(16 << 20)
                for _ in range(nbytes // len(chunk)):
                    f.write(chunk)
    assert path.stat().st_size < 1 << 20 and bz2


def test_answer_files_that_are_links_fifos_folders_or_huge_are_refused_unread(tmp_path):
    import os
    secret = tmp_path / "host_secret.txt"
    secret.write_text("SECRET " * (1 << 20))  # a host file the sandbox could point at (7 MB)
    np.savez(tmp_path / "host.npz", np.ones(2))
    answers = tmp_path / "answers"
    answers.mkdir()
    os.symlink(secret, answers / "a.err")
    os.symlink(tmp_path / "host.npz", answers / "b.npz")
    os.mkfifo(answers / "c.npz")
    (answers / "d.npz").mkdir()
    os.symlink(secret, answers / "cells.json")
    (tmp_path / "elsewhere").mkdir()
    np.savez(tmp_path / "elsewhere" / "e.npz", np.ones(2))
    os.symlink(tmp_path / "elsewhere", tmp_path / "linked")
    for name in ("a.npz", "b.npz", "c.npz", "d.npz"):
        reason = verdict.read_answer(answers / name)
        assert isinstance(reason, str) and "refused" in reason and "SECRET" not in reason, (name, reason)
    assert "refused" in verdict.read_answer(tmp_path / "linked" / "e.npz")
    assert harness._cell_counts(answers) is None


def test_decompression_bombs_and_forged_headers_are_refused_before_decompressing(tmp_path):
    import resource
    _bzip2_bomb(tmp_path / "bomb.npz")
    with zipfile.ZipFile(tmp_path / "big.npz", "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("arr_0.npy", "w") as f:  # deflate within the 16 MB file cap, 64 MB once inflated
            np.lib.format.write_array(f, np.zeros(8 << 20))
    header = io_bytes = __import__("io").BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (1 << 34,)})
    with zipfile.ZipFile(tmp_path / "forged.npz", "w") as z:  # a header promising 128 GB, 8 bytes of data
        z.writestr("arr_0.npy", io_bytes.getvalue() + bytes(8))
    np.savez(tmp_path / "many.npz", *[np.ones(1)] * 200)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name in ("bomb.npz", "big.npz", "forged.npz", "many.npz"):
        reason = verdict.read_answer(tmp_path / name, *verdict.limits((np.ones(4),)))
        assert isinstance(reason, str), name
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50, f"the grader's memory grew by {grown_mb:.0f} MB reading bombs"
    np.savez_compressed(tmp_path / "ok.npz", np.ones(4), np.array("W_hh"))
    assert len(verdict.read_answer(tmp_path / "ok.npz", *verdict.limits((np.ones(4), np.array("W_hh"))))) == 2


def _oracle_call(served_fds, body):
    """Send one request (bytes) to an oracle thread; returns the reply's arrays, or None if it hung up."""
    import io as _io
    import os
    import struct
    requests_w, replies_r = served_fds
    os.write(requests_w, struct.pack("<Q", len(body)) + body)
    header = os.read(replies_r, 8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack("<Q", header)
    data = b""
    while len(data) < size:
        data += os.read(replies_r, size - len(data))
    with np.load(_io.BytesIO(data), allow_pickle=False) as reply:
        return {k: reply[k] for k in reply.files}


def test_the_oracle_serves_only_locate_bug_refuses_bombs_and_computes_nothing_once_stopped(tmp_path):
    import io as _io
    import os
    import resource
    from grader import oracle
    ex01 = harness.prepare(spec.from_master(ROOT / "exercises" / "masters" / "ex01_rnn.ipynb"), tmp_path / "a")
    ex02 = harness.prepare(spec.from_master(ROOT / "exercises" / "masters" / "ex02_bptt.ipynb"), tmp_path / "b")
    assert ex01.oracle_limits == {} and ex02.oracle_limits["bytes"] < 4 << 20
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    thread, stop = oracle.start(requests_r, replies_w, ex02.oracle_limits)
    _bzip2_bomb(tmp_path / "bomb.npz", ("name", "seed", "T", "dhs", "activation"), 64 << 20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reply = _oracle_call((requests_w, replies_r), (tmp_path / "bomb.npz").read_bytes())
    assert "error" in reply and (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 50
    big = _io.BytesIO()  # well formed, but far beyond the case's size: refused before any work
    np.savez(big, name=np.array("buggy_backward"), seed=np.array(0), T=np.array(1), dhs=np.zeros((50, 1, 400)),
             activation=np.array("tanh"), **{f"{k}.0": np.zeros((50, 400)) for k in ("x_t", "h_prev", "a", "h")},
             **{"param.W_hh": np.zeros((400, 400)), "param.W_xh": np.zeros((400, 400)), "param.b_h": np.zeros(400)})
    assert "too large" in str(_oracle_call((requests_w, replies_r), big.getvalue())["error"])
    stop.set()  # what the harness does once the sandbox is dead
    assert _oracle_call((requests_w, replies_r), big.getvalue()) is None
    thread.join(timeout=5)
    assert not thread.is_alive()
    os.close(requests_w)
    os.close(replies_r)


@needs_bwrap
def test_a_sandbox_that_cannot_start_stops_the_run_loudly_instead_of_grading_everyone_zero(tmp_path, monkeypatch):
    from grader import folder
    nbformat.write(attacks.honest("ex01_rnn"), tmp_path / "a.ipynb")
    real = sandbox.command
    failing = ["sh", "-c", "echo 'bwrap: Creating new namespace failed: Operation not permitted' >&2; exit 1"]
    monkeypatch.setattr(sandbox, "command", lambda *a, **k: failing + real(*a, **k)[1:])  # what a container does
    the_spec = spec.from_master(ROOT / "exercises" / "masters" / "ex01_rnn.ipynb")
    with pytest.raises(SystemExit, match="SANDBOX DOES NOT WORK.*Operation not permitted"):
        folder.grade_folder(the_spec, tmp_path, jobs=1)
    assert not (tmp_path / "grades.csv").exists()
    assert str(tmp_path) not in Path("/proc/self/mounts").read_text()


def test_huge_or_deep_code_skips_the_ast_comparison_and_says_so_while_pasted_code_is_still_flagged():
    import time
    withheld = package_copy.withheld_nodes("ex01_rnn")
    long_code = "def f():\n" + " a=[[[[[[[[1]]]]]]]]\n" * 12_500  # 250 KB
    many_nodes = "def f():\n" + " a=[[[[1]]]]\n" * 12_000  # 160 KB, about 100 000 AST nodes
    for code in (long_code, many_nodes):
        started = time.monotonic()
        found = flags.analyse([code], withheld)
        assert "too-large-to-analyse" in found and time.monotonic() - started < 3, found
    source = (package_copy.SOURCE / "numpy" / "jordan.py").read_text()
    import ast
    node = [n for n in ast.parse(source).body if getattr(n, "name", "") == "step_forward"][0]
    pasted = ast.get_source_segment(source, node).replace("def step_forward", "def jordan_step")
    assert flags.analyse([pasted, "import base64"], withheld) == "base64 copies:numpy.jordan:step_forward"


def test_orthogonal_init_refuses_a_signed_identity_but_not_a_random_orthogonal_matrix():
    signed = [(np.diag(np.random.default_rng(s).choice([-1.0, 1.0], 7)),) for s in (11, 12)]
    assert cases._differ(signed) != ""  # orthogonal, and different for the two generators, but not random
    honest = []
    for s in (11, 12):
        q, r = np.linalg.qr(np.random.default_rng(s).standard_normal((7, 7)))
        honest.append((q * np.sign(np.diag(r)),))
    assert cases._differ(honest) == ""


def test_the_grader_runs_openblas_on_one_thread_so_forking_a_sandbox_cannot_deadlock():
    code = "import grader, numpy, os; numpy.ones((500, 500)) @ numpy.ones((500, 500)); print(len(os.listdir('/proc/self/task')))"
    env = {k: v for k, v in __import__("os").environ.items() if not k.endswith("_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert run.stdout.strip() == "1", run.stdout + run.stderr
