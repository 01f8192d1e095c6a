"""The parent's side of an oracle: functions a case hands to the learner but that must not run in the sandbox.

locate_bug gives the learner a broken ``backward``; if its bug were in the sandbox's memory, the learner
could read the answer from the closure. So the sandbox's ``backward`` only forwards each call over a pipe;
this thread computes it with the real bug and sends back the gradients. Messages are a 8-byte length and an
``.npz`` read with ``allow_pickle=False``; a malformed or oversized request ends the conversation.
"""
import io
import struct
import threading

import numpy as np

from .cases import ORACLES

MAX_MESSAGE = 64 << 20


def _read_exact(f, n):
    data = f.read(n)
    return data if data is not None and len(data) == n else None


def _answer(request):
    """Compute one call: the request holds name, seed, dhs and the per-step cache of ``rnn.forward``."""
    name, seed = str(request["name"]), int(request["seed"])
    T = int(request["T"])
    params = {k[len("param."):]: request[k] for k in request.files if k.startswith("param.")}
    cache = [(request[f"x_t.{t}"], request[f"h_prev.{t}"], request[f"a.{t}"], request[f"h.{t}"], params,
              str(request["activation"])) for t in range(T)]
    dx, dh0, grads = ORACLES[name](seed, request["dhs"], cache)
    return {"dx": dx, "dh0": dh0, **{f"grad.{k}": v for k, v in grads.items()}}


def serve(requests, replies):
    """Answer requests from the file ``requests`` on ``replies`` until end of file or a bad message."""
    with requests, replies:
        while True:
            header = _read_exact(requests, 8)
            if header is None:
                return
            (size,) = struct.unpack("<Q", header)
            body = _read_exact(requests, size) if size <= MAX_MESSAGE else None
            if body is None:
                return
            try:
                with np.load(io.BytesIO(body), allow_pickle=False) as request:
                    reply = _answer(request)
            except Exception as err:  # the learner's malformed call: an error for them, not for the grader
                reply = {"error": np.array(f"{type(err).__name__}: {err}"[:300])}
            out = io.BytesIO()
            np.savez(out, **reply)
            try:
                replies.write(struct.pack("<Q", out.tell()) + out.getvalue())
                replies.flush()
            except OSError:
                return


def start(requests_fd, replies_fd):
    """Serve in a daemon thread on the parent's ends of the two pipes; returns the thread."""
    thread = threading.Thread(target=serve, args=(open(requests_fd, "rb", buffering=0), open(replies_fd, "wb")),
                              daemon=True)
    thread.start()
    return thread
