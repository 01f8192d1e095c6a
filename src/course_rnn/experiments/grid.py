"""The cached long-range grid of chapters 3, 5 and 7: every setting over five seeds, the learning rate
chosen by code, the same budget of training sequences for every model of a setting.

`python -m course_rnn.experiments.grid [PART ...]` (``make cache`` runs every part) trains the parts
named (all by default) and writes ``longrange_<part>.json`` beside this file (package data, so Colab
has it too). Each file holds a hash of the code and the part's settings (``code_hash``);
tests/test_grid.py fails when a file no longer matches them. A part is one task:

- ``adding``   Le et al.'s adding problem: the nine models at T = 150 (chapter 7's table; chapter 5's
  claim), and the tanh RNN, clipped tanh RNN and IRNN at shorter lengths (chapter 3's failure length);
- ``adding_hs`` Hochreiter & Schmidhuber's adding problem at their shortest length, T = 100, beside
  their Table 7 (chapters 3 and 5);
- ``copy``     the copy task: the nine models at a short delay (chapter 7's table), and the plain RNN,
  the GRU and the LSTM at a longer delay (chapter 5: where the gates stop helping);
- ``agreement`` the agreement task: the nine models at distance 30 (chapter 7's table), and the plain
  RNN, the GRU and the LSTM at a longer distance.

**Learning rates.** For each part and model, ``longrange.choose_lr`` scores ``LR_GRID`` on the
validation set of seed ``LR_SEED`` (not one of the reported seeds) after ``LR_FRACTION`` of the budget,
at the part's length ``LR_AT`` (short enough that the models learn something within that budget); that
rate serves all the model's settings of the part.

**Speed.** Every model but the ``torch.nn.LSTM`` ones trains its five seeds as one ``Ensemble`` (one
vmapped time loop); the two LSTMs loop over seeds inside the job, which is faster for their fused
kernel. Jobs run in a pool of ``WORKERS`` processes, one thread each, longest first.
"""
import hashlib
import inspect
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from .. import data
from ..torch import clockwork, ensemble, lstm, scrn, stacked
from ..torch import gru as torch_gru
from ..torch import rnn as torch_rnn
from . import longrange

SEEDS = (0, 1, 2, 3, 4)
LR_GRID = (0.001, 0.003, 0.01)
LR_SEED, LR_FRACTION = 100, 0.25
LR_AT = {"adding": 25, "adding_hs": 30, "copy": 10, "agreement": 10}
WORKERS = 2
ALL, PLAIN_AND_GATED, ELMAN = longrange.MODELS, ("tanh", "gru", "lstm_b1"), ("tanh", "clipped", "irnn")
# part -> settings, each (T, models, sequences per seed, hidden units); one budget per part
PARTS = {
    "adding": [(150, ALL, 128_000, 32)] + [(T, ELMAN, 128_000, 32) for T in (25, 50, 100)],
    "adding_hs": [(100, PLAIN_AND_GATED, 128_000, 32)],
    "copy": [(10, ALL, 128_000, 64), (40, PLAIN_AND_GATED, 128_000, 64)],
    "agreement": [(30, ALL, 128_000, 32), (60, PLAIN_AND_GATED, 128_000, 32)],
}
RECORD_EVERY = 6400
CACHE_DIR = Path(__file__).resolve().parent
COST_MS = {"tanh": 15, "clipped": 15, "irnn": 15, "gru": 38, "lstm_b0": 15, "lstm_b1": 15, "peephole": 44,
           "clockwork": 26, "scrn": 35}  # measured ms per seed per step at T = 150, H = 32 (for ordering)


def cache_path(part):
    return CACHE_DIR / f"longrange_{part}.json"


def key(model, T):
    """A run's name in its part's file, e.g. ``gru/T=150``."""
    return f"{model}/T={T}"


def lr_settings(part):
    """{model: (T, sequences, hidden)} where each model's learning rate is chosen: T = ``LR_AT[part]``, and
    the budget and size of the model's first setting in the part."""
    chosen = {}
    for _, models, sequences, hidden in PARTS[part]:
        for model in models:
            chosen.setdefault(model, (LR_AT[part], sequences, hidden))
    return chosen


def code_hash(part):
    """SHA-256 of the code that makes the part's file, its settings and the torch version."""
    modules = (sys.modules[__name__], longrange, data, ensemble, stacked, torch_rnn, torch_gru, lstm, clockwork, scrn)
    parts = [inspect.getsource(m) for m in modules]
    parts += [json.dumps([part, PARTS[part], SEEDS, LR_GRID, LR_SEED, LR_FRACTION, LR_AT[part], RECORD_EVERY,
                          longrange.COPY_LENGTH, longrange.CHUNK]), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load(part):
    """{"hash", "part", "settings", "seeds", "lr": {model: {"rate", "scores", "seconds"}}, "results": {key:
    [one dict per seed]}, "core_seconds" (the part's jobs, summed), "wall_seconds_all_parts" (the whole
    command that made it)}: see ``longrange.train`` for a seed's dict."""
    return json.loads(cache_path(part).read_text())


def _choose(job):
    """One model's learning rate; every setting travels in ``job``, so that a worker never reads globals."""
    torch.set_num_threads(1)
    part, model, (T, sequences, hidden), (grid, seed, fraction, record_every) = job
    start = time.perf_counter()
    rate, scores = longrange.choose_lr(model, part, T, grid, int(sequences * fraction), seed=seed,
                                       hidden=hidden, record_every=record_every)
    return job, rate, scores, round(time.perf_counter() - start, 1)


def _train(job):
    torch.set_num_threads(1)
    part, model, T, sequences, hidden, rate, seeds, record_every = job
    return job, longrange.train(model, part, T, rate, sequences, seeds, hidden=hidden, record_every=record_every)


def _cost(model, T, sequences):
    return COST_MS[model] * T * sequences


def run(parts, workers=WORKERS):
    """Train ``parts`` and write their files; returns {part: seconds of wall time}."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        choices = [(part, model, where, (LR_GRID, LR_SEED, LR_FRACTION, RECORD_EVERY))
                   for part in parts for model, where in lr_settings(part).items()]
        choices.sort(key=lambda job: -_cost(job[1], job[2][0], job[2][1]))
        rates = {}
        for (part, model, *_), rate, scores, seconds in pool.map(_choose, choices):
            rates[part, model] = {"rate": rate, "scores": {str(lr): s for lr, s in scores.items()}, "seconds": seconds}
            print(f"{part:9s} {model:9s} learning rate {rate} (validation loss {scores})", flush=True)
        jobs = [(part, model, T, sequences, hidden, rates[part, model]["rate"], SEEDS, RECORD_EVERY)
                for part in parts for T, models, sequences, hidden in PARTS[part] for model in models]
        jobs.sort(key=lambda job: -_cost(job[1], job[2], job[3]))
        results = {part: {} for part in parts}
        for (part, model, T, *_), records in pool.map(_train, jobs):
            results[part][key(model, T)] = records
            print(f"{part:9s} {key(model, T):16s} " + " ".join(r["verdict"] for r in records)
                  + f" ({records[0]['seconds']} s)", flush=True)
    seconds = time.perf_counter() - started
    rates_of = lambda part: [rates[part, model] for model in lr_settings(part)]  # noqa: E731
    for part in parts:
        order = [key(model, T) for T, models, *_ in PARTS[part] for model in models]
        cache_path(part).write_text(json.dumps(
            {"hash": code_hash(part), "part": part, "settings": PARTS[part], "seeds": SEEDS,
             "lr": {model: rates[part, model] for model in lr_settings(part)},
             "results": {k: results[part][k] for k in order},
             "core_seconds": round(sum(r["seconds"] for r in rates_of(part)) + sum(
                 records[0]["seconds"] for records in results[part].values()), 1),
             "wall_seconds_all_parts": round(seconds, 1)}, indent=1) + "\n")
        print(f"wrote {cache_path(part)}")
    return seconds


def main(argv=None):
    parts = (argv if argv is not None else sys.argv[1:]) or list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise SystemExit(f"unknown part(s) {unknown}; the parts are {list(PARTS)}")
    print(f"{len(parts)} part(s) in {run(parts) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
