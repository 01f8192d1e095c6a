"""The cached long-range grid: made by the code and settings in the repository, complete, and its verdicts
and learning rates follow the stated rules."""
import json

import pytest

from course_rnn.experiments import grid, longrange


@pytest.mark.parametrize("part", list(grid.PARTS))
def test_each_part_was_made_by_the_code_and_settings_now_in_the_repository(part):
    cache = grid.load(part)
    assert cache["hash"] == grid.code_hash(part), (
        f"longrange_{part}.json is stale: run `python -m course_rnn.experiments.grid {part}` (or `make cache`) and commit it")
    assert cache["settings"] == json.loads(json.dumps(grid.PARTS[part])) and tuple(cache["seeds"]) == grid.SEEDS


def _check_results(part, cache):
    expected = [grid.key(model, T) for T, models, *_ in grid.PARTS[part] for model in models]
    assert list(cache["results"]) == expected
    rule = longrange.RULES[part][0]
    for T, models, sequences, _ in grid.PARTS[part]:
        for model in models:
            records = cache["results"][grid.key(model, T)]
            assert [r["seed"] for r in records] == list(grid.SEEDS), (part, model, T)
            for r in records:
                where = f"{part} {model} T={T} seed {r['seed']}"
                assert r["sequences"] == list(range(grid.RECORD_EVERY, sequences + 1, grid.RECORD_EVERY)), where
                assert len(r["train_loss"]) == len(r["validation_curve"]) == len(r["sequences"]), where
                assert r["verdict"] == longrange.verdict(part, r["test"][rule], *r["baseline"]), where
                assert r["solved_at"] is None or r["solved_at"] in r["sequences"], where


def _check_rates(part, cache):
    lr = cache["lr"]
    assert set(lr) == set(grid.lr_settings(part))
    for model, chosen in lr.items():
        scores = {float(rate): loss for rate, loss in chosen["scores"].items()}
        assert set(scores) == set(grid.LR_GRID), model
        assert chosen["rate"] == min(grid.LR_GRID, key=lambda rate: scores[rate]), f"{part} {model}: {chosen}"


@pytest.mark.parametrize("part", list(grid.PARTS))
def test_every_setting_has_every_seed_with_complete_records_and_the_rules_verdict(part):
    _check_results(part, grid.load(part))


@pytest.mark.parametrize("part", list(grid.PARTS))
def test_each_learning_rate_is_the_grids_best_on_validation(part):
    _check_rates(part, grid.load(part))


def test_the_tables_settings_train_all_nine_models_over_at_least_five_seeds():
    assert len(grid.SEEDS) >= 5 and grid.LR_SEED not in grid.SEEDS
    for part in ("adding", "copy", "agreement"):
        assert set(grid.PARTS[part][0][1]) == set(longrange.MODELS), part
    for part, settings in grid.PARTS.items():
        assert len({sequences for T, _, sequences, _ in settings}) == 1, f"{part}: one budget for every setting"


def test_the_runner_writes_a_part_that_passes_the_checks_above(tmp_path, monkeypatch):
    monkeypatch.setattr(grid, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(grid, "RECORD_EVERY", 128)
    monkeypatch.setattr(grid, "SEEDS", (0, 1))
    monkeypatch.setitem(grid.PARTS, "agreement", [(4, ("tanh", "lstm_b1"), 256, 8), (6, ("tanh",), 256, 8)])
    monkeypatch.setitem(grid.LR_AT, "agreement", 3)
    grid.run(["agreement"], workers=1)
    cache = grid.load("agreement")
    assert cache["hash"] == grid.code_hash("agreement")
    assert list(cache["results"]) == ["tanh/T=4", "lstm_b1/T=4", "tanh/T=6"]
    _check_results("agreement", cache)
    _check_rates("agreement", cache)
    assert set(cache["lr"]) == {"tanh", "lstm_b1"} and cache["core_seconds"] > 0


def test_main_refuses_an_unknown_part():
    with pytest.raises(SystemExit, match="unknown part"):
        grid.main(["addition"])
