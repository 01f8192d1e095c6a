"""The adding problem for a tanh RNN, a tanh RNN with gradient clipping, and an IRNN.

`python -m course_rnn.experiments.adding` (or `make cache`) trains every model at every
length in ``SETTINGS`` and writes adding_problem.json beside this file (package data, so
Colab has it too), with a hash of this file, the model and the data code, the settings and
the torch version; tests/test_cache.py fails when the cache no longer matches them. Chapter 3 runs ``train`` live at a small size and shows the
cached full-size results.
"""
import hashlib
import inspect
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .. import data
from ..torch import rnn as torch_rnn
from ..torch import stacked as torch_stacked

SETTINGS = {"lengths": [50, 100, 150], "models": ["tanh", "clipped", "irnn"], "steps": 3000,
            "batch": 64, "hidden": 64, "lr": 0.003, "seed": 0, "record_every": 100}
CACHE = Path(__file__).resolve().with_name("adding_problem.json")


def build(kind, hidden, seed):
    """The model: an Elman RNN (tanh, or ReLU with identity W_hh for the IRNN) and a linear read-out."""
    torch.manual_seed(seed)
    rnn = torch_rnn.RNN(2, hidden, nonlinearity="relu" if kind == "irnn" else "tanh")
    if kind == "irnn":  # Le et al. (2015): W_hh = I, small input weights, zero bias
        with torch.no_grad():
            rnn.cells[0].W_hh.copy_(torch.eye(hidden))
            rnn.cells[0].W_xh.normal_(0.0, 0.001)
            rnn.cells[0].b_h.zero_()
    return rnn, nn.Linear(hidden, 1)


def train(kind, T, steps, batch=64, hidden=64, lr=0.003, seed=0, record_every=50):
    """Train one model with Adam; returns (steps recorded, training MSE there, test MSE at the end)."""
    rnn, head = build(kind, hidden, seed)
    weights = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(weights, lr=lr)
    x, y = data.adding_problem(steps * batch, T, seed=seed)
    x, y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    recorded, curve, window = [], [], []
    for step in range(steps):
        rows = slice(step * batch, (step + 1) * batch)
        loss = ((head(rnn(x[rows])[0][:, -1])[:, 0] - y[rows]) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        if kind != "tanh":  # the clipped RNN and the IRNN clip the gradient norm at 1
            nn.utils.clip_grad_norm_(weights, 1.0)
        optimizer.step()
        window.append(loss.item())
        if (step + 1) % record_every == 0:
            recorded.append(step + 1)
            curve.append(float(np.mean(window)))
            window = []
    x_test, y_test = data.adding_problem(2000, T, seed=seed + 1)
    with torch.no_grad():
        prediction = head(rnn(torch.tensor(x_test, dtype=torch.float32))[0][:, -1])[:, 0]
    test_mse = float(((prediction - torch.tensor(y_test, dtype=torch.float32)) ** 2).mean())
    return recorded, curve, test_mse


def code_hash():
    """SHA-256 of the code that makes the cache (this module, the torch RNN and its stacking, the data),
    the settings and the torch version."""
    parts = [inspect.getsource(sys.modules[__name__]), inspect.getsource(torch_rnn),
             inspect.getsource(torch_stacked), inspect.getsource(data),
             json.dumps(SETTINGS, sort_keys=True), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_cache():
    """The cached results: {"hash", "settings", "results": {"<model>/<T>": {...}}}."""
    return json.loads(CACHE.read_text())


def main():
    torch.set_num_threads(1)
    results = {}
    for T in SETTINGS["lengths"]:
        for kind in SETTINGS["models"]:
            start = time.perf_counter()
            steps, curve, test_mse = train(kind, T, SETTINGS["steps"], SETTINGS["batch"], SETTINGS["hidden"],
                                           SETTINGS["lr"], SETTINGS["seed"], SETTINGS["record_every"])
            results[f"{kind}/{T}"] = {"steps": steps, "train_mse": curve, "test_mse": test_mse,
                                      "seconds": round(time.perf_counter() - start, 1)}
            print(f"T={T:3d} {kind:8s} test MSE {test_mse:.4f} ({results[f'{kind}/{T}']['seconds']} s)", flush=True)
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": SETTINGS, "results": results}, indent=1) + "\n")
    print(f"wrote {CACHE}")


if __name__ == "__main__":
    main()
