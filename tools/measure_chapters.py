"""Measure each chapter's time and peak memory against the course's budget (60 s, 1.5 GB on 2 cores).

Usage: python tools/measure_chapters.py [chapters/01_rnn.ipynb ...]   (default: every chapters/*.ipynb)

Each notebook runs top to bottom in a fresh kernel of this interpreter (as tools/execute_notebooks.py
starts it), and is not written back. Measured per chapter:
- seconds: wall time from starting the kernel to its shutdown, what a reader waits for;
- cells_seconds: the cells alone (nbclient's per-cell timing);
- peak_mb: the kernel's peak resident memory, the larger of its high-water mark (VmHWM in
  /proc/<pid>/status, exact for the kernel process) and the sum over the kernel and its child processes
  sampled every 20 ms (psutil), in MiB. Checked once against GNU time: chapter 1's code run by plain
  ipython under `/usr/bin/time -v` peaked at 422 MiB, this tool gave the kernel 430-437 MiB (ipykernel's own).
Writes _build/budgets/chapters.md and chapters.json; exits 1, naming the chapters, when one is over budget.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import nbformat
import psutil
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S, BUDGET_MB = 60, 1536
OUT = ROOT / "_build" / "budgets"


def _high_water_mb(pid):
    """The peak resident memory of one process so far (Linux), in MiB; 0 where unknown."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM")), 0.0)
    except OSError:
        return 0.0


class PeakMemory(threading.Thread):
    """Sample a kernel's memory until stopped: ``peak_mb`` is the most it and its children held at once."""

    def __init__(self, km, every=0.02):
        super().__init__(daemon=True)
        self.km, self.every, self.peak_mb, self.stopped = km, every, 0.0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            pid = getattr(self.km.provisioner, "pid", None) if self.km.provisioner else None
            if pid:
                try:
                    kernel = psutil.Process(pid)
                    rss = sum(p.memory_info().rss for p in [kernel, *kernel.children(recursive=True)]) / 2 ** 20
                    self.peak_mb = max(self.peak_mb, rss, _high_water_mb(pid))
                except psutil.Error:  # the kernel or a child exited between two looks
                    pass
            time.sleep(self.every)


def measure(path):
    """Run one notebook in a fresh kernel: {chapter, seconds, cells_seconds, peak_mb, ...}."""
    nb = nbformat.read(path, as_version=4)
    km = KernelManager()
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    km._kernel_spec = KernelSpec(argv=argv, display_name="course-rnn", language="python")
    client = NotebookClient(nb, km=km, timeout=600, record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    monitor = PeakMemory(km)
    monitor.start()
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        seconds = time.perf_counter() - start
        monitor.stopped.set()
        monitor.join()
    cells = 0.0
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            stamps = [datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                      for k in ("iopub.execute_input", "shell.execute_reply")]
            cells += (stamps[1] - stamps[0]).total_seconds()
    ok = seconds <= BUDGET_S and monitor.peak_mb <= BUDGET_MB
    return {"chapter": path.stem, "seconds": round(seconds, 1), "cells_seconds": round(cells, 1),
            "peak_mb": round(monitor.peak_mb), "budget_s": BUDGET_S, "budget_mb": BUDGET_MB, "ok": ok}


def table(rows):
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    return "\n".join(lines + ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows])


def main(paths):
    os.environ.setdefault("PYTHONHASHSEED", "0")  # as `make notebooks`; the kernel inherits it
    paths = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    rows = []
    for path in paths:
        rows.append(measure(path))
        print(f"{path.name}: {rows[-1]['seconds']} s, {rows[-1]['peak_mb']} MB", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    header = f"Each chapter in a fresh kernel, {psutil.cpu_count()} CPU cores; budget {BUDGET_S} s, {BUDGET_MB} MB.\n\n"
    (OUT / "chapters.md").write_text(header + table(rows) + "\n")
    (OUT / "chapters.json").write_text(json.dumps(rows, indent=1) + "\n")
    print(header + table(rows))
    over = [f"{r['chapter']} ({r['seconds']} s, {r['peak_mb']} MB)" for r in rows if not r["ok"]]
    if over:
        print(f"over budget ({BUDGET_S} s, {BUDGET_MB} MB): " + ", ".join(over), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
