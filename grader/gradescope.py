"""Gradescope's entry point: the same harness and sandbox as `make grade`, on the one submission Gradescope hands in.

The autograder zip (built by `make exercises`, see ``build_zip``) holds grader/, this set's spec.json and
its stub's setup cell; its ``setup.sh`` installs bubblewrap, the pinned requirements and the course package,
and its ``run_autograder`` runs ``python3 -m grader.gradescope``. Gradescope's layout: the zip unpacked in
``/autograder/source``, the submission in ``/autograder/submission``, the results written to
``/autograder/results/results.json`` (the root can be moved with $GRADESCOPE_ROOT, for testing). Without
bwrap, or where bwrap cannot start a sandbox (no user namespaces), the run fails instead of grading.
"""
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from . import harness, sandbox, spec as specs

SETUP_SH = """#!/usr/bin/env bash
set -euo pipefail
apt-get update && apt-get install -y bubblewrap python3 python3-pip
python3 -m pip install --extra-index-url https://download.pytorch.org/whl/cpu /autograder/source/package
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
set -euo pipefail
cd /autograder/source
exec python3 -m grader.gradescope
"""


def results(row, spec):
    """Gradescope's results.json for one row of the harness."""
    tests = [{"name": q["name"], "score": row[q["name"]], "max_score": q["points"]} for q in spec["questions"]]
    output = " ".join(filter(None, [row["notes"], f"flags: {row['flags']}" if row["flags"] else ""]))
    return {"score": sum(t["score"] for t in tests), "tests": tests, "output": output}


def main(root=None):
    root = Path(root or os.environ.get("GRADESCOPE_ROOT", "/autograder"))
    if not sandbox.available():
        raise SystemExit("bwrap (bubblewrap) is missing: refusing to grade without the sandbox")
    source = Path(__file__).resolve().parent.parent
    spec = specs.read(source / "spec.json")
    setup_cell = (source / "setup_cell.txt").read_text()
    notebooks = sorted((root / "submission").rglob("*.ipynb"))
    out = root / "results"
    out.mkdir(parents=True, exist_ok=True)
    if not notebooks:
        row = {"notes": "no .ipynb in the submission; scored 0", "flags": "", **{q["name"]: 0.0 for q in spec["questions"]}}
    else:
        with tempfile.TemporaryDirectory(prefix="course-rnn-grade-") as workdir:
            sandbox.check_works(Path(workdir) / "check")  # fails the run loudly rather than scoring 0
            row = harness.grade(notebooks[0], harness.prepare(spec, workdir, setup_cell=setup_cell))
    (out / "results.json").write_text(json.dumps(results(row, spec), indent=1))


def build_zip(spec, setup_cell, requirements, package_root, target):
    """Write the Gradescope zip to ``target``: grader/, spec.json, setup cell, requirements, the package."""
    grader_dir = Path(__file__).resolve().parent
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(grader_dir.rglob("*.py")):
            z.write(path, str(path.relative_to(grader_dir.parent)))
        z.writestr("spec.json", json.dumps(spec, indent=1) + "\n")
        z.writestr("setup_cell.txt", setup_cell)
        z.writestr("requirements.txt", requirements)
        for info, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            entry = zipfile.ZipInfo(info)
            entry.external_attr = 0o755 << 16
            z.writestr(entry, text)
        for path in sorted(package_root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc"):
                z.write(path, str(Path("package") / path.relative_to(package_root)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
