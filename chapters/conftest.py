"""Every chapter keeps to the course's budget while nbval runs it: at most 60 s of execution and 1.5 GB peak
memory (the spec's budget on a 2-core CPU). Each notebook's figures go to _build/budgets/nbval/<name>.json;
a chapter over budget fails its last cell with a message naming the chapter and the figure."""
import json
import os
import time
from pathlib import Path

import pytest

BUDGET_SECONDS = float(os.environ.get("COURSE_BUDGET_SECONDS", 60))  # overridable to test this file
BUDGET_MB = float(os.environ.get("COURSE_BUDGET_MB", 1536))
OUT = Path(__file__).resolve().parent.parent / "_build" / "budgets" / "nbval"
_seconds = {}


def _peak_mb(notebook):
    """The kernel's peak resident memory (VmHWM) in MB, or None where /proc is not available."""
    try:
        status = Path(f"/proc/{notebook.kernel.km.provisioner.pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    start = time.perf_counter()
    yield
    _seconds[item.parent.nodeid] = _seconds.get(item.parent.nodeid, 0.0) + time.perf_counter() - start


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell: record its figures, let nbval shut the kernel down, then fail if over
    budget (failing before the shutdown would leave the kernel up and break the next notebook's setup)."""
    over = _record(item.parent) if _is_last_cell(item, nextitem) else []
    result = yield
    if over:
        pytest.fail(f"{Path(item.parent.nodeid).name} is over the chapter budget: " + "; ".join(over), pytrace=False)
    return result


def _is_last_cell(item, nextitem):
    return hasattr(item.parent, "kernel") and (nextitem is None or nextitem.parent is not item.parent)


def _record(notebook):
    """Write the notebook's time and peak memory to OUT; return what is over budget, as readable strings."""
    seconds, peak = _seconds.get(notebook.nodeid, 0.0), _peak_mb(notebook)
    name = Path(notebook.nodeid).name
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{Path(name).stem}.json").write_text(json.dumps({"chapter": name, "seconds": round(seconds, 1),
                                                             "peak_mb": peak and round(peak)}) + "\n")
    over = [f"{seconds:.0f} s > {BUDGET_SECONDS:.0f} s"] if seconds > BUDGET_SECONDS else []
    return over + ([f"peak memory {peak:.0f} MB > {BUDGET_MB:.0f} MB"] if peak and peak > BUDGET_MB else [])
