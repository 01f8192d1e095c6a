"""The verdict, computed by the trusted parent: answers read as plain data, validated, compared, clamped.

An answer file is an ``.npz`` written in the sandbox; it is read with ``allow_pickle=False``, so it can hold
numbers, booleans and strings only, after ``safe_io``'s checks (no links, no devices, bounded reads, no
decompression bomb: the cap follows from the reference's size, see ``limits``). Anything else (a missing
or unreadable file, an object array, a wrong count, shape or dtype, a NaN) fails that case. A few questions'
answers are judged by their properties rather than by equality (``cases.JUDGES``: ex08's sampling
distributions and samples, and its masked attention). Scores are clamped to [0, points] per question.
"""
import os

import numpy as np

from . import safe_io
from .cases import JUDGES

RTOL, ATOL = 1e-6, 1e-8
MAX_ANSWER_BYTES = 16 << 20  # the file as written (compressed or not)
MAX_UNCOMPRESSED = 8 << 20  # its arrays, for calls without a reference (checked by a judge)
MAX_MEMBERS = 64


def read_answer(path, max_bytes=MAX_UNCOMPRESSED, max_members=MAX_MEMBERS):
    """The arrays of one answer file as a tuple, or a string saying why it cannot be used.

    ``path`` and its ``.err`` sibling are read through ``safe_io``: no links (the file or its folder), no
    FIFOs or devices, at most MAX_ANSWER_BYTES, and at most ``max_bytes`` once decompressed.
    """
    try:
        folder = safe_io.open_dir(path.parent)
    except FileNotFoundError:
        return "no answer"
    except safe_io.Refused:
        return "answers folder refused (not a plain directory)"
    try:
        return _read(path.name, folder, max_bytes, max_members)
    finally:
        os.close(folder)


def _read(name, folder, max_bytes, max_members):
    try:
        data = safe_io.read_bytes(name, MAX_ANSWER_BYTES, dir_fd=folder)
    except FileNotFoundError:
        try:
            reason = safe_io.read_bytes(name.removesuffix(".npz") + ".err", 4096, dir_fd=folder)
        except FileNotFoundError:
            return "no answer"
        except safe_io.Refused as err:
            return f"error file refused ({err})"
        return reason.decode(errors="replace")[:200].strip() or "no answer"
    except safe_io.Refused as err:
        return f"answer refused ({err})"
    try:
        archive = safe_io.load_npz(data, max_bytes, max_members)
    except safe_io.Refused as err:
        return str(err)
    count = len(archive)
    if sorted(archive) != sorted(f"arr_{k}" for k in range(count)):
        return "answer file malformed"
    return tuple(archive[f"arr_{k}"] for k in range(count))


def limits(expected, answer_bytes=0):
    """(max uncompressed bytes, max members) of an answer to a call whose reference is ``expected`` (or None).

    ``answer_bytes``: the size of an answer that is rightly larger than its reference (ex08's samples).
    """
    if expected is None:
        return MAX_UNCOMPRESSED, MAX_MEMBERS
    nbytes = max(4 * sum(np.asarray(e).nbytes for e in expected), 2 * answer_bytes)
    return nbytes + (64 << 10), 2 * len(expected) + 4


def _adjust(question, answer, inputs):
    """The partial-credit and any-valid-answer views of some questions, as the masters define them."""
    if question == "orthogonal_init" and len(answer) == 1 and answer[0].ndim == 2 and answer[0].dtype.kind in "biuf":
        return (answer[0].T @ answer[0],)  # any orthogonal matrix: W^T W = I
    if question == "adam_moments" and len(answer) == 3:
        return answer[1:]  # m_t and v_t right, whatever theta is
    if question == "bidirectional_forward_half" and len(answer) == 1 and answer[0].ndim == 3:
        return (answer[0][:, :, : inputs["params_fwd"]["W_hh"].shape[0]],)  # the forward half
    if question == "carried_state" and len(answer) == 4:
        return answer[3:]  # h_L right (the state carried), whatever the gradients are
    if question == "greedy_state" and len(answer) == 2:
        return answer[1:]  # h right, whatever the next ids are
    return answer


def compare(question, inputs, expected, answer):
    """"" if ``answer`` (tuple of arrays) matches ``expected``, or has the properties its question's judge
    asks for (``cases.JUDGES``), else the reason."""
    answer = _adjust(question, answer, inputs)
    judge = JUDGES.get(question)
    if judge is None:
        return equal(expected, answer)
    try:
        return judge(inputs, expected, answer)
    except Exception as err:  # noqa: BLE001 - a judge must never stop the grading of a submission
        return f"the answer could not be checked ({type(err).__name__})"


def equal(expected, answer):
    """"" if ``answer`` (tuple of arrays) equals ``expected`` within RTOL and ATOL, else the reason."""
    if len(answer) != len(expected):
        return f"expected {len(expected)} result(s), got {len(answer)}"
    for k, (got, want) in enumerate(zip(answer, expected)):
        want = np.asarray(want)
        if got.shape != want.shape:
            return f"result {k} has shape {got.shape}, expected {want.shape}"
        if want.dtype.kind in "US":
            if got.dtype.kind not in "US" or got.tolist() != want.tolist():
                return f"result {k} is not the right answer"
            continue
        if got.dtype.kind not in "biuf" or not np.all(np.isfinite(got)):
            return f"result {k} is not all finite real numbers"
        if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
            return f"result {k} differs from the reference by up to {np.max(np.abs(got - want)):.3g}"
    return ""


def question_scores(spec, passed):
    """Scores per question: each hidden test's points when all its cases passed, clamped to the question's."""
    scores = {}
    for question in spec["questions"]:
        earned = sum(test["points"] for test in question["tests"] if passed.get(test["id"]) is True)
        scores[question["name"]] = float(min(max(earned, 0.0), question["points"]))
    return scores
