"""Chapter 7's cached generation runs: Koutník et al.'s (2014) sequence generation at CPU scale.

`python -m course_rnn.experiments.remedies` (or `make cache`) runs every setting in ``RUNS`` and
writes remedies.json beside this file (package data), with a hash of this file, the code it uses
(the Clockwork RNN) and the settings and the torch version; tests/test_cache_remedies.py fails when the
cache no longer matches them. Chapter 7's comparison of the remedies on the long-range tasks is
``grid``'s (five seeds per setting); this module keeps the generation task only.
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

from ..torch import clockwork

GENERATION = {"T": 320, "steps": 2000, "lr": 0.01, "sizes": {"rnn": 20, "lstm": 10, "clockwork": 27}}
RUNS = [{"group": "generation", "model": m, "task": "generation", "T": GENERATION["T"], "steps": GENERATION["steps"],
         "seed": s} for m in GENERATION["sizes"] for s in (0, 1)]
CACHE = Path(__file__).resolve().with_name("remedies.json")


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


def key(run):
    """The run's name in the cache, e.g. ``table/gru/copy/T=20/seed=0``."""
    return f"{run['group']}/{run['model']}/{run['task']}/T={run['T']}/seed={run['seed']}"


def code_hash():
    """SHA-256 of this module, the code it runs, the settings, the runs and the torch version."""
    parts = [inspect.getsource(m) for m in (sys.modules[__name__], clockwork)]
    parts += [json.dumps([GENERATION, RUNS], sort_keys=True), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_cache():
    """The cached results: {"hash", "settings", "results": {key(run): {...}}}."""
    return json.loads(CACHE.read_text())


def _one(run):
    torch.set_num_threads(1)
    start = time.perf_counter()
    nmse, output, n_params = train_generation(run["model"], GENERATION["sizes"][run["model"]], run["T"],
                                              run["steps"], GENERATION["lr"], run["seed"])
    result = {"nmse": nmse, "output": output, "parameters": n_params}
    return key(run), {**run, **result, "seconds": round(time.perf_counter() - start, 1)}


def main(workers=2):
    results = {}
    started = time.perf_counter()
    order = sorted(RUNS, key=lambda r: -r["steps"] * r["T"] * (1 if r["model"] == "lstm" else 10))
    with ProcessPoolExecutor(workers) as pool:  # longest runs first, so that the two workers finish together
        for name, result in pool.map(_one, order):
            results[name] = result
            print(f"{name:45s} {result['nmse']:.4f} ({result['seconds']} s)", flush=True)
    results = {key(run): results[key(run)] for run in RUNS}
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": GENERATION, "results": results}, indent=1) + "\n")
    print(f"wrote {CACHE} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
