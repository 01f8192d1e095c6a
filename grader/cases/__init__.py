"""Every set's hidden cases and references, dispatched by question name (trusted side only)."""
import numpy as np

from ..codec import Rng
from . import basic, ex06, ex07, ex08, ex08_judges

_LATER = (ex06, ex07, ex08)


def case_inputs(question, seed):
    """The keyword arguments of one hidden case of ``question``, made from ``seed``."""
    for later in _LATER:
        if question in later.QUESTIONS:
            return later.case_inputs(question, seed)
    return basic.case_inputs(question, seed)


def reference(question, inputs, seed):
    """The reference answer of ``question`` for the case made from ``seed``, as a flat tuple of arrays."""
    for later in _LATER:
        if question in later.QUESTIONS:
            return basic._flatten(later.reference(question, inputs, seed))
    return basic._flatten(basic.reference(question, inputs, seed))


def answer_bytes(question, inputs):
    """The size of an answer that is larger than its reference (a sample), for the harness's read limit; else 0."""
    return ex08.answer_bytes(question, inputs)


ORACLES = {"buggy_backward": basic.buggy_backward}


def _differ(answers):
    """orthogonal_init's extra check: two generators must give two different matrices, neither a signed permutation."""
    first, second = answers
    if first[0].shape != second[0].shape or first[0].dtype.kind not in "biuf" or second[0].dtype.kind not in "biuf":
        return "the two matrices are not comparable"
    if max(np.abs(first[0]).max(), np.abs(second[0]).max()) >= 0.99:  # a random 7x7 one: about 1 in 20 000
        return "the matrix must be a random orthogonal matrix, not (close to) a signed permutation"
    return "" if np.abs(first[0] - second[0]).max() > 1e-3 else "the matrix must depend on the generator"


# Calls beyond the seeded cases, judged together: question -> (list of inputs, judge(answers) -> reason).
EXTRA = {"orthogonal_init": ([{"H": 7, "rng": Rng(11)}, {"H": 7, "rng": Rng(12)}], _differ), **ex08_judges.EXTRA}

# Questions whose answers are judged by their properties rather than by equality: question -> judge(inputs,
# expected, answer) -> reason (grader/verdict.py calls it).
JUDGES = ex08_judges.JUDGES
