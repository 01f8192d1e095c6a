"""Chapter 5's cached forget-bias and depth runs were made by the code and settings now in the repository."""


def test_gated_cache_matches_the_code_and_runs_that_make_it():
    from course_rnn.experiments import gated
    cache = gated.load_cache()
    assert cache["hash"] == gated.code_hash(), (
        "chapter 5's cached results are stale: run `make cache` (or python -m course_rnn.experiments.gated) and commit the JSON")
    assert cache["settings"] == gated.SETTINGS
    assert set(cache["results"]) == {gated.key(run) for run in gated.RUNS}
    for run in gated.RUNS:
        result = cache["results"][gated.key(run)]
        assert {k: result[k] for k in run} == run
        assert len(result["steps_recorded"]) == len(result["train_loss"]) == run["steps"] // gated.SETTINGS["record_every"]
        assert result["test_loss"] >= 0


def test_the_gated_runner_trains_every_model_on_both_tasks():
    from course_rnn.experiments import gated
    for model in ("rnn", "gru", "lstm"):
        for task in ("adding", "copy"):
            run = {"group": "t", "model": model, "task": task, "T": 5, "steps": 4, "forget_bias": 1.0, "layers": 2, "seed": 0}
            steps, curve, test = gated.train(run, batch=4, hidden=6, record_every=2)
            assert steps == [2, 4] and len(curve) == 2 and test > 0


def test_forget_bias_is_added_to_the_forget_block_of_every_layer():
    from course_rnn.experiments import gated
    plain, biased = (gated.build("lstm", 3, 5, 2, b, seed=0) for b in (0.0, 2.5))
    for layer in range(2):
        shift = getattr(biased, f"bias_ih_l{layer}") - getattr(plain, f"bias_ih_l{layer}")
        assert shift[5:10].allclose(shift.new_full((5,), 2.5)) and shift[:5].abs().max() == 0 and shift[10:].abs().max() == 0
