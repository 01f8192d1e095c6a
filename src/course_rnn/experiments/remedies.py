"""Chapter 7's long runs: every architecture and trick of the course on three tasks, and Koutník et
al.'s (2014) sequence generation at CPU scale.

`python -m course_rnn.experiments.remedies` (or `make cache`) runs every setting in ``RUNS`` and
writes remedies.json beside this file (package data), with a hash of this file, the code it uses
(the data, chapter 5's task code, the Clockwork RNN, the SCRN and the from-scratch LSTM), the
settings and the torch version; tests/test_cache_remedies.py fails when the cache no longer matches
them. The whole cache takes about fifteen minutes on two cores. Models with a ``torch.nn`` version run on
it (its time loop is C++); the peephole LSTM, the Clockwork RNN and the SCRN are the course's
from-scratch modules, whose time loop is Python: their times are not comparable with the others'.
"""
import hashlib
import inspect
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .. import data
from ..torch import clockwork, lstm, scrn, stacked
from . import gated

SETTINGS = {"batch": 64, "hidden": 32, "lr": 0.003, "clip": 1.0, "record_every": 100, "test_size": 1000,
            "beat_fraction": 0.9}
MODELS = ("tanh", "clipped", "irnn", "gru", "lstm_b0", "lstm_b1", "peephole", "clockwork", "scrn")
LENGTHS = {"adding": (50, 100), "copy": (10, 20), "agreement": (10, 30)}
SEED_CHECK = ("tanh", "clipped", "irnn", "lstm_b1", "scrn")
GENERATION = {"T": 320, "steps": 2000, "lr": 0.01, "sizes": {"rnn": 20, "lstm": 10, "clockwork": 27}}
RUNS = (
    [{"group": "table", "model": m, "task": task, "T": T, "steps": 3000, "seed": 0}
     for task, lengths in LENGTHS.items() for T in lengths for m in MODELS]
    + [{"group": "seeds", "model": m, "task": "agreement", "T": 30, "steps": 3000, "seed": s}
       for m in SEED_CHECK for s in (1, 2)]  # how much does one seed say? agreement at T = 30 again
    + [{"group": "generation", "model": m, "task": "generation", "T": GENERATION["T"], "steps": GENERATION["steps"],
        "seed": s} for m in GENERATION["sizes"] for s in (0, 1)]
)
CACHE = Path(__file__).resolve().with_name("remedies.json")
NAMES = {"tanh": "tanh RNN", "clipped": "tanh RNN, clipped", "irnn": "IRNN", "gru": "GRU",
         "lstm_b0": "LSTM, forget bias 0", "lstm_b1": "LSTM, forget bias 1", "peephole": "peephole LSTM",
         "clockwork": "Clockwork RNN", "scrn": "SCRN"}
FROM_SCRATCH = ("peephole", "clockwork", "scrn")


def build(model, D, H, seed):
    """The recurrent layer of ``model`` (a key of ``NAMES``) with about H units of state, batch first.

    Every layer maps x (N, T, D) to a tuple whose first element is the outputs (N, T, H). The SCRN
    has H - H // 4 sigmoid units and H // 4 context units (α = 0.95); the Clockwork RNN has 8 modules
    of H // 8 units, periods 1, 2, ..., 128; the IRNN is Le et al.'s (2015): ReLU, W_hh = I,
    input weights from N(0, 0.001²), zero biases.
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
        return rnn
    if model == "gru":
        return nn.GRU(D, H, batch_first=True)
    if model in ("lstm_b0", "lstm_b1"):
        return gated.build("lstm", D, H, 1, 1.0 if model == "lstm_b1" else 0.0, seed)
    if model == "peephole":
        return lstm.LSTM(D, H, peepholes=True, forget_bias=1.0)
    if model == "clockwork":
        if H % 8:
            raise ValueError(f"the Clockwork RNN splits H into 8 modules: H must be a multiple of 8; got {H}")
        return clockwork.ClockworkRNN(D, H // 8, 8)
    if model == "scrn":
        return scrn.SCRN(D, H // 4, H - H // 4, alpha=0.95)
    raise ValueError(f"model must be one of {MODELS}; got {model!r}")


def task_data(task, n, T, seed):
    """Inputs (N, T', D) and targets: chapter 5's adding and copy tasks (float32 inputs), or the
    agreement task one-hot (T' = T + 2, D = 32; uint8, a quarter of float32's memory: make each batch
    ``.float()``) with the verb's number (N,) as the target."""
    if task != "agreement":
        return gated.task_data(task, n, T, seed)
    ids, y = data.agreement(n, T, seed=seed)
    x = torch.zeros(*ids.shape, len(data.AGREEMENT_VOCAB), dtype=torch.uint8)  # (N, T + 2, V)
    x.scatter_(2, torch.from_numpy(ids)[:, :, None], 1)
    return x, torch.from_numpy(y)


def loss_of(task, rnn, head, x, y):
    """MSE (adding), cross-entropy per step (copy), or cross-entropy of the last step's verb (agreement)."""
    if task != "agreement":
        return gated.loss_of(task, rnn, head, x, y)
    return nn.functional.cross_entropy(head(rnn(x)[0][:, -1]), y)


def baseline(task, T):
    """The memoryless baseline's loss: 1/6 (always answer 1), 10 log 8 / (T + 20), or log 2 (a coin)."""
    return {"adding": 1 / 6, "copy": float(data.copy_task_baseline(T)), "agreement": math.log(2)}[task]


def accuracy(task, rnn, head, x, y):
    """Share of the recalled symbols (copy) or verbs (agreement) predicted right; None for adding."""
    if task == "adding":
        return None
    out = head(rnn(x)[0])  # (N, T', classes)
    if task == "agreement":
        return float((out[:, -1].argmax(1) == y).float().mean())
    return float((out[:, -10:].argmax(2) == y[:, -10:]).float().mean())  # the 10 symbols after the delimiter


def train(run, batch=64, hidden=32, lr=0.003, clip=1.0, record_every=100, test_size=1000, **_):
    """Adam; gradient norm clipped at ``clip`` for every model but the plain tanh RNN.

    Returns (steps recorded, mean training loss there, test loss, test accuracy or None).
    """
    task, T, steps = run["task"], run["T"], run["steps"]
    x, y = task_data(task, steps * batch, T, run["seed"])
    rnn = build(run["model"], x.shape[-1], hidden, run["seed"])
    head = nn.Linear(hidden, {"adding": 1, "copy": 9, "agreement": 2}[task])
    weights = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(weights, lr=lr)
    recorded, curve, window = [], [], []
    for step in range(steps):
        rows = slice(step * batch, (step + 1) * batch)
        loss = loss_of(task, rnn, head, x[rows].float(), y[rows])
        optimizer.zero_grad()
        loss.backward()
        if run["model"] != "tanh":
            nn.utils.clip_grad_norm_(weights, clip)
        optimizer.step()
        window.append(loss.item())
        if (step + 1) % record_every == 0:
            recorded.append(step + 1)
            curve.append(float(np.mean(window)))
            window = []
    x_test, y_test = task_data(task, test_size, T, run["seed"] + 1000)
    x_test = x_test.float()
    with torch.no_grad():
        test = float(loss_of(task, rnn, head, x_test, y_test))
        acc = accuracy(task, rnn, head, x_test, y_test)
    return recorded, curve, test, acc


def waveform(T=320):
    """The generation target (T,): three tones whose periods (8, 40 and 160 steps) span the sequence,
    the fastest fading in and out with a slow envelope; scaled to [-1, 1]. A stand-in for the paper's
    audio, which we do not ship."""
    t = np.arange(T)
    y = (np.sin(2 * np.pi * t / 160) + 0.5 * np.sin(2 * np.pi * t / 40 + 1.0)
         + 0.3 * np.sin(np.pi * t / T) ** 2 * np.sin(2 * np.pi * t / 8))
    return y / np.abs(y).max()


def train_generation(model, size, T, steps, lr, seed):
    """Koutník et al.'s generation task: no input (x = 0), one sequence, the output at step t must be
    ``waveform(T)[t]``. Returns (normalised MSE = MSE / var(target), the generated sequence (T,), params)."""
    target = torch.tensor(waveform(T), dtype=torch.float32)
    torch.manual_seed(seed)
    rnn = {"rnn": lambda: nn.RNN(1, size, batch_first=True), "lstm": lambda: nn.LSTM(1, size, batch_first=True),
           "clockwork": lambda: clockwork.ClockworkRNN(1, 3, size // 3)}[model]()
    head = nn.Linear(size, 1)
    weights = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(weights, lr=lr)
    x = torch.zeros(1, T, 1)
    for _ in range(steps):
        loss = ((head(rnn(x)[0])[0, :, 0] - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(weights, 1.0)
        optimizer.step()
    with torch.no_grad():
        out = head(rnn(x)[0])[0, :, 0]
    mask = rnn.mask if model == "clockwork" else None  # weights the mask zeroes are not parameters
    n_params = sum(p.numel() for p in weights) - (int((mask == 0).sum()) if mask is not None else 0)
    return float(((out - target) ** 2).mean() / target.var(unbiased=False)), out.tolist(), n_params


def summary(results, beat_fraction=SETTINGS["beat_fraction"]):
    """One dict per table run, in ``RUNS`` order: model, task, T, loss (test), baseline, ratio (loss /
    baseline), beats (loss below ``beat_fraction`` x baseline: clearly better than memoryless), accuracy
    (copy, agreement), seconds and steps per second."""
    rows = []
    for run in RUNS:
        r = results[key(run)]
        if run["group"] != "table":
            continue
        rows.append({"model": run["model"], "task": run["task"], "T": run["T"], "loss": r["test_loss"],
                     "baseline": r["baseline"], "ratio": r["test_loss"] / r["baseline"],
                     "beats": r["test_loss"] < beat_fraction * r["baseline"], "accuracy": r["test_accuracy"],
                     "seconds": r["seconds"], "steps_per_second": run["steps"] / r["seconds"]})
    return rows


def key(run):
    """The run's name in the cache, e.g. ``table/gru/copy/T=20/seed=0``."""
    return f"{run['group']}/{run['model']}/{run['task']}/T={run['T']}/seed={run['seed']}"


def code_hash():
    """SHA-256 of this module, the code it runs, the settings, the runs and the torch version."""
    parts = [inspect.getsource(m) for m in (sys.modules[__name__], data, gated, clockwork, scrn, lstm, stacked)]
    parts += [json.dumps([SETTINGS, GENERATION, RUNS], sort_keys=True), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_cache():
    """The cached results: {"hash", "settings", "results": {key(run): {...}}}."""
    return json.loads(CACHE.read_text())


def _one(run):
    torch.set_num_threads(1)
    start = time.perf_counter()
    if run["group"] == "generation":
        nmse, output, n_params = train_generation(run["model"], GENERATION["sizes"][run["model"]], run["T"],
                                                  run["steps"], GENERATION["lr"], run["seed"])
        result = {"nmse": nmse, "output": output, "parameters": n_params}
    else:
        steps, curve, test, acc = train(run, **SETTINGS)
        result = {"steps_recorded": steps, "train_loss": curve, "test_loss": test, "test_accuracy": acc,
                  "baseline": baseline(run["task"], run["T"])}
    return key(run), {**run, **result, "seconds": round(time.perf_counter() - start, 1)}


def main(workers=2):
    results = {}
    started = time.perf_counter()
    order = sorted(RUNS, key=lambda r: -r["steps"] * r["T"] * (3 if r["model"] in FROM_SCRATCH else 1))
    with ProcessPoolExecutor(workers) as pool:  # longest runs first, so that the two workers finish together
        for name, result in pool.map(_one, order):
            results[name] = result
            loss = result.get("test_loss", result.get("nmse"))
            print(f"{name:45s} {loss:.4f} ({result['seconds']} s)", flush=True)
    results = {key(run): results[key(run)] for run in RUNS}
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": SETTINGS, "results": results}, indent=1) + "\n")
    print(f"wrote {CACHE} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
