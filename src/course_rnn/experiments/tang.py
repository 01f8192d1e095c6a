"""Chapter 8's cached Tang-quatrain language models: one LSTM trained past its best epoch, three seeds.

Run ``python -m course_rnn.experiments.tang`` (or ``make cache``; about 7 minutes on 2 cores). It writes
``tang.json`` beside this file (the training and validation loss after every epoch, the best epoch,
poems sampled from the best-validation model and from the last, seconds, and a hash of the code and
settings) and ``tang.pt``, the seed-0 model at its best epoch, in float16 to stay small.

A poem is sampled as the 24 characters after the last training poem and its newline, so that the
model's state at the poem's start is one it met in training (a zero state followed by a newline
occurs only at the start of each stream, once per epoch).
"""
import copy
import hashlib
import inspect
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch

from .. import corpus, poems, streams
from ..torch import charlm, decoding

CACHE_DIR = Path(__file__).resolve().parent
CACHE = CACHE_DIR / "tang.json"
CHECKPOINT = CACHE_DIR / "tang.pt"
SEEDS = (0, 1, 2)
SETTINGS = {"corpus": "tang_wujue", "embedding": 64, "hidden": 128, "N": 32, "T": 50, "epochs": 30, "lr": 0.003,
            "clip": 1.0, "valid_fraction": 0.1, "samples": 100, "temperature": 1.0}
WORKERS = 2


def data():
    """(vocabulary, training ids, validation ids) of the quatrains, split by position."""
    text = corpus.read(SETTINGS["corpus"])
    vocab = streams.CharVocabulary(text)
    return (vocab, *streams.split(vocab.encode(text), SETTINGS["valid_fraction"]))


def build(V, seed):
    torch.manual_seed(seed)
    return charlm.CharLM(V, SETTINGS["embedding"], SETTINGS["hidden"], "lstm")


def prefix(vocab, train):
    """The last complete training poem and its newline, as ids: what a poem is sampled after."""
    text = vocab.decode(train)
    return torch.as_tensor(vocab.encode(text[:text.rindex("\n") + 1].split("\n")[-2] + "\n"))


def samples(model, vocab, train, seed):
    """``SETTINGS["samples"]`` poems of ``poems.LENGTH`` characters, sampled at the settings' temperature."""
    ids = decoding.sample(model, prefix(vocab, train), poems.LENGTH, SETTINGS["temperature"],
                          generator=torch.Generator().manual_seed(seed), samples=SETTINGS["samples"])
    return [vocab.decode(row) for row in ids]


def run(seed):
    """One seed: per-epoch curves, the best epoch's weights (seed 0 only), samples from best and last."""
    torch.set_num_threads(1)
    s = SETTINGS
    vocab, train, valid = data()
    model = build(len(vocab), seed)
    rows = streams.streams(train, s["N"])
    per_epoch = (rows.shape[1] - 1) // s["T"]  # windows in one pass over the training text
    best = []

    def validate(m):  # after every epoch: the validation NLL, and the best weights so far
        nll = charlm.mean_nll(m, valid, N=8, T=s["T"])
        if not best or nll < best[0]:
            best[:] = [nll, copy.deepcopy(m)]
        return nll

    losses, valid_curve, seconds = charlm.train(model, rows, s["T"], s["epochs"] * per_epoch, s["lr"],
                                                clip=s["clip"], every=per_epoch, evaluate=validate)
    best_model = best[1]
    return {"seed": seed, "train_nll": [round(float(v), 5) for v in losses.reshape(s["epochs"], per_epoch).mean(axis=1)],
            "valid_nll": [round(v, 5) for v in valid_curve], "best_epoch": int(np.argmin(valid_curve)) + 1,
            "seconds": round(seconds, 1), "samples_best": samples(best_model, vocab, train, seed),
            "samples_last": samples(model, vocab, train, seed)}, (
        {k: v.half() for k, v in best_model.state_dict().items()} if seed == 0 else None)


def code_hash():
    """SHA-256 of this file, the code it runs, the corpus, the settings and the torch version."""
    from ..torch import lstm, stacked
    parts = [inspect.getsource(m) for m in (sys.modules[__name__], charlm, decoding, streams, corpus, lstm, stacked)]
    parts += [corpus.read(SETTINGS["corpus"]), json.dumps([SETTINGS, SEEDS, poems.LENGTH]), torch.__version__.split("+")[0]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load():
    """{"hash", "settings", "runs": [one dict per seed], "wall_seconds"}."""
    return json.loads(CACHE.read_text())


def load_model():
    """The seed-0 model at its best epoch, in float32 and eval mode, with its vocabulary."""
    vocab = data()[0]
    model = build(len(vocab), 0)
    model.load_state_dict({k: v.float() for k, v in torch.load(CHECKPOINT, weights_only=True).items()})
    return model.eval(), vocab


def main(workers=WORKERS):
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(run, SEEDS))
    for record, _ in results:
        print(f"seed {record['seed']}: best epoch {record['best_epoch']} ({record['seconds']} s)", flush=True)
    torch.save(next(state for _, state in results if state is not None), CHECKPOINT)
    CACHE.write_text(json.dumps({"hash": code_hash(), "settings": SETTINGS, "runs": [r for r, _ in results],
                                 "wall_seconds": round(time.perf_counter() - started, 1)}, indent=1,
                                ensure_ascii=False) + "\n")
    print(f"wrote {CACHE} in {(time.perf_counter() - started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
