"""Exercise set 7's graded cases: references equal the models and rules the questions describe."""
import sys
from pathlib import Path

import numpy as np
import pytest

from course_rnn.numpy import rnn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader import cases, verdict  # noqa: E402
from grader.cases import ex07  # noqa: E402


def test_every_question_of_the_set_dispatches_from_the_grader():
    for question in ex07.QUESTIONS:
        inputs = cases.case_inputs(question, 7)
        expected = cases.reference(question, inputs, 7)
        answer = tuple(np.asarray(a) for a in cases.basic._flatten(ex07.reference(question, inputs, 7)))
        assert verdict.compare(question, inputs, expected, answer) == ""


def test_clockwork_reference_with_every_period_one_is_the_plain_rnn():
    inputs = ex07.case_inputs("clockwork_forward", 3)
    inputs["periods"] = [1] * len(inputs["periods"])
    (hs,) = ex07.reference("clockwork_forward", inputs, 3)
    expected, _ = rnn.forward(inputs["x"], inputs["h0"], inputs["params"])
    assert np.allclose(hs, expected, atol=1e-12)


def test_clockwork_reference_freezes_each_module_between_its_ticks():
    for seed in range(10):
        inputs = ex07.case_inputs("clockwork_forward", seed)
        (hs,) = ex07.reference("clockwork_forward", inputs, seed)
        states = np.concatenate([inputs["h0"][:, None], hs], axis=1)  # h0, h_0, ..., h_(T-1)
        k = inputs["module_size"]
        for i, period in enumerate(inputs["periods"]):
            block = states[:, :, i * k:(i + 1) * k]
            for t in range(hs.shape[1]):
                if t % period:
                    assert np.array_equal(block[:, t + 1], block[:, t]), (seed, i, t)


def test_masked_references_ignore_whatever_the_padded_steps_hold():
    for question, arrays in (("masked_mean", ("hs",)), ("masked_attention", ("keys", "values"))):
        inputs = ex07.case_inputs(question, 11)
        expected = ex07.reference(question, inputs, 11)
        T = inputs[arrays[0]].shape[1]
        pads = np.arange(T)[None, :] >= inputs["lengths"][:, None]
        for name in arrays:
            inputs[name] = np.where(pads[:, :, None], 1e3, inputs[name])
        for got, want in zip(ex07.reference(question, inputs, 11), expected):
            assert np.allclose(got, want, atol=1e-12), question
    inputs = ex07.case_inputs("masked_attention", 11)
    _, weights = ex07.reference("masked_attention", inputs, 11)
    assert np.all(weights[np.arange(weights.shape[1])[None, :] >= inputs["lengths"][:, None]] == 0)


def test_scrn_reference_decays_the_context_by_alpha_without_input():
    inputs = ex07.case_inputs("scrn_step", 5)
    inputs["x_t"] = np.zeros_like(inputs["x_t"])
    _, s = ex07.reference("scrn_step", inputs, 5)
    assert np.allclose(s, inputs["alpha"] * inputs["s_prev"], atol=1e-15)


def test_unknown_questions_are_refused():
    with pytest.raises(ValueError, match="unknown question"):
        ex07.case_inputs("transformer", 0)


def test_every_masked_case_has_a_padded_row_and_a_full_row():
    for question in ("masked_mean", "masked_attention"):
        for seed in range(40):
            inputs = ex07.case_inputs(question, seed)
            T = (inputs["hs"] if question == "masked_mean" else inputs["keys"]).shape[1]
            assert inputs["lengths"].max() == T and inputs["lengths"].min() < T and inputs["lengths"].min() >= 1
