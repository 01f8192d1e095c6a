"""Chapter 8's cached language models and encoder-decoders were made by the code and settings now in the repository."""
import math

import pytest

from course_rnn import corpus, numbers, poems, streams
from course_rnn.experiments import charlm as lm_cache
from course_rnn.experiments import tang, translation


def test_shakespeare_cache_matches_the_code_and_holds_every_run():
    cache = lm_cache.load()
    assert cache["hash"] == lm_cache.code_hash(), (
        "chapter 8's Shakespeare cache is stale: run `make cache` (python -m course_rnn.experiments.charlm) and commit it")
    runs = cache["runs"]
    assert sorted((r["cell"], r["seed"]) for r in runs) == sorted((c, s) for c in lm_cache.CELLS for s in lm_cache.SEEDS)
    steps, every = lm_cache.SHAKESPEARE["steps"], lm_cache.SHAKESPEARE["every"]
    for r in runs:
        assert len(r["valid_nll"]) == len(r["train_loss"]) == steps // every
        assert r["lr"] == cache["lr"][r["cell"]]["rate"]
        assert 0 < r["valid_nll"][-1] < math.log(65)
    for choice in cache["lr"].values():
        assert set(choice["scores"]) == {str(lr) for lr in lm_cache.LR_GRID}
        assert choice["rate"] == float(min(choice["scores"], key=choice["scores"].get))


def test_tang_cache_matches_the_code_and_its_best_epoch_is_the_lowest_validation_loss():
    cache = tang.load()
    assert cache["hash"] == tang.code_hash(), (
        "chapter 8's Tang cache is stale: run `make cache` (python -m course_rnn.experiments.tang) and commit it")
    assert cache["settings"] == tang.SETTINGS and [r["seed"] for r in cache["runs"]] == list(tang.SEEDS)
    for r in cache["runs"]:
        assert len(r["train_nll"]) == len(r["valid_nll"]) == tang.SETTINGS["epochs"]
        assert r["best_epoch"] == r["valid_nll"].index(min(r["valid_nll"])) + 1
        for which in ("best", "last"):
            assert len(r[f"samples_{which}"]) == tang.SETTINGS["samples"]
            assert all(len(p) == poems.LENGTH for p in r[f"samples_{which}"])


def test_checkpoints_are_small_and_are_the_cached_models():
    from course_rnn.torch import charlm
    paths = [lm_cache.CHECKPOINT, tang.CHECKPOINT] + [translation.checkpoint(v) for v in translation.VARIANTS]
    total = sum(p.stat().st_size for p in paths)
    assert total < 5 * 2 ** 20, f"chapter 8's checkpoints take {total / 2 ** 20:.1f} MB"
    model, vocab = lm_cache.load_model()
    _, valid = streams.split(vocab.encode(corpus.read("shakespeare")))
    record = next(r for r in lm_cache.load()["runs"] if (r["cell"], r["seed"]) == ("lstm", 0))
    assert abs(charlm.mean_nll(model, valid) - record["valid_nll"][-1]) < 1e-4
    model, vocab = tang.load_model()
    _, valid = tang.data()[1:]
    best = tang.load()["runs"][0]
    assert abs(charlm.mean_nll(model, valid, N=8, T=tang.SETTINGS["T"]) - min(best["valid_nll"])) < 2e-3  # float16 weights


def test_translation_cache_matches_the_code_and_holds_every_run():
    cache = translation.load()
    assert cache["hash"] == translation.code_hash(), (
        "chapter 8's translation cache is stale: run `make cache` (python -m course_rnn.experiments.translation) and commit it")
    assert cache["settings"] == translation.SETTINGS
    runs = cache["runs"]
    assert sorted((r["variant"], r["seed"]) for r in runs) == sorted((v, s) for v in translation.VARIANTS for s in translation.SEEDS)
    for r in runs:
        counts = r["exact_by_words"]
        assert sum(n for _, n in counts.values()) == translation.SETTINGS["test_size"]
        assert math.isclose(sum(k for k, _ in counts.values()) / translation.SETTINGS["test_size"], r["exact"], abs_tol=1e-4)
        assert len(r["error_free_running"]) == len(r["error_teacher_forced"]) == numbers.MAX_DIGITS + 1
        assert r["lr"] == cache["lr"][r["variant"]]["rate"]
    for choice in cache["lr"].values():
        assert choice["rate"] == float(max(choice["scores"], key=choice["scores"].get))


@pytest.mark.parametrize("module", ["charlm", "tang", "translation"])
def test_the_runners_write_caches_that_load(module, tmp_path, monkeypatch):
    if module == "charlm":
        monkeypatch.setattr(lm_cache, "CACHE", tmp_path / "c.json")
        monkeypatch.setattr(lm_cache, "CHECKPOINT", tmp_path / "s.pt")
        monkeypatch.setitem(lm_cache.SHAKESPEARE, "steps", 4)
        monkeypatch.setitem(lm_cache.SHAKESPEARE, "every", 2)
        monkeypatch.setattr(lm_cache, "SEEDS", (0,))
        monkeypatch.setattr(lm_cache, "LR_GRID", (0.01,))
        monkeypatch.setattr(lm_cache, "LR_FRACTION", 0.5)
        lm_cache.main(workers=1)
        cache = lm_cache.load()
        assert cache["hash"] == lm_cache.code_hash() and len(cache["runs"]) == len(lm_cache.CELLS)
        assert lm_cache.load_model()[0] is not None
    elif module == "tang":
        monkeypatch.setattr(tang, "CACHE", tmp_path / "t.json")
        monkeypatch.setattr(tang, "CHECKPOINT", tmp_path / "t.pt")
        monkeypatch.setitem(tang.SETTINGS, "epochs", 1)
        monkeypatch.setitem(tang.SETTINGS, "samples", 2)
        monkeypatch.setattr(tang, "SEEDS", (0,))
        tang.main(workers=1)
        cache = tang.load()
        assert cache["hash"] == tang.code_hash() and cache["runs"][0]["best_epoch"] == 1
        assert tang.load_model()[0] is not None
    else:
        monkeypatch.setattr(translation, "CACHE", tmp_path / "x.json")
        monkeypatch.setattr(translation, "CACHE_DIR", tmp_path)
        for key, value in {"steps": 100, "test_size": 30, "valid_size": 10}.items():
            monkeypatch.setitem(translation.SETTINGS, key, value)
        monkeypatch.setattr(translation, "SEEDS", (0,))
        monkeypatch.setattr(translation, "LR_GRID", (0.01,))
        translation.main(workers=1)
        cache = translation.load()
        assert cache["hash"] == translation.code_hash() and len(cache["runs"]) == 2
        assert translation.load_model("attention").attention is not None
