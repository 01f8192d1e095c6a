"""Cached experiment results were made by the code and settings now in the repository."""
import json

from course_rnn.experiments import adding


def test_adding_problem_cache_matches_the_code_and_settings_that_make_it():
    cache = json.loads(adding.CACHE.read_text())
    assert cache["hash"] == adding.code_hash(), (
        "chapters' cached adding-problem results are stale: run `make cache` and commit the JSON")
    assert cache["settings"] == adding.SETTINGS
    expected = {f"{kind}/{T}" for T in adding.SETTINGS["lengths"] for kind in adding.SETTINGS["models"]}
    assert set(cache["results"]) == expected
    for result in cache["results"].values():
        assert len(result["steps"]) == len(result["train_mse"]) == adding.SETTINGS["steps"] // adding.SETTINGS["record_every"]
        assert result["test_mse"] >= 0


def test_the_live_small_run_uses_the_same_training_code_as_the_cache():
    steps, curve, test_mse = adding.train("irnn", T=6, steps=20, batch=8, hidden=8, record_every=10)
    assert steps == [10, 20] and len(curve) == 2 and test_mse > 0
