"""The parent's side of an oracle: functions a case hands to the learner but that must not run in the sandbox.

locate_bug gives the learner a broken ``backward``; if its bug were in the sandbox's memory, the learner
could read the answer from the closure. So the sandbox's ``backward`` only forwards each call over a pipe;
this thread computes it with the real bug and sends back the gradients. Messages are a 8-byte length and an
``.npz`` read through ``safe_io.load_npz`` (stored or deflate members only, at most ``limits["members"]`` of
them and ``limits["bytes"]`` once decompressed: a few times the case's own inputs, so that each request's
work stays that of the case). An oversized request, one that took longer than REQUEST_SECONDS, or any
request once ``stop`` is set (the harness sets it when the sandbox is dead) ends the conversation: the
thread computes nothing after the sandbox is gone. Only sets whose cases hold an oracle get the pipes.
"""
import io
import struct
import threading
import time

import numpy as np

from . import safe_io
from .cases import ORACLES

MAX_MESSAGE = 16 << 20
REQUEST_SECONDS = 5.0


def _read_exact(f, n):
    """``n`` bytes from the unbuffered pipe ``f`` (a read may return less than asked), or None at end of file."""
    chunks = []
    while n > 0:
        chunk = f.read(min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _answer(request):
    """Compute one call: the request holds name, seed, dhs and the per-step cache of ``rnn.forward``."""
    name, seed = str(request["name"]), int(request["seed"])
    T = int(request["T"])
    if not 1 <= T <= len(request):
        raise ValueError("the cache does not match its length")
    params = {k[len("param."):]: request[k] for k in request if k.startswith("param.")}
    cache = [(request[f"x_t.{t}"], request[f"h_prev.{t}"], request[f"a.{t}"], request[f"h.{t}"], params,
              str(request["activation"])) for t in range(T)]
    dx, dh0, grads = ORACLES[name](seed, request["dhs"], cache)
    return {"dx": dx, "dh0": dh0, **{f"grad.{k}": v for k, v in grads.items()}}


def serve(requests, replies, limits, stop):
    """Answer requests from the file ``requests`` on ``replies`` until end of file, a bad message or ``stop``."""
    with requests, replies:
        while True:
            header = _read_exact(requests, 8)
            if header is None or stop.is_set():
                return
            (size,) = struct.unpack("<Q", header)
            body = _read_exact(requests, size) if size <= MAX_MESSAGE else None
            if body is None or stop.is_set():
                return
            started = time.monotonic()
            try:
                reply = _answer(safe_io.load_npz(body, limits["bytes"], limits["members"]))
            except Exception as err:  # the learner's malformed call: an error for them, not for the grader
                reply = {"error": np.array(f"{type(err).__name__}: {err}"[:300])}
            if stop.is_set():
                return
            out = io.BytesIO()
            np.savez(out, **reply)
            try:
                replies.write(struct.pack("<Q", out.tell()) + out.getvalue())
                replies.flush()
            except OSError:
                return
            if time.monotonic() - started > REQUEST_SECONDS:
                return


def start(requests_fd, replies_fd, limits):
    """Serve in a daemon thread on the parent's ends of the two pipes; returns (thread, stop event)."""
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(open(requests_fd, "rb", buffering=0), open(replies_fd, "wb"),
                                                  limits, stop), daemon=True)
    thread.start()
    return thread, stop
