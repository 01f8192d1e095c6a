"""Chapter 7's cached comparison was made by the code and settings now in the repository, and its
runner trains every model on every task."""
import math

import pytest
import torch

from course_rnn import data
from course_rnn.experiments import remedies


def test_remedies_cache_matches_the_code_and_settings_that_make_it():
    cache = remedies.load_cache()
    assert cache["hash"] == remedies.code_hash(), (
        "chapter 7's cached results are stale: run `python -m course_rnn.experiments.remedies` (or `make cache`) "
        "and commit remedies.json")
    assert cache["settings"] == remedies.SETTINGS


def test_every_run_is_in_the_cache_with_its_settings_and_complete_results():
    results = remedies.load_cache()["results"]
    assert set(results) == {remedies.key(run) for run in remedies.RUNS}
    for run in remedies.RUNS:
        result = results[remedies.key(run)]
        assert {k: result[k] for k in run} == run
        assert result["seconds"] > 0
        if run["group"] == "generation":
            assert len(result["output"]) == run["T"] and result["nmse"] >= 0 and result["parameters"] > 0
            continue
        assert len(result["steps_recorded"]) == len(result["train_loss"]) == run["steps"] // remedies.SETTINGS["record_every"]
        assert result["test_loss"] >= 0 and result["baseline"] == remedies.baseline(run["task"], run["T"])
        assert (result["test_accuracy"] is None) == (run["task"] == "adding")


def test_the_table_covers_every_model_on_every_task_at_two_lengths():
    table = [run for run in remedies.RUNS if run["group"] == "table"]
    assert {(r["model"], r["task"]) for r in table} == {(m, t) for m in remedies.MODELS for t in remedies.LENGTHS}
    assert all(len(lengths) == 2 for lengths in remedies.LENGTHS.values())
    assert len(table) == len(remedies.MODELS) * 6


@pytest.mark.parametrize("task", list(remedies.LENGTHS))
def test_the_runner_trains_every_model_a_few_steps(task):
    for model in remedies.MODELS:
        run = {"group": "t", "model": model, "task": task, "T": 6, "steps": 4, "seed": 0}
        steps, curve, test, acc = remedies.train(run, batch=4, hidden=8, record_every=2, test_size=8)
        assert steps == [2, 4] and len(curve) == 2 and math.isfinite(test) and test >= 0, model
        assert (acc is None) == (task == "adding") and (acc is None or 0 <= acc <= 1)


def test_the_generation_runner_trains_each_model_and_counts_only_unmasked_weights():
    for model, size in (("rnn", 4), ("lstm", 3), ("clockwork", 6)):
        nmse, output, n_params = remedies.train_generation(model, size, T=12, steps=2, lr=0.01, seed=0)
        assert len(output) == 12 and nmse > 0
    cw_params = remedies.train_generation("clockwork", 6, T=4, steps=1, lr=0.01, seed=0)[2]
    # 2 modules of 3 units: W_xh 1x6, W_hh keeps 3 of its 4 blocks of 3x3, b_h 6, head 6 + 1
    assert cw_params == 6 + 27 + 6 + 7


def test_the_generation_models_are_of_about_the_same_size():
    sizes = remedies.GENERATION["sizes"]
    counts = [remedies.train_generation(m, sizes[m], T=2, steps=1, lr=0.0, seed=0)[2] for m in sizes]
    assert max(counts) < 1.15 * min(counts), counts


def test_baselines_are_the_memoryless_strategies():
    assert remedies.baseline("adding", 50) == pytest.approx(1 / 6)
    assert remedies.baseline("copy", 20) == pytest.approx(10 * math.log(8) / 40)
    assert remedies.baseline("copy", 20) == pytest.approx(float(data.copy_task_baseline(20)))
    assert remedies.baseline("agreement", 30) == pytest.approx(math.log(2))


def test_build_gives_each_model_its_defining_initialisation():
    irnn = remedies.build("irnn", 5, 8, seed=0)
    assert torch.equal(irnn.weight_hh_l0, torch.eye(8)) and irnn.bias_ih_l0.abs().max() == 0
    assert irnn.weight_ih_l0.std() < 0.01 and irnn.nonlinearity == "relu"
    b0, b1 = remedies.build("lstm_b0", 5, 8, seed=0), remedies.build("lstm_b1", 5, 8, seed=0)
    shift = b1.bias_ih_l0 - b0.bias_ih_l0
    assert torch.allclose(shift[8:16], torch.ones(8)) and shift[:8].abs().max() == 0 and shift[16:].abs().max() == 0
    cw = remedies.build("clockwork", 5, 16, seed=0)
    assert cw.periods == (1, 2, 4, 8, 16, 32, 64, 128) and cw.module_size == 2
    scrn = remedies.build("scrn", 5, 16, seed=0)
    assert scrn.alpha == 0.95 and scrn.W_xs.shape == (5, 4) and scrn.W_hh.shape == (12, 12)
    assert remedies.build("peephole", 5, 8, seed=0).cells[0].peepholes
    for model in remedies.MODELS:
        out = remedies.build(model, 5, 16, seed=0)(torch.zeros(2, 3, 5))[0]
        assert out.shape == (2, 3, 16), model
    with pytest.raises(ValueError, match="multiple of 8"):
        remedies.build("clockwork", 5, 12, seed=0)
    with pytest.raises(ValueError, match="model must be one of"):
        remedies.build("transformer", 5, 8, seed=0)


def test_the_waveform_spans_minus_one_to_one_and_has_three_time_scales():
    y = remedies.waveform(320)
    assert y.shape == (320,) and abs(y).max() == pytest.approx(1.0)
    spectrum = abs(torch.fft.rfft(torch.tensor(y)))
    assert {2, 8, 40} <= set(torch.topk(spectrum, 4).indices.tolist())  # 320/160, 320/40, 320/8 cycles


def test_summary_marks_a_run_as_beating_the_baseline_only_when_clearly_below_it():
    results = {remedies.key(run): {"test_loss": 1.0, "baseline": 1.0, "test_accuracy": None, "seconds": 2.0}
               for run in remedies.RUNS}
    first, second = [run for run in remedies.RUNS if run["group"] == "table"][:2]
    results[remedies.key(first)]["test_loss"] = 0.85
    results[remedies.key(second)]["test_loss"] = 0.95
    rows = remedies.summary(results)
    assert len(rows) == len(remedies.MODELS) * 6
    assert rows[0]["beats"] and not rows[1]["beats"] and not rows[2]["beats"]
    assert rows[0]["ratio"] == pytest.approx(0.85) and rows[0]["steps_per_second"] == first["steps"] / 2.0


def test_agreement_inputs_are_the_one_hot_sentences_of_the_data_module():
    x, y = remedies.task_data("agreement", 50, 7, seed=3)
    ids, labels = data.agreement(50, 7, seed=3)
    assert x.shape == (50, 9, len(data.AGREEMENT_VOCAB)) and torch.all(x.sum(2) == 1)
    assert torch.equal(x.argmax(2), torch.from_numpy(ids)) and torch.equal(y, torch.from_numpy(labels))


def test_the_seed_check_repeats_the_long_agreement_setting_of_the_table():
    checks = [run for run in remedies.RUNS if run["group"] == "seeds"]
    assert {(r["model"], r["seed"]) for r in checks} == {(m, s) for m in remedies.SEED_CHECK for s in (1, 2)}
    assert all(r["task"] == "agreement" and r["T"] == max(remedies.LENGTHS["agreement"]) for r in checks)
