r"""The long-range tasks, the models and the training loop of the course's cached experiments (issue 16).

One design for every long-lag experiment:
- **Tasks.** The adding problem in Le et al.'s (2015) form (``adding``: values in U(0, 1), the target
  their sum) and in Hochreiter & Schmidhuber's (1997) (``adding_hs``: values in U(-1, 1), the first
  marker among the first ten steps, the second among the first T/2 - 1, end markers -1, the target
  0.5 + (X1 + X2)/4; their lengths vary in [T, T + T/10], ours are fixed at T so that a batch is one
  tensor); the copy task (symbols from 8 categories, delay T; Arjovsky et al. 2016), with a string of
  ``COPY_LENGTH`` = 5 symbols where theirs has 10: in pilots on a CPU a GRU of 128 units reached 83-87%
  of 10 symbols after 320,000 sequences, too slow for the course's cache; the agreement task (distance T).
- **Models.** ``MODELS``: the tanh RNN, the same clipped, the IRNN, the GRU, the LSTM with forget
  bias 0 and 1, the peephole LSTM, the Clockwork RNN and the SCRN, each with about H units of state.
- **Budget** in sequences seen (steps x batch), the same for every model.
- **Success rule** per task (``RULES``), and a noise band around the memoryless baseline, so that a
  result reads "solved", "≈ baseline" or "above baseline", never a hard cut on one number.
- **Learning rate** chosen by code: ``choose_lr`` scores a grid on a validation split.

Data are drawn in chunks from (seed, chunk) so that a long run never holds all its sequences; a seed's
test set, validation set and training chunks are drawn from separate generator seeds. (They are not
disjoint as sets: the copy task has only 8^5 = 32,768 strings, so most test strings also occur in
training, which is harmless for a task whose answer is its input.)
"""
import math
import time

import numpy as np
import torch
from torch import nn

from .. import data
from ..torch import clockwork, lstm, scrn
from ..torch import gru as torch_gru
from ..torch import rnn as torch_rnn
from ..torch.ensemble import Ensemble, Separate

MODELS = ("tanh", "clipped", "irnn", "gru", "lstm_b0", "lstm_b1", "peephole", "clockwork", "scrn")
TASKS = ("adding", "adding_hs", "copy", "agreement")
CHUNK = 64 * 50  # sequences drawn at a time
COPY_LENGTH = 5  # symbols to copy, from 8 categories (Arjovsky et al. copy 10: see the module docstring)
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
        x, y = data.copy_task(n, T, seed=seed, length=COPY_LENGTH)
        return nn.functional.one_hot(torch.tensor(x), 10).float(), torch.tensor(y)
    if task == "agreement":
        ids, y = data.agreement(n, T, seed=seed)
        return nn.functional.one_hot(torch.from_numpy(ids), len(data.AGREEMENT_VOCAB)).float(), torch.from_numpy(y)
    raise ValueError(f"task must be one of {TASKS}; got {task!r}")


def n_outputs(task):
    return {"adding": 1, "adding_hs": 1, "copy": 9, "agreement": 2}[task]


def build(model, D, H):
    """The recurrent layer of ``model`` with about H units of state, batch first: x (N, T, D) -> (out (N, T, H'), ...).

    The caller seeds torch's generator. The course's from-scratch modules (tested equal to
    ``torch.nn``) for every model but the two LSTMs, which are ``torch.nn.LSTM``: its fused kernel is
    the fastest LSTM on a CPU, and ``vmap`` cannot batch it. The SCRN has H - H // 4 sigmoid units and
    H // 4 context units (alpha = 0.95); the Clockwork RNN 8 modules of H // 8 units, periods 1, 2,
    ..., 128; the IRNN is Le et al.'s: ReLU, W_hh = I, input weights from N(0, 0.001^2), zero bias;
    the LSTMs add the forget bias to the forget block [H:2H] of ``bias_ih``.
    """
    if model in ("tanh", "clipped", "irnn"):
        rnn = torch_rnn.RNN(D, H, nonlinearity="relu" if model == "irnn" else "tanh")
        if model == "irnn":
            with torch.no_grad():
                rnn.cells[0].W_hh.copy_(torch.eye(H))
                rnn.cells[0].W_xh.normal_(0.0, 0.001)
                rnn.cells[0].b_h.zero_()
    elif model == "gru":
        rnn = torch_gru.GRU(D, H)
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


class Net(nn.Module):
    """A recurrent layer and a linear read-out: x (N, T', D) -> the task's prediction (see ``outputs``)."""

    def __init__(self, model, task, D, H):
        super().__init__()
        self.task = task
        self.rnn = build(model, D, H)
        self.head = nn.Linear(H, n_outputs(task))

    def forward(self, x):
        return outputs(self.task, self.rnn, self.head, x)


def members(model, task, D, H, seeds):
    """One ``Net`` per seed, built as a single run of that seed would be: an ``Ensemble`` (one vmapped
    loop for all seeds), or for the ``torch.nn.LSTM`` models a ``Separate`` (a loop over the seeds)."""
    make = lambda: Net(model, task, D, H)  # noqa: E731
    return (Separate if model in ("lstm_b0", "lstm_b1") else Ensemble)(make, seeds)


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
    """Loss and the task's rule metric (see ``RULES``) on one evaluation set; the metric is nan when the
    loss is not finite (a diverged network), so that its verdict reads "diverged"."""
    result = {"loss": loss_of(task, prediction, y).item()}
    if not math.isfinite(result["loss"]):
        return {"loss": result["loss"], RULES[task][0]: math.nan}
    if task == "adding":
        result["mse"] = result["loss"]
    elif task == "adding_hs":
        result["within_0.04"] = float(((prediction - y).abs() < 0.04).float().mean())
    elif task == "copy":
        result["accuracy"] = float((prediction[:, -COPY_LENGTH:].argmax(2) == y[:, -COPY_LENGTH:]).float().mean())
    else:
        result["accuracy"] = float((prediction.argmax(1) == y).float().mean())
    return result


def baseline(task, T, y):
    """The best memoryless answer's rule metric on this evaluation set, and its noise band (3 standard errors).

    adding: predict the set's mean (MSE = its variance; the band is 3 standard errors of the mean of the
    squared deviations); adding_hs: predict 0.5; copy: blanks then a uniform guess (accuracy 1/8);
    agreement: the set's majority verb (the bands of shares are binomial).
    """
    n = len(y)
    if task == "adding":
        squares = (y - y.mean()) ** 2
        return float(squares.mean()), 3 * float(squares.std(unbiased=False)) / math.sqrt(n)
    if task == "adding_hs":
        p = float(((y - 0.5).abs() < 0.04).float().mean())
    elif task == "copy":
        p, n = 1 / 8, y[:, -COPY_LENGTH:].numel()
    else:
        p = max(float(y.float().mean()), 1 - float(y.float().mean()))
    return p, 3 * math.sqrt(p * (1 - p) / n)


def verdict(task, value, base, band):
    """'solved' by the task's rule, '≈ baseline' inside the noise band, else 'above baseline' or 'below
    baseline'; 'diverged' when the value is not finite."""
    metric, threshold, _ = RULES[task]
    if not math.isfinite(value):
        return "diverged"
    lower_is_better = metric == "mse"
    if (value < threshold) if lower_is_better else (value >= threshold):
        return "solved"
    if abs(value - base) <= band:
        return "≈ baseline"
    better = value < base if lower_is_better else value > base
    return "above baseline" if better else "below baseline"


def _chunk(task, T, seeds, c):
    """Training chunk c of every seed, stacked: x (E, CHUNK, T', D), y (E, CHUNK, ...)."""
    parts = [task_data(task, CHUNK, T, _seed(seed, 2 + c)) for seed in seeds]
    return torch.stack([x for x, _ in parts]), torch.stack([y for _, y in parts])


def _evaluate(task, nets, x, y):
    """Each member's ``metrics`` on its own evaluation set x (E, N, T', D), y (E, N, ...)."""
    with torch.no_grad():
        prediction = nets(x)
    return [metrics(task, prediction[e], y[e]) for e in range(len(nets))]


def train(model, task, T, lr, sequences, seeds=(0,), batch=64, hidden=32, clip=1.0, record_every=6400,
          eval_size=1000):
    """Adam on ``sequences`` training sequences per seed (steps = sequences // batch), every seed at once;
    the gradient norm of each seed is clipped at ``clip`` for every model but the plain tanh RNN.

    Every ``record_every`` sequences it records the mean training loss since the last record and the
    validation metrics. Returns one dict per seed: {"seed", "sequences": [...], "train_loss": [...],
    "validation_curve": [metrics, ...], "validation": metrics, "test": metrics, "baseline": (value,
    band) on the test set, "verdict", "solved_at": the first recorded count of sequences at which the
    validation set met the task's rule (None if never), "seconds": the whole call's time, training and
    evaluation, shared by all its seeds}.
    """
    if record_every % batch:
        raise ValueError(f"record_every must be a multiple of batch ({batch}); got {record_every}")
    start = time.perf_counter()
    rule, threshold = RULES[task][:2]
    validation = [task_data(task, eval_size, T, _seed(seed, 1)) for seed in seeds]
    x_val, y_val = torch.stack([x for x, _ in validation]), torch.stack([y for _, y in validation])
    nets = members(model, task, x_val.shape[-1], hidden, seeds)
    optimizer = torch.optim.Adam(nets.parameters(), lr=lr)
    per_chunk = CHUNK // batch
    records = [{"seed": seed, "sequences": [], "train_loss": [], "validation_curve": [], "solved_at": None}
               for seed in seeds]
    window = []
    for step in range(sequences // batch):
        if step % per_chunk == 0:
            x, y = _chunk(task, T, seeds, step // per_chunk)
        rows = slice((step % per_chunk) * batch, (step % per_chunk + 1) * batch)
        prediction = nets(x[:, rows])
        losses = torch.stack([loss_of(task, prediction[e], y[e, rows]) for e in range(len(seeds))])  # (E,)
        optimizer.zero_grad()
        losses.sum().backward()  # member e's gradient is the gradient of its own loss
        if model != "tanh":
            nets.clip_grad_norm_(clip)
        optimizer.step()
        window.append(losses.detach())
        if ((step + 1) * batch) % record_every == 0:
            mean_loss = torch.stack(window).mean(0)
            window = []
            for record, loss, scores in zip(records, mean_loss.tolist(), _evaluate(task, nets, x_val, y_val)):
                record["sequences"].append((step + 1) * batch)
                record["train_loss"].append(loss)
                record["validation_curve"].append(scores)
                met = scores[rule] < threshold if rule == "mse" else scores[rule] >= threshold
                if met and record["solved_at"] is None:
                    record["solved_at"] = (step + 1) * batch
    test = [task_data(task, eval_size, T, _seed(seed, 0)) for seed in seeds]
    x_test, y_test = torch.stack([x for x, _ in test]), torch.stack([y for _, y in test])
    final = list(zip(_evaluate(task, nets, x_val, y_val), _evaluate(task, nets, x_test, y_test)))
    seconds = round(time.perf_counter() - start, 1)
    for record, (val, scores), (_, y_e) in zip(records, final, test):
        base = baseline(task, T, y_e)
        record.update(validation=val, test=scores, baseline=base, seconds=seconds,
                      verdict=verdict(task, scores[rule], *base))
    return records


def choose_lr(model, task, T, grid, sequences, seed=0, **settings):
    """The rate of ``grid`` with the lowest validation loss after a short run on one seed (ties: the first).

    Returns (rate, {rate: validation loss}). A diverged run (loss nan) counts as infinitely bad.
    """
    scores = {}
    for lr in grid:
        loss = train(model, task, T, lr, sequences, (seed,), **settings)[0]["validation"]["loss"]
        scores[lr] = loss if math.isfinite(loss) else math.inf
    return min(grid, key=lambda lr: scores[lr]), scores
