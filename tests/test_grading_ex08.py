"""Exercise set 8's grading: references equal the models and rules the questions describe, the hidden cases
break the mistakes they are meant to catch, the property judges accept every correct answer and name what is
wrong in the others, the public checks fail on the typical mistakes with their messages, and a folder of
canned submissions gets exactly the expected scores."""
import csv
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from course_rnn.numpy import rnn, truncated

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grader import cases, sandbox, spec, verdict  # noqa: E402
from grader.codec import Rng  # noqa: E402
from grader.cases import ex08, ex08_judges  # noqa: E402
from hostile import attacks  # noqa: E402

MASTER = ROOT / "exercises" / "masters" / "ex08_language_models.ipynb"
TESTS = {t["case"]: (t["function"], t["seeds"]) for q in spec.from_master(MASTER)["questions"] for t in q["tests"]}
SEEDS = {case: seeds for case, (_, seeds) in TESTS.items()}
needs_bwrap = pytest.mark.skipif(not sandbox.available(), reason="bwrap (bubblewrap) is not installed")


def _solutions():
    """The master's solution functions, run here (trusted code), by name."""
    namespace = {}
    exec("import numpy as np\nimport torch", namespace)
    for cell in nbformat.read(MASTER, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            exec(cell.source, namespace)
    return namespace


SOLUTIONS = _solutions()


def _draws(p, n, rng, how):
    """n draws per row of p (N, V) by one of three correct samplers."""
    if how == "choice":
        return np.stack([rng.choice(len(row), size=n, p=row) for row in p])
    if how == "inverse_cdf":
        return np.stack([np.minimum(np.searchsorted(np.cumsum(row), rng.random(n), side="right"), len(row) - 1)
                         for row in p])
    with np.errstate(divide="ignore"):  # Gumbel-max: argmax of log p + Gumbel noise
        return np.argmax(np.log(p)[:, None, :] + rng.gumbel(size=(len(p), n, p.shape[1])), axis=2)


def test_every_question_of_the_set_dispatches_from_the_grader_and_accepts_its_reference():
    for question in ex08.QUESTIONS:
        inputs = cases.case_inputs(question, 8)
        expected = cases.reference(question, inputs, 8)
        answer = tuple(np.asarray(a) for a in expected)
        if question in ex08.SAMPLES:
            answer = (_draws(expected[0], inputs["n"], np.random.default_rng(8), "choice"),)
        assert verdict.compare(question, inputs, expected, answer) == "", question
    with pytest.raises(ValueError, match="unknown question"):
        ex08.case_inputs("beam_search", 0)


def test_the_master_solutions_pass_every_hidden_case_in_process():
    for case, (function, seeds) in TESTS.items():
        for seed in seeds:
            inputs = cases.case_inputs(case, seed)
            calling = {k: np.random.default_rng(v.seed) if isinstance(v, Rng) else v for k, v in inputs.items()}
            answer = tuple(np.asarray(a) for a in cases.basic._flatten(SOLUTIONS[function](**calling)))
            assert verdict.compare(case, inputs, cases.reference(case, inputs, seed), answer) == "", (case, seed)


def _naive_perplexity(logits, targets, shift):
    """The two mistakes question 1 warns about: no max shift, or the log of a (shifted) softmax."""
    with np.errstate(all="ignore"):
        e = np.exp(logits - logits.max(axis=-1, keepdims=True) if shift else logits)
        p = e / e.sum(axis=-1, keepdims=True)
        return float(np.exp(-np.log(np.take_along_axis(p, targets[..., None], axis=-1)).mean()))


def test_perplexity_references_equal_torch_and_each_hidden_case_breaks_its_naive_softmax():
    for case in ex08.PERPLEXITY:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            (ppl,) = cases.reference(case, inputs, seed)
            logits = torch.as_tensor(inputs["logits"]).reshape(-1, inputs["logits"].shape[-1])
            want = torch.exp(torch.nn.functional.cross_entropy(logits, torch.as_tensor(inputs["targets"]).reshape(-1)))
            assert np.isfinite(ppl) and np.isclose(ppl, want.item(), rtol=1e-12), (case, seed)
            unshifted, log_of_softmax = (_naive_perplexity(inputs["logits"], inputs["targets"], s) for s in (False, True))
            assert np.isclose(unshifted, ppl) == (case == "perplexity"), (case, seed)
            assert np.isclose(log_of_softmax, ppl) == (case != "perplexity_confident"), (case, seed)


def test_the_distribution_judge_keeps_ties_and_names_each_broken_property():
    judge = ex08_judges.distribution
    for case in ex08.DISTRIBUTION:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            (p,) = cases.reference(case, inputs, seed)
            assert judge(inputs, (p,), (p.copy(),)) == ""
            if case != "sampling_distribution_cold":  # no probability underflows: kept is exactly p > 0
                assert np.array_equal(ex08_judges.kept(inputs["logits"], inputs["temperature"], inputs["top_k"]), p > 0)
            logits, tau, k = inputs["logits"], inputs["temperature"], inputs["top_k"]
            no_tau = SOLUTIONS["sampling_distribution"](logits, 1.0, k)
            assert "exp((o_" in judge(inputs, (p,), (no_tau,)), (case, seed)
            assert "sums to" in judge(inputs, (p,), (p * 1.01,))
            with np.errstate(all="ignore"):
                unshifted = np.exp(logits / tau) / np.exp(logits / tau).sum(axis=1, keepdims=True)
            if case == "sampling_distribution_cold":
                assert "finite" in judge(inputs, (p,), (unshifted,)), seed
        if case == "sampling_distribution_top_k":
            for seed in SEEDS[case]:
                inputs = cases.case_inputs(case, seed)
                (p,) = cases.reference(case, inputs, seed)
                assert (p[0] > 0).sum() == inputs["top_k"] + 1, "row 0 of every top-k case has a tie at the k-th"
                strict = np.zeros_like(p)  # exactly k tokens: the tie broken
                top = np.argsort(-inputs["logits"], axis=1, kind="stable")[:, :inputs["top_k"]]
                np.put_along_axis(strict, top, np.take_along_axis(p, top, axis=1), axis=1)
                assert "sums to" in judge(inputs, (p,), (strict,))
                strict /= strict.sum(axis=1, keepdims=True)
                assert "p[" in judge(inputs, (p,), (strict,)), seed
                no_top_k = SOLUTIONS["sampling_distribution"](inputs["logits"], inputs["temperature"], None)
                assert "must be exactly 0" in judge(inputs, (p,), (no_top_k,)), seed


def test_correct_samplers_of_three_kinds_pass_every_hidden_seed_and_wrong_ones_fail_each():
    for case in ex08.SAMPLES:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            (p,) = cases.reference(case, inputs, seed)
            for how in ("choice", "inverse_cdf", "gumbel"):
                ids = _draws(p, inputs["n"], np.random.default_rng(inputs["rng"].seed), how)
                assert ex08_judges.draws(inputs, (p,), (ids,)) == "", (case, seed, how)
            rng = np.random.default_rng(seed)
            no_tau = SOLUTIONS["sampling_distribution"](inputs["logits"], 1.0, inputs["top_k"])
            assert "binomial" in ex08_judges.draws(inputs, (p,), (_draws(no_tau, inputs["n"], rng, "choice"),)), seed
            if case == "sample_tokens_top_k":
                no_top_k = SOLUTIONS["sampling_distribution"](inputs["logits"], inputs["temperature"], None)
                assert "probability is 0" in ex08_judges.draws(inputs, (p,), (_draws(no_top_k, inputs["n"], rng, "choice"),))


def test_draws_must_come_from_the_generator_handed_in():
    inputs, judge = ex08_judges.EXTRA["sample_tokens"]
    p = ex08.distribution(inputs[0]["logits"], 1.0, None)
    honest = [(_draws(p, 200, np.random.default_rng(i["rng"].seed), "choice"),) for i in inputs]
    assert judge(honest) == ""
    unseeded = [(_draws(p, 200, np.random.default_rng(), "choice"),) for _ in inputs]  # np.random's own state
    assert "same seed" in judge(unseeded)
    fixed = [(_draws(p, 200, np.random.default_rng(0), "choice"),) for _ in inputs]  # the rng ignored, reseeded
    assert "different seeds" in judge(fixed)
    assert "integer ids" in judge([(honest[0][0] * 1.0,), honest[1], honest[2]])


def test_malformed_answers_get_a_reason_from_every_judge_never_an_exception(monkeypatch):
    malformed = [(), (np.array("text"),), (np.zeros((2, 2, 2)),), (np.full((3, 4000), -1, np.int64),),
                 (np.full((3, 4000), np.iinfo(np.uint64).max, np.uint64),), (np.ones((3, 4000), bool),),
                 (np.array([np.nan]), np.array([[1.0]]))]
    for question in ex08_judges.JUDGES:
        inputs = cases.case_inputs(question, 1)
        expected = cases.reference(question, inputs, 1)
        for answer in malformed:
            reason = verdict.compare(question, inputs, expected, answer)
            assert isinstance(reason, str) and reason, (question, answer)
    def broken(*args):
        raise ZeroDivisionError("a bug in a judge")
    monkeypatch.setitem(verdict.JUDGES, "sample_tokens", broken)
    inputs = cases.case_inputs("sample_tokens", 1)
    assert "could not be checked (ZeroDivisionError)" in verdict.compare("sample_tokens", inputs, (np.ones(1),), ())


def test_a_sample_of_the_expected_size_is_read_while_a_larger_one_is_refused(tmp_path):
    inputs = cases.case_inputs("sample_tokens", 80301)
    expected = cases.reference("sample_tokens", inputs, 80301)
    N, n = inputs["logits"].shape[0], inputs["n"]
    cap = verdict.limits(expected, cases.answer_bytes("sample_tokens", inputs))
    np.savez(tmp_path / "ok.npz", np.zeros((N, n), np.int64))
    np.savez(tmp_path / "big.npz", np.zeros((N, 3 * n), np.int64))
    assert isinstance(verdict.read_answer(tmp_path / "ok.npz", *cap), tuple)
    assert verdict.read_answer(tmp_path / "big.npz", *cap) == "answer too large"
    assert cases.answer_bytes("greedy_step", cases.case_inputs("greedy_step", 1)) == 0


def test_carried_gradients_reference_is_tbptt_t_t_and_differs_from_full_bptt():
    for case in ex08.CARRIED:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            grads, h = ex08.carried(**inputs)
            hs, cache = rnn.forward(inputs["x"], inputs["h0"], inputs["params"])
            T, L = inputs["T"], inputs["x"].shape[1]
            assert L % T == 0 and L > T
            windows = truncated.backward(inputs["dhs"], cache, T, T)
            full = rnn.backward(inputs["dhs"], cache)[2]
            for name in inputs["params"]:
                assert np.allclose(grads[name], sum(w[name] for w in windows), atol=1e-12), (seed, name)
            assert not np.allclose(grads["W_hh"], full["W_hh"]), f"seed {seed}: TBPTT(T, T) must differ from full BPTT"
            assert np.allclose(h, hs[:, -1], atol=1e-12)


def test_greedy_reference_is_the_package_character_model_and_its_argmax_is_clear():
    from course_rnn.torch.charlm import CharLM
    for case in ex08.GREEDY:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            next_ids, h = ex08.reference("greedy_step", inputs, seed)
            p = inputs["params"]
            (V, D), H = p["E"].shape, p["W_hh"].shape[0]
            model = CharLM(V, D, H, "rnn", scratch=True).double()
            with torch.no_grad():
                model.embedding.weight.copy_(torch.as_tensor(p["E"]))
                for name in ("W_xh", "W_hh", "b_h"):
                    getattr(model.rnn.cells[0], name).copy_(torch.as_tensor(p[name]))
                model.head.weight.copy_(torch.as_tensor(p["W_hy"]).T)
                model.head.bias.copy_(torch.as_tensor(p["b_y"]))
                logits, state = model(torch.as_tensor(inputs["ids"])[:, None], torch.as_tensor(inputs["h_prev"])[None])
            assert np.allclose(state[0].numpy(), h, atol=1e-12)
            assert np.array_equal(logits[:, -1].argmax(dim=1).numpy(), next_ids)
            top2 = np.sort(logits[:, -1].numpy(), axis=1)[:, -2:]
            assert np.all(top2[:, 1] - top2[:, 0] > 1e-6), f"seed {seed}: a near tie would make the argmax fragile"


def test_attention_reference_is_the_equation_and_ignores_whatever_the_pads_hold():
    for case in ex08.ATTENTION:
        for seed in SEEDS[case]:
            inputs = cases.case_inputs(case, seed)
            context, weights = ex08.reference(case, inputs, seed)
            p, mask = inputs["params"], inputs["mask"]
            e = np.tanh((inputs["s_prev"] @ p["W_a"])[:, None] + inputs["hs"] @ p["U_a"]) @ p["v_a"]  # (N, S)
            alpha = np.where(mask, np.exp(e), 0.0) / np.where(mask, np.exp(e), 0.0).sum(axis=1, keepdims=True)
            assert np.allclose(weights, alpha, atol=1e-12) and np.all(weights[~mask] == 0)
            assert np.allclose(context, np.einsum("ns,nsh->nh", alpha, np.where(mask[..., None], inputs["hs"], 0)))
            moved = {**inputs, "hs": np.where(mask[..., None], inputs["hs"], -7.0)}
            for got, want in zip(ex08.reference(case, moved, seed), (context, weights)):
                assert np.allclose(got, want, atol=1e-12)
            if case == "additive_attention_masked":
                lengths = mask.sum(axis=1)
                assert lengths.min() < mask.shape[1] == lengths.max(), "one padded row and one full row"
                assert np.abs(inputs["hs"][~mask]).min() >= 5, "the pads hold large values"
                leaky = weights + np.where(mask, 0.0, 1e-12)
                reason = ex08_judges.pads_weigh_nothing(inputs, (context, weights), (context, leaky))
                assert "exactly 0" in reason


# The public checks (run in the learner's kernel): each fails on a typical mistake with the message naming it.
def _source(name, *edits):
    """The master's solution cell of ``name`` with each (old, new) of ``edits`` replaced."""
    (cell,) = [c.source for c in nbformat.read(MASTER, as_version=4).cells if c.source.startswith(f"def {name}(")]
    for old, new in edits:
        assert old in cell, (name, old)
        cell = cell.replace(old, new)
    return cell


def _mistake(name, *edits):
    namespace = dict(SOLUTIONS)
    exec(_source(name, *edits), namespace)
    return namespace[name]


NO_DETACH = ("h = h.detach()  ", "h = h  ")  # the window's first line, not the return's
FULL_BPTT = (NO_DETACH, ("window_loss.backward()", "window_loss.backward(retain_graph=True)"))
MISTAKES = {  # name -> (question, function, edits, a fragment of the failing check's message)
    "log_of_softmax": ("q1", "perplexity", [("logits - m - np.log(np.exp(logits - m).sum(axis=-1, keepdims=True))",
                                             "np.log(np.exp(logits - m) / np.exp(logits - m).sum(axis=-1, keepdims=True))")],
                       "NLLs 0 and 800"),
    "no_max_shift": ("q1", "perplexity", [("m = logits.max(axis=-1, keepdims=True)", "m = 0.0")], "subtract each max first"),
    "ties_dropped": ("q2", "sampling_distribution", [("scaled >= kth", "scaled > kth")], "top_k=2 keeps tokens 4 and 0 only"),
    "overflows_when_cold": ("q2", "sampling_distribution", [("scaled - scaled.max(axis=1, keepdims=True)", "scaled")],
                            "temperature 0.01"),
    "one_softmax_for_the_batch": ("q2", "sampling_distribution", [("e.sum(axis=1, keepdims=True)", "e.sum()")],
                                  "each row sums to 1"),
    "global_random": ("q3", "sample_tokens", [("rng.choice(", "np.random.choice(")], "draw with the rng you are given"),
    "temperature_ignored": ("q3", "sample_tokens", [("sampling_distribution(logits, temperature, top_k)",
                                                     "sampling_distribution(logits, 1.0, top_k)")], "frequencies"),
    "not_detached": ("q4", "carried_gradients", [NO_DETACH], "backward through the graph a second time"),
    "full_bptt": ("q4", "carried_gradients", list(FULL_BPTT), "each window's backward must stop at its first step"),
    "not_carried": ("q4", "carried_gradients", [("h = h.detach()  ", "h = torch.as_tensor(h0)  ")],
                    "carry it from window to window"),
    "h_prev_forgotten": ("q5", "greedy_step", [('h_prev @ params["W_hh"]', "0.0")], "h = tanh(E[ids] W_xh + h_prev W_hh"),
    "argmax_over_the_batch": ("q5", "greedy_step", [("logits.argmax(axis=1)", "logits.argmax(axis=0)")],
                              "this model repeats its input"),
    "pads_not_masked": ("q6", "additive_attention", [('np.where(mask, hidden @ params["v_a"], -np.inf)', 'hidden @ params["v_a"]')],
                        "equal weights on the real positions"),
    "query_ignored": ("q6", "additive_attention", [('(s_prev @ params["W_a"])[:, None, :] + hs', "hs")],
                      "e_j = v_a . tanh"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_public_check_passes_the_solution_and_fails_a_typical_mistake_with_its_message(mistake):
    question, name, edits, message = MISTAKES[mistake]
    module = importlib.import_module(f"course_rnn.exercise_tests.ex08_language_models.{question}")
    (check,) = [v for k, v in vars(module).items() if k.startswith("test_") and k.endswith("_public")]
    check.test_func(SOLUTIONS[name])
    with pytest.raises(Exception, match=re.escape(message)), np.errstate(all="ignore"):
        check.test_func(_mistake(name, *edits))


def test_a_learner_running_the_public_checks_sees_them_pass_with_answers_and_fail_without(tmp_path):
    from nbclient import NotebookClient
    solved = ROOT / "_build" / "exercises" / "ex08_language_models" / "autograder" / "ex08_language_models.ipynb"
    if not solved.exists():
        pytest.fail("no autograder build: run `python tools/build_exercises.py --check` (make test does)")
    student = ROOT / "exercises" / "student" / "ex08_language_models.ipynb"
    for path, should_pass in ((solved, True), (student, False)):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
        for q in ("q1", "q2", "q3", "q4", "q5", "q6"):
            (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() == f'grader.check("{q}")']
            text = json.dumps(cell.outputs)
            assert f"{q} results:" in text, text[:500]
            assert ("All test cases passed!" in text) == should_pass, (path.name, q, text[:800])


CANNED = {  # name -> (the mistakes made, expected scores of q1..q6)
    "correct": ((), (3, 3, 2, 3, 2, 3)),
    "typical_mistakes": (("log_of_softmax", "ties_dropped", "global_random", "full_bptt", "pads_not_masked"),
                         (2, 2, 0, 1, 2, 1)),
    "more_mistakes": (("no_max_shift", "overflows_when_cold", "not_carried", "argmax_over_the_batch"),
                      (1, 2, 2, 0, 1, 3)),
}


@needs_bwrap
def test_grading_canned_submissions_gives_each_mistake_exactly_its_partial_credit(tmp_path):
    for name, (mistakes, _) in CANNED.items():
        nb = attacks.honest("ex08_language_models")
        for mistake in mistakes:
            _, function, edits, _ = MISTAKES[mistake]
            (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(f"def {function}(")]
            cell.source = _source(function, *edits)
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    nbformat.write(attacks._stub("ex08_language_models"), tmp_path / "stub.ipynb")
    run = subprocess.run([sys.executable, str(ROOT / "tools/grade.py"), "ex08_language_models", str(tmp_path),
                          "--jobs", "2", "--cell-timeout", "30", "--timeout", "120"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(tmp_path / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    questions = ("q1", "q2", "q3", "q4", "q5", "q6")
    for name, (_, expected) in [*CANNED.items(), ("stub", ((), (0,) * 6))]:
        row = rows[f"{name}.ipynb"]
        got = tuple(float(row[q]) for q in questions)
        assert got == expected, f"{name}: scores {got}, expected {expected}; notes: {row['notes']}"
        assert float(row["max_score"]) == 16
    assert rows["correct.ipynb"]["flags"] == "" and rows["correct.ipynb"]["notes"] == ""
