"""The fixed runner inside the sandbox: run a submission's code cells, then turn the parent's inputs into answers.

Standalone (it imports nothing from grader/): the sandbox holds this file, the submission's code cells,
the case inputs and a grading copy of ``course_rnn``, and nothing else of the course. Everything here
runs with the learner's code in the same process, so nothing it writes is trusted: the parent reads the
answer files as plain data and computes the verdict itself.

Layout of /submission: cells.json (list of sources), plan.json ({"cell_timeout", "call_timeout",
"calls": [{"id", "function", "case"}], "oracle_fds"}), cases/<case>.{json,npz}; answers go to
answers/<id>.npz (or .err), and counts of failed and interrupted cells to answers/cells.json.
"""
import io
import json
import os
import signal
import struct
import sys
import traceback

import numpy as np

ROOT = "/submission"


class CellTimeout(BaseException):
    """Raised in the learner's code when a cell or call runs past its time."""


def _alarm(signum, frame):
    raise CellTimeout()


def _timed(seconds, function, *args, **kwargs):
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _compile(source, index):
    try:
        return compile(source, f"<cell {index}>", "exec")
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager  # magics such as %matplotlib
        return compile(TransformerManager().transform_cell(source), f"<cell {index}>", "exec")


def run_cells(cells, namespace, timeout):
    """Execute each cell in ``namespace``; an error or a timeout ends that cell only. Returns the counts."""
    failed = interrupted = 0
    for index, source in enumerate(cells):
        try:
            _timed(timeout, exec, _compile(source, index), namespace)
        except CellTimeout:
            interrupted += 1
        except (Exception, SystemExit, KeyboardInterrupt):
            failed += 1
            traceback.print_exc()
    return {"failed": failed, "interrupted": interrupted}


def _oracle(name, seed, fds):
    """A function that forwards (dhs, cache) of ``rnn.forward`` to the parent and returns its answer."""
    send, receive = os.fdopen(fds[0], "wb", buffering=0, closefd=False), os.fdopen(fds[1], "rb", closefd=False)

    def backward(dhs, cache):
        arrays = {"name": np.array(name), "seed": np.array(seed), "T": np.array(len(cache)),
                  "dhs": np.asarray(dhs, dtype=float), "activation": np.array(str(cache[0][5]))}
        for t, (x_t, h_prev, a, h, _, _) in enumerate(cache):
            arrays.update({f"x_t.{t}": x_t, f"h_prev.{t}": h_prev, f"a.{t}": a, f"h.{t}": h})
        arrays.update({f"param.{k}": v for k, v in cache[0][4].items()})
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        send.write(struct.pack("<Q", buffer.tell()) + buffer.getvalue())
        (size,) = struct.unpack("<Q", receive.read(8))
        with np.load(io.BytesIO(receive.read(size)), allow_pickle=False) as reply:
            if "error" in reply.files:
                raise ValueError(str(reply["error"]))
            grads = {k[len("grad."):]: reply[k] for k in reply.files if k.startswith("grad.")}
            return reply["dx"], reply["dh0"], grads
    return backward


def decode(tree, arrays, fds):
    """The value that ``grader.codec.encode`` wrote as ``tree``."""
    if isinstance(tree, dict):
        if "__array__" in tree:
            return arrays[tree["__array__"]].copy()
        if "__dict__" in tree:
            return {k: decode(v, arrays, fds) for k, v in tree["__dict__"].items()}
        if "__list__" in tree:
            return [decode(v, arrays, fds) for v in tree["__list__"]]
        if "__tuple__" in tree:
            return tuple(decode(v, arrays, fds) for v in tree["__tuple__"])
        if "__rng__" in tree:
            return np.random.default_rng(tree["__rng__"])
        if "__oracle__" in tree:
            return _oracle(tree["__oracle__"], tree["seed"], fds)
    return tree


def flatten(result):
    """A result as a flat list of arrays; a dict becomes its values in key order."""
    flat = []
    for item in (result if isinstance(result, tuple) else (result,)):
        flat += [item[k] for k in sorted(item)] if isinstance(item, dict) else [item]
    return [np.asarray(a) for a in flat]


def answer(call, namespace, plan):
    """Call the learner's function on one case and write the answer file (or an .err file)."""
    stem = f"{ROOT}/answers/{call['id']}"
    try:
        function = namespace.get(call["function"])
        if not callable(function):
            raise NameError(f"{call['function']} is not defined")
        with open(f"{ROOT}/cases/{call['case']}.json") as f:
            tree = json.load(f)
        with np.load(f"{ROOT}/cases/{call['case']}.npz", allow_pickle=False) as archive:
            inputs = decode(tree, dict(archive), plan.get("oracle_fds"))
        arrays = flatten(_timed(plan["call_timeout"], function, **inputs))
        if any(a.dtype.kind not in "biufUS" for a in arrays):
            raise TypeError("the answer holds something other than numbers and strings")
        np.savez(stem + ".npz", *arrays)
    except CellTimeout:
        _write(stem + ".err", f"the call ran longer than {plan['call_timeout']} s")
    except BaseException as err:  # noqa: B036 - the learner's code may raise anything
        _write(stem + ".err", f"{type(err).__name__}: {err}"[:300])


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    with open(f"{ROOT}/plan.json") as f:
        plan = json.load(f)
    with open(f"{ROOT}/cells.json") as f:
        cells = json.load(f)
    namespace = {"__name__": "__main__", "display": lambda *a, **k: None}
    counts = run_cells(cells, namespace, plan["cell_timeout"])
    _write(f"{ROOT}/answers/cells.json", json.dumps(counts))
    for call in plan["calls"]:
        answer(call, namespace, plan)
    sys.stdout.flush()
    os._exit(0)  # no atexit handlers, no finalizers of the learner's objects


if __name__ == "__main__":
    main()
