r"""The long-range tasks, the models and the training loop of the course's cached experiments (issue 16).

One design for every long-lag experiment:
- **Tasks.** The adding problem in Le et al.'s (2015) form (``adding``: values in U(0, 1), the target
  their sum) and in Hochreiter & Schmidhuber's (1997) (``adding_hs``: values in U(-1, 1), the first
  marker among the first ten steps, the second among the first T/2 - 1, end markers -1, the target
  0.5 + (X1 + X2)/4; their lengths vary in [T, T + T/10], ours are fixed at T so that a batch is one
  tensor); the copy task (8 symbols, delay T; Arjovsky et al. 2016); the agreement task (distance T).
- **Models.** ``MODELS``: the tanh RNN, the same clipped, the IRNN, the GRU, the LSTM with forget
  bias 0 and 1, the peephole LSTM, the Clockwork RNN and the SCRN, each with about H units of state.
- **Budget** in sequences seen (steps x batch), the same for every model.
- **Success rule** per task (``RULES``), and a noise band around the memoryless baseline, so that a
  result reads "solved", "≈ baseline" or "above baseline", never a hard cut on one number.
- **Learning rate** chosen by code: ``choose_lr`` scores a grid on a validation split.

Data are drawn in chunks from (seed, chunk) so that a long run never holds all its sequences, and
the test and validation sets of a seed never overlap its training data.
"""
import math
import time

import numpy as np
import torch
from torch import nn

from .. import data
from ..torch import clockwork, lstm, scrn

MODELS = ("tanh", "clipped", "irnn", "gru", "lstm_b0", "lstm_b1", "peephole", "clockwork", "scrn")
TASKS = ("adding", "adding_hs", "copy", "agreement")
CHUNK = 64 * 50  # sequences drawn at a time
# metric, the value that counts as solved, and where the rule comes from
RULES = {"adding": ("mse", 0.01, "test MSE below 0.01"),
         "adding_hs": ("within_0.04", 0.99, "99% of test sequences within 0.04 of the target (H&S 1997's "
                                            "'processed correctly'; they stop when all 2000 recent ones are)"),
         "copy": ("accuracy", 0.99, "99% of the copied symbols right"),
         "agreement": ("accuracy", 0.95, "95% of the verbs right")}


def _seed(seed, tag):
    """An int seed for (seed, tag): tag 0 is the test set, 1 the validation set, 2 + c training chunk c."""
    return int(np.random.SeedSequence([seed, tag]).generate_state(1)[0])


def adding_hs(n, T, seed):
    """Hochreiter & Schmidhuber's adding problem at fixed length T: x (N, T, 2) float64, y (N,) float64."""
    if T < 22:
        raise ValueError(f"H&S's adding problem marks one of the first 10 steps and one of the first T/2 - 1: T >= 22; got {T}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n, T))
    markers = np.zeros((n, T))
    markers[:, [0, -1]] = -1.0
    rows = np.arange(n)
    first = rng.integers(0, 10, size=n)
    second = rng.integers(0, T // 2 - 2, size=n)  # one of the first T/2 - 1 steps other than `first`
    second = second + (second >= first)
    markers[rows, first], markers[rows, second] = 1.0, 1.0
    values[markers[:, 0] == 1, 0] = 0.0  # "X1 is set to zero" when the first step is marked
    x1, x2 = values[rows, first], values[rows, second]
    return np.stack([values, markers], axis=2), 0.5 + (x1 + x2) / 4.0


def task_data(task, n, T, seed):
    """Inputs (N, T', D) float32 and targets: float (N,) for adding, int (N, T') for copy, int (N,) for agreement."""
    if task in ("adding", "adding_hs"):
        x, y = (data.adding_problem if task == "adding" else adding_hs)(n, T, seed=seed)
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    if task == "copy":
        x, y = data.copy_task(n, T, seed=seed)
        return nn.functional.one_hot(torch.tensor(x), 10).float(), torch.tensor(y)
    if task == "agreement":
        ids, y = data.agreement(n, T, seed=seed)
        return nn.functional.one_hot(torch.from_numpy(ids), len(data.AGREEMENT_VOCAB)).float(), torch.from_numpy(y)
    raise ValueError(f"task must be one of {TASKS}; got {task!r}")


def n_outputs(task):
    return {"adding": 1, "adding_hs": 1, "copy": 9, "agreement": 2}[task]


def build(model, D, H, seed):
    """The recurrent layer of ``model`` with about H units of state, batch first: x (N, T, D) -> (out (N, T, H), ...).

    The SCRN has H - H // 4 sigmoid units and H // 4 context units (alpha = 0.95); the Clockwork RNN 8
    modules of H // 8 units, periods 1, 2, ..., 128; the IRNN is Le et al.'s: ReLU, W_hh = I, input
    weights from N(0, 0.001^2), zero biases; the LSTMs add the forget bias to the forget block [H:2H].
    """
    torch.manual_seed(seed)
    if model in ("tanh", "clipped", "irnn"):
        rnn = nn.RNN(D, H, nonlinearity="relu" if model == "irnn" else "tanh", batch_first=True)
        if model == "irnn":
            with torch.no_grad():
                rnn.weight_hh_l0.copy_(torch.eye(H))
                rnn.weight_ih_l0.normal_(0.0, 0.001)
                rnn.bias_ih_l0.zero_()
                rnn.bias_hh_l0.zero_()
    elif model == "gru":
        rnn = nn.GRU(D, H, batch_first=True)
    elif model in ("lstm_b0", "lstm_b1"):
        rnn = nn.LSTM(D, H, batch_first=True)
        with torch.no_grad():
            rnn.bias_ih_l0[H:2 * H] += 1.0 if model == "lstm_b1" else 0.0
    elif model == "peephole":
        rnn = lstm.LSTM(D, H, peepholes=True, forget_bias=1.0)
    elif model == "clockwork":
        if H % 8:
            raise ValueError(f"the Clockwork RNN splits H into 8 modules: H must be a multiple of 8; got {H}")
        rnn = clockwork.ClockworkRNN(D, H // 8, 8)
    elif model == "scrn":
        rnn = scrn.SCRN(D, H // 4, H - H // 4, alpha=0.95)
    else:
        raise ValueError(f"model must be one of {MODELS}; got {model!r}")
    return rnn


def outputs(task, rnn, head, x):
    """The read-out: (N,) for adding, (N, T', 9) for copy, (N, 2) for agreement."""
    out = rnn(x)[0]
    if task == "copy":
        return head(out)
    last = head(out[:, -1])
    return last[:, 0] if task.startswith("adding") else last


def loss_of(task, prediction, y):
    """MSE (adding), cross-entropy at every step (copy) or of the verb (agreement)."""
    if task.startswith("adding"):
        return ((prediction - y) ** 2).mean()
    if task == "copy":
        return nn.functional.cross_entropy(prediction.reshape(-1, 9), y.reshape(-1))
    return nn.functional.cross_entropy(prediction, y)


def metrics(task, prediction, y):
    """Loss and the task's rule metric (see ``RULES``) on one evaluation set."""
    result = {"loss": loss_of(task, prediction, y).item()}
    if task == "adding":
        result["mse"] = result["loss"]
    elif task == "adding_hs":
        result["within_0.04"] = float(((prediction - y).abs() < 0.04).float().mean())
    elif task == "copy":
        result["accuracy"] = float((prediction[:, -10:].argmax(2) == y[:, -10:]).float().mean())
    else:
        result["accuracy"] = float((prediction.argmax(1) == y).float().mean())
    return result


def baseline(task, T, y):
    """The best memoryless answer's rule metric on this evaluation set, and its noise band (3 standard errors).

    adding: predict the set's mean (MSE = its variance); adding_hs: predict 0.5; copy: blanks then a
    uniform guess (accuracy 1/8); agreement: the set's majority verb.
    """
    n = len(y)
    if task == "adding":
        mse = float(y.var(unbiased=False))
        return mse, 3 * mse * math.sqrt(2 / n)
    if task == "adding_hs":
        p = float(((y - 0.5).abs() < 0.04).float().mean())
    elif task == "copy":
        p, n = 1 / 8, y[:, -10:].numel()
    else:
        p = max(float(y.float().mean()), 1 - float(y.float().mean()))
    return p, 3 * math.sqrt(p * (1 - p) / n)


def verdict(task, value, base, band):
    """'solved' by the task's rule, '≈ baseline' inside the noise band, else 'above baseline' or 'below baseline'."""
    metric, threshold, _ = RULES[task]
    lower_is_better = metric == "mse"
    if (value < threshold) if lower_is_better else (value >= threshold):
        return "solved"
    if abs(value - base) <= band:
        return "≈ baseline"
    better = value < base if lower_is_better else value > base
    return "above baseline" if better else "below baseline"


def train(model, task, T, lr, sequences, seed, batch=64, hidden=32, clip=1.0, record_every=6400, eval_size=1000):
    """Adam on ``sequences`` training sequences (steps = sequences // batch); the gradient norm is clipped
    at ``clip`` for every model but the plain tanh RNN.

    Returns {"sequences": [...], "train_loss": [...] (mean since the last record), "validation": metrics,
    "test": metrics, "baseline": (value, band) on the test set, "verdict", "seconds"}.
    """
    start = time.perf_counter()
    x_val, y_val = task_data(task, eval_size, T, _seed(seed, 1))
    rnn = build(model, x_val.shape[-1], hidden, seed)
    head = nn.Linear(hidden, n_outputs(task))
    weights = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(weights, lr=lr)
    seen, curve, window = [], [], []
    for step in range(sequences // batch):
        if step % (CHUNK // batch) == 0:
            x, y = task_data(task, CHUNK, T, _seed(seed, 2 + step // (CHUNK // batch)))
        rows = slice((step % (CHUNK // batch)) * batch, (step % (CHUNK // batch) + 1) * batch)
        loss = loss_of(task, outputs(task, rnn, head, x[rows]), y[rows])
        optimizer.zero_grad()
        loss.backward()
        if model != "tanh":
            nn.utils.clip_grad_norm_(weights, clip)
        optimizer.step()
        window.append(loss.item())
        if ((step + 1) * batch) % record_every == 0:
            seen.append((step + 1) * batch)
            curve.append(float(np.mean(window)))
            window = []
    x_test, y_test = task_data(task, eval_size, T, _seed(seed, 0))
    with torch.no_grad():
        validation = metrics(task, outputs(task, rnn, head, x_val), y_val)
        test = metrics(task, outputs(task, rnn, head, x_test), y_test)
    base = baseline(task, T, y_test)
    return {"sequences": seen, "train_loss": curve, "validation": validation, "test": test, "baseline": base,
            "verdict": verdict(task, test[RULES[task][0]], *base), "seconds": round(time.perf_counter() - start, 1)}


def choose_lr(model, task, T, grid, sequences, seed=0, **settings):
    """The rate of ``grid`` with the lowest validation loss after a short run on one seed (ties: the first).

    Returns (rate, {rate: validation loss}). A diverged run (loss nan) counts as infinitely bad.
    """
    scores = {}
    for lr in grid:
        loss = train(model, task, T, lr, sequences, seed, **settings)["validation"]["loss"]
        scores[lr] = loss if math.isfinite(loss) else math.inf
    return min(grid, key=lambda lr: scores[lr]), scores
