"""The verdict, computed by the trusted parent: answers read as plain data, validated, compared, clamped.

An answer file is an ``.npz`` written in the sandbox; it is read with ``allow_pickle=False``, so it can hold
numbers, booleans and strings only. Anything else (a missing or unreadable file, an object array, a wrong
count, shape or dtype, a NaN) fails that case. Scores are clamped to [0, points] per question.
"""
import numpy as np

RTOL, ATOL = 1e-6, 1e-8
MAX_ANSWER_BYTES = 16 << 20


def read_answer(path):
    """The arrays of one answer file as a tuple, or a string saying why it cannot be used."""
    if not path.is_file():
        error = path.with_suffix(".err")
        reason = error.read_text(errors="replace")[:200] if error.is_file() else "no answer"
        return reason.strip() or "no answer"
    if path.stat().st_size > MAX_ANSWER_BYTES:
        return "answer too large"
    try:
        with np.load(path, allow_pickle=False) as archive:
            count = len(archive.files)
            if sorted(archive.files) != sorted(f"arr_{k}" for k in range(count)):
                return "answer file malformed"
            return tuple(archive[f"arr_{k}"] for k in range(count))
    except Exception as err:
        return f"answer unreadable ({type(err).__name__})"


def _adjust(question, answer, inputs):
    """The partial-credit and any-valid-answer views of some questions, as the masters define them."""
    if question == "orthogonal_init" and len(answer) == 1 and answer[0].ndim == 2 and answer[0].dtype.kind in "biuf":
        return (answer[0].T @ answer[0],)  # any orthogonal matrix: W^T W = I
    if question == "adam_moments" and len(answer) == 3:
        return answer[1:]  # m_t and v_t right, whatever theta is
    if question == "bidirectional_forward_half" and len(answer) == 1 and answer[0].ndim == 3:
        return (answer[0][:, :, : inputs["params_fwd"]["W_hh"].shape[0]],)  # the forward half
    return answer


def compare(question, inputs, expected, answer):
    """"" if ``answer`` (tuple of arrays) matches ``expected``, else the reason."""
    answer = _adjust(question, answer, inputs)
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
