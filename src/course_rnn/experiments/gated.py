"""Chapter 5's long runs: the LSTM's forget-gate bias swept over seeds, and stacked depth (the plain RNN
against the GRU and the LSTM is ``grid``'s, over five seeds).

`python -m course_rnn.experiments.gated` (or `make cache`) runs every setting in ``RUNS`` and
writes gated.json beside this file (package data), with a hash of this file, the data code, the
settings and the torch version; tests/test_cache.py fails when the cache no longer matches them.
The runs use ``torch.nn.RNN/GRU/LSTM`` (tested equal to the course's from-scratch modules) because
their time loop is in C++: the whole cache takes about eight minutes on two cores (H = 32: at T = 200
and H = 64 a step of torch.nn.LSTM on one CPU thread costs twenty times more than at T = 100).
"""
import hashlib
import inspect
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .. import data

SETTINGS = {"batch": 64, "hidden": 32, "lr": 0.003, "clip": 1.0, "record_every": 100}
RUNS = (
    [{"group": "forget_bias", "model": "lstm", "task": "adding", "T": 150, "steps": 2500, "forget_bias": b,
      "layers": 1, "seed": s} for b in (0.0, 1.0, 3.0, 5.0) for s in (0, 1, 2)]
    + [{"group": "depth", "model": "lstm", "task": "copy", "T": 20, "steps": 3000, "forget_bias": 1.0,
        "layers": L, "seed": 0} for L in (1, 2, 3, 4)]
)
CACHE = Path(__file__).resolve().with_name("gated.json")
MODELS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def build(model, D, H, layers, forget_bias, seed):
    """A torch.nn recurrent layer (batch first); the LSTM's forget-gate bias is raised by ``forget_bias``."""
    torch.manual_seed(seed)
    rnn = MODELS[model](D, H, num_layers=layers, batch_first=True)
    if model == "lstm":
        with torch.no_grad():
            for layer in range(layers):  # gates i, f, g, o: the forget block is [H:2H]
                getattr(rnn, f"bias_ih_l{layer}")[H:2 * H] += forget_bias
    return rnn


def task_data(task, n, T, seed):
    """Inputs (N, T', D) float32 and targets: the adding problem's sum, or the copy task's symbols."""
    if task == "adding":
        x, y = data.adding_problem(n, T, seed=seed)
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    x, y = data.copy_task(n, T, seed=seed)
    return nn.functional.one_hot(torch.tensor(x), 10).float(), torch.tensor(y)


def loss_of(task, rnn, head, x, y):
    """Mean squared error of the last step's read-out (adding), or cross-entropy at every step (copy)."""
    out = head(rnn(x)[0])  # (N, T', 1) or (N, T', 9)
    if task == "adding":
        return ((out[:, -1, 0] - y) ** 2).mean()
    return nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))


def train(run, batch=64, hidden=64, lr=0.003, clip=1.0, record_every=100):
    """Adam with gradient-norm clipping; returns (steps recorded, mean training loss there, test loss)."""
    task, T, steps = run["task"], run["T"], run["steps"]
    x, y = task_data(task, steps * batch, T, run["seed"])
    rnn = build(run["model"], x.shape[-1], hidden, run["layers"], run["forget_bias"], run["seed"])
    head = nn.Linear(hidden, 1 if task == "adding" else 9)
    weights = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(weights, lr=lr)
    recorded, curve, window = [], [], []
    for step in range(steps):
        rows = slice(step * batch, (step + 1) * batch)
        loss = loss_of(task, rnn, head, x[rows], y[rows])
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(weights, clip)
        optimizer.step()
        window.append(loss.item())
        if (step + 1) % record_every == 0:
            recorded.append(step + 1)
            curve.append(float(np.mean(window)))
            window = []
    with torch.no_grad():
        test = float(loss_of(task, rnn, head, *task_data(task, 1000, T, run["seed"] + 1000)))
    return recorded, curve, test


def key(run):
    """The run's name in the cache, e.g. ``depth/lstm/copy/T=20/b=1/L=2/seed=0``."""
    return (f"{run['group']}/{run['model']}/{run['task']}/T={run['T']}/b={run['forget_bias']:g}"
            f"/L={run['layers']}/seed={run['seed']}")


def code_hash():
    """SHA-256 of this module, the data code, the settings, the runs and the torch version."""
    parts = [inspect.getsource(sys.modules[__name__]), inspect.getsource(data),
             json.dumps([SETTINGS, RUNS], sort_keys=True), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_cache():
    """The cached results: {"hash", "settings", "results": {key(run): {...}}}."""
    return json.loads(CACHE.read_text())


def _one(run):
    torch.set_num_threads(1)
    start = time.perf_counter()
    steps, curve, test = train(run, **SETTINGS)
    return key(run), {**run, "steps_recorded": steps, "train_loss": curve, "test_loss": test,
                      "seconds": round(time.perf_counter() - start, 1)}


def main(workers=2):
    results = {}
    with ProcessPoolExecutor(workers) as pool:
        for name, result in pool.map(_one, RUNS):
            results[name] = result
            print(f"{name:45s} test {result['test_loss']:.4f} ({result['seconds']} s)", flush=True)
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": SETTINGS, "results": results}, indent=1) + "\n")
    print(f"wrote {CACHE}")


if __name__ == "__main__":
    main()
