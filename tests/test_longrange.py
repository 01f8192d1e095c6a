"""The long-range experiment design: the tasks as the papers define them, the baselines, the verdicts."""
import math

import numpy as np
import pytest
import torch

from course_rnn.experiments import longrange


def test_hochreiter_schmidhuber_adding_problem_follows_the_paper():
    x, y = longrange.adding_hs(2000, 60, seed=0)
    values, markers = x[:, :, 0], x[:, :, 1]
    assert np.all((values >= -1) & (values <= 1))
    assert np.all((markers == 1).sum(1) == 2), "exactly two marked steps"
    marked = np.sort(np.nonzero(markers == 1)[1].reshape(2000, 2), axis=1)  # (N, 2) the two marked steps
    assert marked[:, 0].max() <= 9, "one marker is among the first ten steps"
    assert marked[:, 1].max() <= 60 // 2 - 2, "both are among the first T/2 - 1 steps"
    unmarked_ends = markers[:, [0, -1]][markers[:, [0, -1]] != 1]
    assert np.all(unmarked_ends == -1), "the first and last steps carry the end marker -1 unless marked"
    assert np.all(values[marked[:, 0] == 0, 0] == 0), "X1 is zero when the first step is marked"
    rows = np.arange(2000)[:, None]
    assert np.allclose(y, 0.5 + values[rows, marked].sum(1) / 4)
    assert np.all((y >= 0) & (y <= 1)), "the target is the sum scaled to [0, 1]"


def test_hochreiter_schmidhuber_adding_problem_refuses_too_short_sequences():
    with pytest.raises(ValueError, match="T >= 22"):
        longrange.adding_hs(4, 20, seed=0)


@pytest.mark.parametrize("task", longrange.TASKS)
@pytest.mark.parametrize("model", longrange.MODELS)
def test_every_model_reads_out_every_task(model, task):
    x, y = longrange.task_data(task, 3, 24, seed=0)
    prediction = longrange.Net(model, task, x.shape[-1], 16)(x)
    loss = longrange.loss_of(task, prediction, y)
    assert loss.ndim == 0 and math.isfinite(loss.item()), f"{model} on {task}: loss {loss}"
    assert set(longrange.metrics(task, prediction, y)) == {"loss", longrange.RULES[task][0]}


def test_baselines_are_the_test_sets_own():
    _, y = longrange.task_data("adding", 1000, 50, seed=3)
    value, band = longrange.baseline("adding", 50, y)
    assert value == pytest.approx(float(((y - y.mean()) ** 2).mean()), rel=1e-6), "MSE of predicting the set's mean"
    assert 0.14 < value < 0.19 and 0 < band < 0.15 * value
    _, y = longrange.task_data("agreement", 1000, 10, seed=3)
    majority = max(float(y.float().mean()), 1 - float(y.float().mean()))
    assert longrange.baseline("agreement", 10, y)[0] == pytest.approx(majority)


def test_verdicts_follow_the_rule_and_the_noise_band():
    assert longrange.verdict("adding", 0.005, 0.165, 0.02) == "solved"
    assert longrange.verdict("adding", 0.150, 0.165, 0.02) == "≈ baseline"
    assert longrange.verdict("adding", 0.100, 0.165, 0.02) == "above baseline"
    assert longrange.verdict("copy", 0.99, 0.125, 0.01) == "solved"
    assert longrange.verdict("copy", 0.131, 0.125, 0.01) == "≈ baseline"
    assert longrange.verdict("copy", 0.05, 0.125, 0.01) == "below baseline"
    assert longrange.verdict("agreement", 0.949, 0.5, 0.05) == "above baseline"
    assert longrange.verdict("adding", 0.300, 0.165, 0.02) == "below baseline", "a larger MSE is worse"


def test_every_seeds_test_validation_and_training_chunks_come_from_their_own_generator_seeds():
    from course_rnn.experiments import grid
    seeds = (*grid.SEEDS, grid.LR_SEED)
    tags = {longrange._seed(seed, tag) for seed in seeds for tag in range(60)}  # 60 chunks: 192,000 sequences
    assert len(tags) == 60 * len(seeds)
    x0, _ = longrange.task_data("adding", 100, 20, longrange._seed(0, 0))
    x1, _ = longrange.task_data("adding", 100, 20, longrange._seed(0, 2))
    assert not torch.equal(x0, x1), "the test set and the first training chunk differ"


def test_a_short_run_learns_agreement_and_reports_its_verdict():
    for model in ("lstm_b1", "gru"):  # a Separate and an Ensemble
        for result in longrange.train(model, "agreement", 5, 0.01, 3200, seeds=(0, 1), record_every=640, eval_size=200):
            assert result["train_loss"][-1] < result["train_loss"][0], (model, result["seed"])
            assert result["verdict"] in ("solved", "above baseline"), result
            assert result["sequences"] == [640, 1280, 1920, 2560, 3200] and len(result["validation_curve"]) == 5
            solved = [v["accuracy"] >= 0.95 for v in result["validation_curve"]]
            assert result["solved_at"] == (result["sequences"][solved.index(True)] if any(solved) else None)


def test_the_learning_rate_is_chosen_by_validation_loss():
    rate, scores = longrange.choose_lr("lstm_b1", "agreement", 5, (1e-5, 0.01), 1600, eval_size=200)
    assert set(scores) == {1e-5, 0.01} and rate == min(scores, key=scores.get)
    assert rate == 0.01, f"a rate of 1e-5 cannot learn in 25 steps; scores {scores}"


@pytest.mark.parametrize("model", longrange.MODELS)
def test_a_seed_trained_beside_others_is_the_seed_trained_alone(model):
    """Seeds share one Ensemble (or Separate) in the cache: seed 1 must train as it would on its own."""
    settings = dict(batch=8, hidden=16, record_every=64, eval_size=50, clip=1e-3)  # a clip that always bites
    together = longrange.train(model, "adding", 12, 0.01, 128, seeds=(0, 1), **settings)[1]
    alone = longrange.train(model, "adding", 12, 0.01, 128, seeds=(1,), **settings)[0]
    assert together["seed"] == alone["seed"] == 1
    for name in ("train_loss",):
        assert together[name] == pytest.approx(alone[name], rel=1e-4, abs=1e-6), f"{model}: {name}"
    for split in ("validation", "test"):
        assert together[split]["mse"] == pytest.approx(alone[split]["mse"], rel=1e-4, abs=1e-6), f"{model}: {split} MSE"


def test_each_model_gets_its_defining_initialisation():
    irnn = longrange.build("irnn", 5, 8).cells[0]
    assert torch.equal(irnn.W_hh, torch.eye(8)) and irnn.b_h.abs().max() == 0
    assert irnn.W_xh.std() < 0.01 and irnn.nonlinearity == "relu"
    assert longrange.build("tanh", 5, 8).cells[0].nonlinearity == "tanh"
    torch.manual_seed(0)
    b0 = longrange.build("lstm_b0", 5, 8)
    torch.manual_seed(0)
    b1 = longrange.build("lstm_b1", 5, 8)
    shift = b1.bias_ih_l0 - b0.bias_ih_l0
    assert torch.allclose(shift[8:16], torch.ones(8)) and shift[:8].abs().max() == 0 and shift[16:].abs().max() == 0
    cw = longrange.build("clockwork", 5, 16)
    assert cw.periods == (1, 2, 4, 8, 16, 32, 64, 128) and cw.module_size == 2
    scrn = longrange.build("scrn", 5, 16)
    assert scrn.alpha == 0.95 and scrn.W_xs.shape == (5, 4) and scrn.W_hh.shape == (12, 12)
    assert longrange.build("peephole", 5, 8).cells[0].peepholes
    for model in longrange.MODELS:
        out = longrange.build(model, 5, 16)(torch.zeros(2, 3, 5))[0]
        assert out.shape == (2, 3, 16), model
    with pytest.raises(ValueError, match="multiple of 8"):
        longrange.build("clockwork", 5, 12)
    with pytest.raises(ValueError, match="model must be one of"):
        longrange.build("transformer", 5, 8)


def test_the_copy_task_recalls_copy_length_symbols_and_scores_only_them():
    x, y = longrange.task_data("copy", 50, 7, seed=3)
    L = longrange.COPY_LENGTH
    assert x.shape == (50, 7 + 2 * L, 10) and torch.all(y[:, :-L] == 0) and torch.all(y[:, -L:] >= 1)
    assert torch.equal(x[:, :L].argmax(2), y[:, -L:]), "the symbols recalled are the symbols shown"
    perfect = torch.nn.functional.one_hot(y, 9).float() * 50
    assert longrange.metrics("copy", perfect, y)["accuracy"] == 1.0
    blanks_right = perfect.clone()
    blanks_right[:, -L:] = 0  # every recalled symbol a tie: argmax picks the blank, always wrong
    assert longrange.metrics("copy", blanks_right, y)["accuracy"] == 0.0


def test_agreement_inputs_are_the_one_hot_sentences_of_the_data_module():
    from course_rnn import data
    x, y = longrange.task_data("agreement", 50, 7, seed=3)
    ids, labels = data.agreement(50, 7, seed=3)
    assert x.shape == (50, 9, len(data.AGREEMENT_VOCAB)) and torch.all(x.sum(2) == 1)
    assert torch.equal(x.argmax(2), torch.from_numpy(ids)) and torch.equal(y, torch.from_numpy(labels))


def test_a_diverged_run_reads_diverged():
    assert longrange.verdict("adding", float("nan"), 0.165, 0.02) == "diverged"
    assert longrange.verdict("copy", float("nan"), 0.125, 0.01) == "diverged"


def _record(task, value, base=0.5, band=0.05):
    rule = longrange.RULES[task][0]
    return {"test": {rule: value}, "baseline": (base, band), "verdict": longrange.verdict(task, value, base, band)}


def test_a_settings_mark_follows_most_of_its_seeds():
    from course_rnn.experiments.summary import summary
    mark = lambda values: summary("agreement", [_record("agreement", v) for v in values])  # noqa: E731
    solved = mark([0.99, 0.97, 0.96, 0.5, 0.6])
    assert solved["mark"] == "✓" and solved["solved"] == 3 and solved["median"] == 0.96
    assert (solved["low"], solved["high"]) == (0.5, 0.99)
    assert mark([0.99, 0.97, 0.52, 0.5, 0.6])["mark"] == "partly", "two of five solved is not most"
    assert mark([0.51, 0.49, 0.52, 0.99, 0.8])["mark"] == "≈ baseline"
    assert mark([0.1, 0.2, float("nan"), 0.5, 0.99])["mark"] == "✗"
    assert mark([0.1, 0.2, float("nan"), 0.5, 0.99])["median"] == pytest.approx(0.35), "the median of finite values"


def test_the_table_prints_each_cells_mark_count_median_and_range():
    from course_rnn.experiments import summary as s
    records = [_record("adding", v, base=0.167, band=0.02) for v in (0.0004, 0.002, 0.003, 0.16, 0.17)]
    one = s.summary("adding", records)
    assert s.cell("adding", one) == "✓ 3/5 · 0.003 (4e-04–0.170)"
    text = s.table({("gru", "adding", 150): one}, ["gru"], [("adding", 150)])
    assert text.splitlines()[2] == "| *memoryless baseline* | *0.167* |"
    assert text.splitlines()[3] == "| GRU | ✓ 3/5 · 0.003 (4e-04–0.170) |"


@pytest.mark.parametrize("task", longrange.TASKS)
def test_a_network_that_outputs_nan_reads_diverged_on_every_task(task):
    x, y = longrange.task_data(task, 20, 24, seed=0)
    torch.manual_seed(0)
    net = longrange.Net("gru", task, x.shape[-1], 8)
    with torch.no_grad():
        net.head.bias.fill_(float("nan"))
    scores = longrange.metrics(task, net(x), y)
    rule = longrange.RULES[task][0]
    assert math.isnan(scores[rule]), f"{task}: a nan network scored {scores}"
    assert longrange.verdict(task, scores[rule], 0.5, 0.05) == "diverged"


def test_only_the_plain_tanh_rnn_trains_unclipped():
    settings = dict(batch=8, hidden=8, record_every=64, eval_size=20)
    run = lambda model, clip: longrange.train(model, "adding", 10, 0.01, 128, seeds=(0,), clip=clip, **settings)[0]  # noqa: E731
    tanh_tiny, clipped_tiny, clipped_huge = run("tanh", 1e-6), run("clipped", 1e-6), run("clipped", 1e9)
    assert tanh_tiny["train_loss"] == clipped_huge["train_loss"], "tanh ignores clip; clipped with a clip that never bites is the same network"
    assert clipped_tiny["train_loss"] != clipped_huge["train_loss"], "the clipped RNN's clip must act"


def test_the_other_baselines_and_their_bands():
    _, y = longrange.task_data("adding_hs", 1000, 40, seed=3)
    share, band = longrange.baseline("adding_hs", 40, y)
    assert share == pytest.approx(float(((y - 0.5).abs() < 0.04).float().mean()))
    assert band == pytest.approx(3 * math.sqrt(share * (1 - share) / 1000))
    _, y = longrange.task_data("copy", 200, 10, seed=3)
    share, band = longrange.baseline("copy", 10, y)
    assert share == 1 / 8 and band == pytest.approx(3 * math.sqrt(1 / 8 * 7 / 8 / (200 * longrange.COPY_LENGTH)))


def test_record_every_must_be_a_multiple_of_the_batch():
    with pytest.raises(ValueError, match="multiple of batch"):
        longrange.train("tanh", "adding", 5, 0.01, 128, batch=64, record_every=100)


def test_fishers_exact_test_matches_its_textbook_values():
    from course_rnn.experiments.summary import clear_difference, fisher_p
    assert fisher_p(5, 5, 0, 5) == pytest.approx(2 / 252)  # the two extreme tables of C(10, 5) = 252
    assert fisher_p(4, 5, 0, 5) == pytest.approx(0.0476, abs=1e-4)
    assert fisher_p(2, 5, 0, 5) == pytest.approx(0.4444, abs=1e-4)
    assert fisher_p(3, 5, 3, 5) == pytest.approx(1.0)
    assert clear_difference(5, 5, 1, 5) and not clear_difference(3, 5, 1, 5)
