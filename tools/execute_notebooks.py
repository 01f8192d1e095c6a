"""Execute notebooks in place, top to bottom, each in a fresh kernel of this environment.

Usage: python tools/execute_notebooks.py chapters/01_rnn.ipynb [...]

The kernel is started with this interpreter (sys.executable), so the outputs are
those of the project's .venv whatever kernels the machine has installed. Run it
through `make notebooks`, which also fixes PYTHONHASHSEED.
"""
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


def coalesce_streams(nb):
    """Join consecutive stdout (or stderr) outputs of a cell: a print can reach the kernel in two pieces."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if merged and out.output_type == "stream" and merged[-1].output_type == "stream" \
                    and merged[-1].name == out.name:
                merged[-1].text += out.text
            else:
                merged.append(out)
        if cell.cell_type == "code":
            cell.outputs = merged


def execute(path):
    nb = nbformat.read(path, as_version=4)
    km = KernelManager()
    km._kernel_spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                                 display_name="course-rnn", language="python")
    client = NotebookClient(nb, km=km, timeout=600, record_timing=False,  # no timestamps: clean diffs
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    coalesce_streams(nb)
    nbformat.write(nb, path)
    print(f"{path}: executed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        execute(Path(arg))
