"""The cached grid's seeds summarised for the chapters' tables and sentences (not part of any cache's hash:
changing how a result is summarised never makes a cache stale)."""
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
