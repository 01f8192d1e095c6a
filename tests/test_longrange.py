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
    rnn = longrange.build(model, x.shape[-1], 16, seed=0)
    head = torch.nn.Linear(16, longrange.n_outputs(task))
    prediction = longrange.outputs(task, rnn, head, x)
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


def test_training_data_never_meets_the_test_or_validation_data():
    tags = {longrange._seed(0, tag) for tag in range(50)} | {longrange._seed(1, tag) for tag in range(50)}
    assert len(tags) == 100


def test_a_short_run_learns_agreement_and_reports_its_verdict():
    result = longrange.train("lstm_b1", "agreement", 5, 0.01, 3200, seed=0, record_every=640, eval_size=200)
    assert result["train_loss"][-1] < result["train_loss"][0]
    assert result["verdict"] in ("solved", "above baseline"), result


def test_the_learning_rate_is_chosen_by_validation_loss():
    rate, scores = longrange.choose_lr("lstm_b1", "agreement", 5, (1e-5, 0.01), 1600, eval_size=200)
    assert set(scores) == {1e-5, 0.01} and rate == min(scores, key=scores.get)
    assert rate == 0.01, f"a rate of 1e-5 cannot learn in 25 steps; scores {scores}"
