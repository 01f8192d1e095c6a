"""The cached grid's seeds summarised for the chapters' tables and sentences (not part of any cache's hash:
changing how a result is summarised never makes a cache stale)."""
import math

import numpy as np

from .longrange import RULES


def summary(task, records):
    """One setting's seeds as a line of a table: {"median", "low", "high"}: the rule's metric on the test
    sets; "solved", "n": seeds that meet the rule, of n; "verdicts": the seeds' verdicts; "baseline": the
    median of the seeds' baselines; "mark": "✓" when most seeds solve the task, "≈ baseline" when most are
    inside their baseline's noise band, "✗" when most are below it or diverged, "partly" otherwise."""
    rule = RULES[task][0]
    values = np.array([r["test"][rule] for r in records], dtype=float)
    verdicts = [r["verdict"] for r in records]
    n = len(records)
    count = lambda *names: sum(v in names for v in verdicts)  # noqa: E731
    if count("solved") > n / 2:
        mark = "✓"
    elif count("≈ baseline") > n / 2:
        mark = "≈ baseline"
    elif count("below baseline", "diverged") > n / 2:
        mark = "✗"
    else:
        mark = "partly"
    finite = values[np.isfinite(values)] if np.isfinite(values).any() else values
    return {"median": float(np.median(finite)), "low": float(finite.min()), "high": float(finite.max()),
            "solved": count("solved"), "n": n, "verdicts": verdicts, "mark": mark,
            "baseline": float(np.median([r["baseline"][0] for r in records]))}


NAMES = {"tanh": "tanh RNN", "clipped": "tanh RNN, clipped", "irnn": "IRNN", "gru": "GRU",
         "lstm_b0": "LSTM, forget bias 0", "lstm_b1": "LSTM, forget bias 1", "peephole": "peephole LSTM",
         "clockwork": "Clockwork RNN", "scrn": "SCRN"}
METRIC = {"adding": "MSE", "adding_hs": "share within 0.04", "copy": "accuracy on the copied symbols",
          "agreement": "accuracy"}


def number(task, value):
    """A rule metric as the tables print it: MSE with three decimals (or one significant digit below
    0.001), shares with three (so that 0.989 never prints as the 0.99 of a rule)."""
    if task == "adding":
        return f"{value:.3f}" if value >= 0.001 else f"{value:.0e}"
    return f"{value:.3f}"


def cell(task, s):
    """One table cell from ``summary``: 'mark k/n · median (low–high)'."""
    return (f"{s['mark']} {s['solved']}/{s['n']} · {number(task, s['median'])} "
            f"({number(task, s['low'])}–{number(task, s['high'])})")


def table(summaries, models, columns):
    """A Markdown table: one row per model, one column per (task, T); ``summaries[model, task, T]`` from
    ``summary``. The first row gives each column's memoryless baseline (median over the seeds' test sets)."""
    head = "| model | " + " | ".join(f"{task}, T = {T}: test {METRIC[task]}" for task, T in columns) + " |"
    base = "| *memoryless baseline* | " + " | ".join(
        f"*{number(task, summaries[models[0], task, T]['baseline'])}*" for task, T in columns) + " |"
    rows = [f"| {NAMES[m]} | " + " | ".join(cell(task, summaries[m, task, T]) for task, T in columns) + " |"
            for m in models]
    return "\n".join([head, "|---" * (len(columns) + 1) + "|", base, *rows])


def fisher_p(a, n1, b, n2):
    """Two-sided p-value of Fisher's exact test: a of n1 runs solved against b of n2 (the probability,
    with the margins fixed, of a table at most as likely as the one observed)."""
    total, solved = n1 + n2, a + b
    prob = lambda k: math.comb(n1, k) * math.comb(n2, solved - k) / math.comb(total, solved)  # noqa: E731
    observed = prob(a)
    ks = range(max(0, solved - n2), min(n1, solved) + 1)
    return min(1.0, sum(prob(k) for k in ks if prob(k) <= observed * (1 + 1e-9)))


def clear_difference(a, n1, b, n2, level=0.05):
    """Whether a of n1 solved runs and b of n2 differ by more than chance allows (Fisher's p < level)."""
    return fisher_p(a, n1, b, n2) < level
