"""Grade a folder of submissions with otter, without Docker: `make grade EX=<set> SUBMISSIONS=<dir>`.

Every *.ipynb in the folder is graded by `otter run` against the set's autograder zip
(built by `make exercises`), each in its own process, so that one bad notebook cannot stop
the others. A cell that runs longer than --cell-timeout seconds is interrupted and counts as
an error (its questions score 0); a submission that takes longer than --timeout seconds in
all is stopped and scores 0. Writes <dir>/grades.csv with the columns
submission, score, max_score, one per question, notes, flags; and prints a summary.

`flags` lists code in the submission that touches the grading machinery (otter, pickle,
subprocess, builtins, ...): not a verdict, a pointer for a human to look (see the
instructor guide for what in-kernel grading cannot prevent).
"""
import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUSPICIOUS = re.compile(r"\b(?:otter|Checker|GradingResults|pickle|dill|subprocess|builtins|sys\.modules|__code__|"
                        r"setattr|course_rnn\.grading|os\.system)\b|\b(?:allclose|assert_allclose|isclose|array_equal)\s*=(?!=)")


def run_one(autograder, submission, output_dir, cell_timeout):
    """Run otter on one notebook with a per-cell time limit (called in a child process)."""
    from nbconvert.preprocessors import ExecutePreprocessor
    from otter.run import main as otter_run

    original_init = ExecutePreprocessor.__init__

    def limited_init(self, **kwargs):
        original_init(self, **kwargs)
        self.timeout, self.interrupt_on_timeout = cell_timeout, True

    original_timeout = ExecutePreprocessor._async_handle_timeout

    async def record_timeout(self, timeout, cell=None):
        with open(Path(output_dir) / "timeouts.txt", "a") as f:
            f.write(f"a cell was interrupted after {timeout} s\n")
        return await original_timeout(self, timeout, cell)

    ExecutePreprocessor.__init__ = limited_init
    ExecutePreprocessor._async_handle_timeout = record_timeout
    otter_run(submission, autograder=autograder, output_dir=output_dir, no_logo=True)


def flags(path):
    try:
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"
                         and "setup" not in c.get("metadata", {}).get("tags", []))
    except Exception:
        return ""
    code = re.sub(r"grader\.check(_all)?\(", "", code)
    return " ".join(sorted({re.sub(r"\s+", "", match) for match in SUSPICIOUS.findall(code)}))


def grade(path, autograder, questions, cell_timeout, timeout):
    """One row of grades.csv for the notebook at ``path``."""
    row = {"submission": path.name, **{q: 0 for q in questions}, "notes": "", "flags": flags(path)}
    try:
        import nbformat
        nbformat.validate(nbformat.read(path, as_version=4))
    except Exception as err:
        row["notes"] = f"not a valid notebook ({type(err).__name__}); scored 0"
        return row
    with tempfile.TemporaryDirectory() as out:
        try:
            run = subprocess.run([sys.executable, __file__, "--run-one", str(autograder), str(path), out,
                                  str(cell_timeout)], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            row["notes"] = f"grading took longer than {timeout} s and was stopped; scored 0"
            return row
        results = Path(out) / "results.json"
        if run.returncode or not results.exists():
            row["notes"] = f"the grader could not run this notebook; scored 0 ({run.stderr.strip()[-200:]})"
            return row
        for test in json.loads(results.read_text())["tests"]:
            if test.get("name") in row and "max_score" in test:
                row[test["name"]] = test["score"]
        timeouts = Path(out) / "timeouts.txt"
        if timeouts.exists():
            lost = [q for q in questions if row[q] == 0]
            row["notes"] = (f"{len(timeouts.read_text().splitlines())} cell(s) interrupted after {cell_timeout} s; "
                            f"unfinished questions scored 0: {' '.join(lost) or 'none'}")
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercise", help="exercise set, e.g. ex01_rnn")
    parser.add_argument("submissions", type=Path, help="folder of .ipynb submissions")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds one cell may run")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one submission may take in all")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    args = parser.parse_args()
    autograder = ROOT / "_build" / "exercises" / args.exercise / "autograder.zip"
    if not autograder.exists():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_exercises.py"), args.exercise], check=True)
    tests = sorted((ROOT / "_build" / "exercises" / args.exercise / "autograder" / "tests").glob("*.py"))
    points = {t.stem: float(re.search(r"^points = ([\d.]+)", t.read_text(), re.M).group(1)) for t in tests}
    questions = list(points)
    def graded(path):
        row = grade(path, autograder, questions, args.cell_timeout, args.timeout)
        row["score"], row["max_score"] = sum(row[q] for q in questions), sum(points.values())
        print(f"graded {path.name}: {row['score']:g}/{row['max_score']:g}", flush=True)
        return row

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:  # each submission runs in its own process
        rows = list(pool.map(graded, sorted(args.submissions.glob("*.ipynb"))))
    columns = ["submission", "score", "max_score", *questions, "notes", "flags"]
    with open(args.submissions / "grades.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    width = max([len("submission")] + [len(r["submission"]) for r in rows])
    print(f"\n{'submission':<{width}}  {'score':>9}  " + "  ".join(f"{q:>4}" for q in questions) + "  notes")
    for r in rows:
        print(f"{r['submission']:<{width}}  {r['score']:>4g}/{r['max_score']:<4g}  "
              + "  ".join(f"{r[q]:>4g}" for q in questions) + f"  {r['notes']}{'  [flags: ' + r['flags'] + ']' if r['flags'] else ''}")
    print(f"\n{len(rows)} submission(s); grades written to {args.submissions / 'grades.csv'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--run-one":
        run_one(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
