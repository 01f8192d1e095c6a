"""Chapter 8's cached language models of Shakespeare: a tanh RNN, a GRU and an LSTM, three seeds each.

Run ``python -m course_rnn.experiments.charlm`` (or ``make cache``; about 17 minutes on 2 cores). It
writes ``charlm.json`` beside this file (validation curves, seconds, the learning-rate choice and a hash
of the code and settings) and ``charlm_shakespeare.pt``, the seed-0 LSTM's weights.

Each cell trains on the same number of characters (``steps`` windows of N x T) at the learning rate
that ``choose_lr`` picks from ``LR_GRID`` on seed ``LR_SEED`` (not a reported seed) after a quarter of
the steps. Validation is the last 10% of the text, by position.
"""
import hashlib
import inspect
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from .. import corpus, streams
from ..torch import charlm

CACHE_DIR = Path(__file__).resolve().parent
CACHE = CACHE_DIR / "charlm.json"
CHECKPOINT = CACHE_DIR / "charlm_shakespeare.pt"
CELLS = ("rnn", "gru", "lstm")
SEEDS = (0, 1, 2)
LR_GRID = (0.001, 0.003, 0.01, 0.03)
LR_SEED, LR_FRACTION = 100, 0.25
SHAKESPEARE = {"corpus": "shakespeare", "embedding": 32, "hidden": 128, "N": 32, "T": 100, "steps": 2000,
               "every": 250, "clip": 1.0, "valid_fraction": 0.1}
WORKERS = 2


def data(settings):
    """(vocabulary, training ids, validation ids) of the settings' corpus."""
    text = corpus.read(settings["corpus"])
    vocab = streams.CharVocabulary(text)
    return (vocab, *streams.split(vocab.encode(text), settings["valid_fraction"]))


def model_for(settings, cell, seed, V):
    torch.manual_seed(seed)
    return charlm.CharLM(V, settings["embedding"], settings["hidden"], cell)


def run_shakespeare(cell, lr, seed, steps):
    """One cell, one seed: {"train_loss" (every step, thinned), "valid_nll" (every ``every`` steps), ...}."""
    torch.set_num_threads(1)
    s = SHAKESPEARE
    vocab, train, valid = data(s)
    model = model_for(s, cell, seed, len(vocab))
    losses, curve, seconds = charlm.train(model, streams.streams(train, s["N"]), s["T"], steps, lr, clip=s["clip"],
                                          every=s["every"], evaluate=lambda m: charlm.mean_nll(m, valid))
    state = {k: v.clone() for k, v in model.state_dict().items()} if (cell, seed) == ("lstm", 0) else None
    return {"cell": cell, "seed": seed, "lr": lr, "valid_nll": [round(v, 5) for v in curve],
            "train_loss": [round(float(v), 4) for v in losses.reshape(-1, s["every"]).mean(axis=1)],
            "parameters": charlm.count_parameters(model), "seconds": round(seconds, 1)}, state


def choose_lr(cell):
    """The rate of LR_GRID with the lowest validation NLL on seed LR_SEED after LR_FRACTION of the steps."""
    steps = int(SHAKESPEARE["steps"] * LR_FRACTION)
    scores = {lr: run_shakespeare(cell, lr, LR_SEED, steps)[0]["valid_nll"][-1] for lr in LR_GRID}
    return min(scores, key=scores.get), scores


def code_hash():
    """SHA-256 of this file, the code it runs, its settings and the torch version."""
    from ..torch import gru, lstm, rnn, stacked
    modules = (sys.modules[__name__], charlm, streams, corpus, rnn, gru, lstm, stacked)
    parts = [inspect.getsource(m) for m in modules] + [corpus.read(SHAKESPEARE["corpus"])]
    parts += [json.dumps([SHAKESPEARE, CELLS, SEEDS, LR_GRID, LR_SEED, LR_FRACTION]), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load():
    """{"hash", "lr": {cell: {"rate", "scores"}}, "runs": [one dict per cell and seed], "wall_seconds"}."""
    return json.loads(CACHE.read_text())


def load_model():
    """The cached seed-0 LSTM as a CharLM in eval mode, with its vocabulary."""
    vocab = data(SHAKESPEARE)[0]
    model = model_for(SHAKESPEARE, "lstm", 0, len(vocab))
    model.load_state_dict(torch.load(CHECKPOINT, weights_only=True))
    return model.eval(), vocab


def _job(job):
    kind, *args = job
    return job, (choose_lr(*args) if kind == "lr" else run_shakespeare(*args))


def main(workers=WORKERS):
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        rates = {}
        for (_, cell), (rate, scores) in pool.map(_job, [("lr", cell) for cell in CELLS]):
            rates[cell] = {"rate": rate, "scores": {str(k): round(v, 5) for k, v in scores.items()}}
            print(f"{cell}: learning rate {rate} ({scores})", flush=True)
        runs = list(pool.map(_job, [("run", c, rates[c]["rate"], s, SHAKESPEARE["steps"]) for c in CELLS for s in SEEDS]))
    torch.save(next(st for _, (_, st) in runs if st is not None), CHECKPOINT)
    CACHE.write_text(json.dumps({"hash": code_hash(), "lr": rates, "runs": [r for _, (r, _) in runs],
                                 "wall_seconds": round(time.perf_counter() - started, 1)}, indent=1) + "\n")
    print(f"wrote {CACHE} in {(time.perf_counter() - started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
