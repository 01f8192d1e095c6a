"""Chapter 7's cached generation runs were made by the code and settings now in the repository."""
import pytest
import torch

from course_rnn.experiments import remedies


def test_remedies_cache_matches_the_code_and_settings_that_make_it():
    cache = remedies.load_cache()
    assert cache["hash"] == remedies.code_hash(), (
        "chapter 7's cached results are stale: run `python -m course_rnn.experiments.remedies` (or `make cache`) "
        "and commit remedies.json")
    assert cache["settings"] == remedies.GENERATION


def test_every_run_is_in_the_cache_with_its_settings_and_complete_results():
    results = remedies.load_cache()["results"]
    assert set(results) == {remedies.key(run) for run in remedies.RUNS}
    for run in remedies.RUNS:
        result = results[remedies.key(run)]
        assert {k: result[k] for k in run} == run
        assert result["seconds"] > 0
        assert len(result["output"]) == run["T"] and result["nmse"] >= 0 and result["parameters"] > 0


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


def test_the_waveform_spans_minus_one_to_one_and_has_three_time_scales():
    y = remedies.waveform(320)
    assert y.shape == (320,) and abs(y).max() == pytest.approx(1.0)
    spectrum = abs(torch.fft.rfft(torch.tensor(y)))
    assert {2, 8, 40} <= set(torch.topk(spectrum, 4).indices.tolist())  # 320/160, 320/40, 320/8 cycles
