"""Grade a folder of submissions, each in its own sandbox: `make grade EX=<set> SUBMISSIONS=<dir>`.

Every *.ipynb in the folder is graded by grader/ (see book/instructors.md): its code cells run in a
bubblewrap sandbox only to turn hidden inputs, made here, into answers; the answers are compared here
with references computed here. A cell that runs longer than --cell-timeout seconds is interrupted and
counts as an error; a submission that takes longer than --timeout seconds in all is killed, with every
process it started. Writes <dir>/grades.csv (columns submission, score, max_score, one per question,
notes, flags) atomically once every sandbox is dead, prints a summary and the throughput.

`flags` lists code that reaches for the grading machinery, and functions that repeat the package code
the set withholds: not verdicts, pointers for a human to look.
"""
import argparse
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import folder, sandbox, spec  # noqa: E402


def setup_cell(exercise):
    """The student notebook's setup cell (skipped when a submission runs), or ""."""
    import nbformat
    path = ROOT / "exercises" / "student" / f"{exercise}.ipynb"
    if not path.exists():
        return ""
    cells = [c for c in nbformat.read(path, as_version=4).cells if "setup" in c.metadata.get("tags", [])]
    return cells[0].source if cells else ""


def summary(rows, columns, seconds, jobs):
    questions = columns[3:-2]
    width = max([len("submission")] + [len(r["submission"]) for r in rows])
    lines = [f"{'submission':<{width}}  {'score':>9}  " + "  ".join(f"{q:>4}" for q in questions) + "  notes"]
    for r in rows:
        lines.append(f"{r['submission']:<{width}}  {r['score']:>4g}/{r['max_score']:<4g}  "
                     + "  ".join(f"{r[q]:>4g}" for q in questions)
                     + f"  {r['notes']}{'  [flags: ' + r['flags'] + ']' if r['flags'] else ''}")
    rate = 60 * len(rows) / seconds if seconds else 0.0
    lines.append(f"\n{len(rows)} submission(s) in {seconds:.1f} s on {jobs} worker(s): {rate:.1f} submissions per minute")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercise", help="exercise set, e.g. ex01_rnn")
    parser.add_argument("submissions", type=Path, help="folder of .ipynb submissions")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds one cell (or one graded call) may run")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one submission may take in all")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="submissions graded at once (default: every core)")
    args = parser.parse_args()
    if not sandbox.available():
        raise SystemExit("bwrap (bubblewrap) is needed to grade: apt-get install bubblewrap")
    master = ROOT / "exercises" / "masters" / f"{args.exercise}.ipynb"
    rows, columns, seconds = folder.grade_folder(spec.from_master(master), args.submissions, jobs=args.jobs,
                                                 setup_cell=setup_cell(args.exercise), cell_timeout=args.cell_timeout,
                                                 call_timeout=args.cell_timeout, deadline=args.timeout)
    print(summary(rows, columns, seconds, args.jobs))
    print(f"grades written to {args.submissions / 'grades.csv'}")
    print(f"peak memory of the grader: {peak_mb():.0f} MB")


def peak_mb():
    """This process's peak resident memory, not the sandboxes'. VmHWM belongs to the process's own memory
    map; getrusage's ru_maxrss also carries the RSS of the process that forked this one over from before
    exec (a pytest worker that had imported torch made a 55 MB grader read 327 MB)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
