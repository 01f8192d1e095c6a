"""Chapter 8's cached encoder-decoders: number words -> digits, with and without Bahdanau attention.

Run ``python -m course_rnn.experiments.translation`` (or ``make cache``; about 8 minutes on 2 cores). It
writes ``translation.json`` beside this file and ``translation_<variant>.pt`` (the seed-0 models).
Both variants train on the same batches (``steps`` batches of N pairs, 1 to 12 digits) at the rate
``choose_lr`` picks from ``LR_GRID`` on seed ``LR_SEED`` after a quarter of the steps, and are tested on
the same ``test_size`` pairs: exact-match accuracy by source length in words, and the error rate of
each output position when the decoder reads the true previous digits (teacher forcing) and when it
reads its own (free running).
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

from .. import numbers
from ..torch import seq2seq

CACHE_DIR = Path(__file__).resolve().parent
CACHE = CACHE_DIR / "translation.json"
VARIANTS = ("attention", "no_attention")
SEEDS = (0, 1, 2)
LR_GRID = (0.001, 0.003, 0.01, 0.03)
LR_SEED, LR_FRACTION = 100, 0.25
SETTINGS = {"embedding": 32, "hidden": 64, "N": 64, "steps": 1500, "clip": 1.0, "test_size": 3000, "test_seed": 999,
            "valid_size": 1000, "valid_seed": 998}
WORKERS = 2


def checkpoint(variant):
    return CACHE_DIR / f"translation_{variant}.pt"


def build(variant, seed):
    torch.manual_seed(seed)
    return seq2seq.Seq2Seq(len(numbers.SOURCE_TOKENS), len(numbers.TARGET_TOKENS), SETTINGS["embedding"],
                           SETTINGS["hidden"], attention=variant == "attention")


def batches(seed, steps, N):
    """``steps`` training batches of N pairs, the same for every variant of one seed."""
    for k in range(steps):
        _, sources, targets = numbers.pairs(N, seed * 1_000_003 + k)
        yield tuple(torch.as_tensor(a) for a in numbers.encode(sources, targets))


def test_set(size, seed):
    """(sources, targets, tensors (src, lengths, tgt_in, tgt_out)) of ``size`` pairs."""
    _, sources, targets = numbers.pairs(size, seed)
    return sources, targets, tuple(torch.as_tensor(a) for a in numbers.encode(sources, targets))


@torch.no_grad()
def evaluate(model, sources, targets, tensors):
    """Exact matches by source length in words, and per-position errors, teacher-forced and free-running."""
    src, lengths, tgt_in, tgt_out = tensors
    free, _ = model.greedy(src, lengths, tgt_out.shape[1])
    forced = model(src, lengths, tgt_in)[0].argmax(dim=-1)  # (N, T)
    scored = tgt_out != 0  # the digits and the <eos>, not the pads
    exact = np.array([numbers.decode(row) == t for row, t in zip(free, targets)])
    words = np.array([len(s.split()) for s in sources])
    by_words = {str(w): [int(exact[words == w].sum()), int((words == w).sum())] for w in range(1, numbers.MAX_WORDS + 1)}
    error = lambda pred: [round(float(((pred != tgt_out) & scored)[:, i].sum() / scored[:, i].sum()), 5)  # noqa: E731
                          for i in range(tgt_out.shape[1])]
    return {"exact": round(float(exact.mean()), 5), "exact_by_words": by_words,
            "error_teacher_forced": error(forced), "error_free_running": error(free)}


def run(variant, lr, seed, steps):
    torch.set_num_threads(1)
    model = build(variant, seed)
    start = time.perf_counter()
    losses = seq2seq.train(model, batches(seed, steps, SETTINGS["N"]), lr=lr, clip=SETTINGS["clip"])
    seconds = time.perf_counter() - start
    model.eval()
    result = {"variant": variant, "seed": seed, "lr": lr, "seconds": round(seconds, 1),
              "train_loss": [round(float(v), 4) for v in np.array(losses[:len(losses) // 50 * 50]).reshape(-1, 50).mean(axis=1)]}
    return result, model


def choose_lr(variant):
    """The rate of LR_GRID with the most exact matches on a validation set, seed LR_SEED, LR_FRACTION of the steps."""
    valid = test_set(SETTINGS["valid_size"], SETTINGS["valid_seed"])
    scores = {}
    for lr in LR_GRID:
        _, model = run(variant, lr, LR_SEED, int(SETTINGS["steps"] * LR_FRACTION))
        scores[lr] = evaluate(model, *valid)["exact"]
    return max(scores, key=scores.get), scores


def _job(job):
    if job[0] == "lr":
        return job, choose_lr(job[1])
    result, model = run(*job[1:])
    result.update(evaluate(model, *test_set(SETTINGS["test_size"], SETTINGS["test_seed"])))
    return job, (result, model.state_dict() if job[3] == 0 else None)


def code_hash():
    """SHA-256 of this file, the model and data code, the settings and the torch version."""
    parts = [inspect.getsource(m) for m in (sys.modules[__name__], seq2seq, numbers)]
    parts += [json.dumps([SETTINGS, VARIANTS, SEEDS, LR_GRID, LR_SEED, LR_FRACTION]), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load():
    """{"hash", "settings", "lr": {variant: {"rate", "scores"}}, "runs": [one dict per variant and seed]}."""
    return json.loads(CACHE.read_text())


def load_model(variant):
    """The seed-0 model of ``variant``, trained, in eval mode."""
    model = build(variant, 0)
    model.load_state_dict(torch.load(checkpoint(variant), weights_only=True))
    return model.eval()


def main(workers=WORKERS):
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        rates = {}
        for (_, variant), (rate, scores) in pool.map(_job, [("lr", v) for v in VARIANTS]):
            rates[variant] = {"rate": rate, "scores": {str(k): v for k, v in scores.items()}}
            print(f"{variant}: learning rate {rate} ({scores})", flush=True)
        jobs = [("run", v, rates[v]["rate"], s, SETTINGS["steps"]) for v in VARIANTS for s in SEEDS]
        runs = []
        for job, (result, state) in pool.map(_job, jobs):
            runs.append(result)
            print(f"{job[1]} seed {job[3]}: exact {result['exact']} ({result['seconds']} s)", flush=True)
            if state is not None:
                torch.save(state, checkpoint(job[1]))
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": SETTINGS, "lr": rates, "runs": runs,
                                 "wall_seconds": round(time.perf_counter() - started, 1)}, indent=1) + "\n")
    print(f"wrote {CACHE} in {(time.perf_counter() - started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
