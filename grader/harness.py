"""Grade one submission: its code runs in a sandbox on inputs made here; the verdict is computed here.

``prepare(spec, workdir)`` makes, once per set, the grading copy of the package, every hidden case's
inputs (files for the sandbox) and the references (kept in this process only). ``grade(path, prepared)``
returns one row of grades.csv; it never raises: a failure of any kind is a row with a note.
"""
import json
import os
import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from . import cases, codec, flags, oracle, package_copy, safe_io, sandbox, verdict

RUNNER = Path(__file__).resolve().parent / "runner.py"
MAX_NOTEBOOK_BYTES = 20 << 20
CHECK_CELL = re.compile(r"\s*(grader\.check(_all)?\([^()]*\)\s*)+")


@dataclass
class Prepared:
    """A set ready to grade: the spec, the sandbox's files, and the references, which never leave here."""
    spec: dict
    workdir: Path
    package: Path
    cases_dir: Path
    calls: list = field(default_factory=list)  # [{"id", "function", "case"}] in the plan's order
    expected: dict = field(default_factory=dict)  # call id -> (question, inputs, reference)
    extra: dict = field(default_factory=dict)  # test id -> (call ids, judge)
    withheld: dict = field(default_factory=dict)
    setup_cell: str = ""
    options: dict = field(default_factory=dict)
    oracle_limits: dict = field(default_factory=dict)  # empty: no case holds an oracle, no pipes are passed


def prepare(spec, workdir, setup_cell="", cell_timeout=60, call_timeout=60, deadline=600):
    """Everything a set's grading needs that does not depend on the submission."""
    workdir = Path(workdir)
    package = package_copy.make(spec["set"], workdir / "pkg")
    prepared = Prepared(spec, workdir, package.parent, workdir / "cases", setup_cell=setup_cell,
                        withheld=package_copy.withheld_nodes(spec["set"]),
                        options={"cell_timeout": cell_timeout, "call_timeout": call_timeout, "deadline": deadline})
    prepared.cases_dir.mkdir()
    for question in spec["questions"]:
        for test in question["tests"]:
            for k, seed in enumerate(test["seeds"]):
                inputs = cases.case_inputs(test["case"], seed)
                _add_call(prepared, f"{test['id']}.{k}", test, inputs, cases.reference(test["case"], inputs, seed))
            if test["case"] in cases.EXTRA:
                extra_inputs, judge = cases.EXTRA[test["case"]]
                ids = [_add_call(prepared, f"{test['id']}.x{k}", test, inputs, None) for k, inputs in enumerate(extra_inputs)]
                prepared.extra[test["id"]] = (ids, judge)
    return prepared


def _add_call(prepared, call_id, test, inputs, expected):
    codec.write_case(inputs, prepared.cases_dir / call_id)
    if any(isinstance(v, codec.Oracle) for v in inputs.values()):
        arrays = _arrays(inputs)
        limits = {"bytes": 16 * sum(a.nbytes for a in arrays) + (1 << 20),
                  "members": 4 * max(max(a.shape, default=1) for a in arrays) + 32}
        old = prepared.oracle_limits
        prepared.oracle_limits = {k: max(v, old.get(k, 0)) for k, v in limits.items()}
    prepared.calls.append({"id": call_id, "function": test["function"], "case": call_id})
    prepared.expected[call_id] = (test["case"], inputs, expected)
    return call_id


def _arrays(value):
    """The arrays among a case's inputs (nested dicts, lists and tuples)."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _arrays(v)]
    return []


def code_cells(path, setup_cell=""):
    """The code cells a submission runs: every code cell but the stub's own setup cell and the public checks."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError("the notebook is larger than 20 MB")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return [s for s in sources if s.strip() != setup_cell.strip() and not CHECK_CELL.fullmatch(s)]


def _judge(prepared, answers_dir):
    """{test id: True or the first reason it failed}, from the answer files."""
    results = {}
    for question in prepared.spec["questions"]:
        for test in question["tests"]:
            reason = ""
            for k in range(len(test["seeds"])):
                call_id = f"{test['id']}.{k}"
                case, inputs, expected = prepared.expected[call_id]
                cap = verdict.limits(expected, cases.answer_bytes(case, inputs))
                answer = verdict.read_answer(answers_dir / f"{call_id}.npz", *cap)
                reason = answer if isinstance(answer, str) else verdict.compare(case, inputs, expected, answer)
                if reason:
                    break
            if not reason and test["id"] in prepared.extra:
                ids, judge = prepared.extra[test["id"]]
                answers = [verdict.read_answer(answers_dir / f"{i}.npz") for i in ids]
                reason = next((a for a in answers if isinstance(a, str)), "") or judge(answers)
            results[test["id"]] = reason or True
    return results


def _cell_counts(answers_dir):
    """The counts of failed and interrupted cells the runner reported, as bounded ints (or None)."""
    try:
        folder = safe_io.open_dir(answers_dir)
        try:
            counts = json.loads(safe_io.read_bytes("cells.json", 200, dir_fd=folder))
        finally:
            os.close(folder)
        return {k: int(counts[k]) for k in ("failed", "interrupted") if 0 <= int(counts[k]) < 10_000}
    except Exception:
        return None


def run_sandbox(prepared, cells, private):
    """Run the submission's cells and calls in a sandbox on the directory ``private``."""
    shutil.copytree(prepared.cases_dir, private / "cases")
    (private / "answers").mkdir()
    (private / "cells.json").write_text(json.dumps(cells))
    plan = {"cell_timeout": prepared.options["cell_timeout"], "call_timeout": prepared.options["call_timeout"],
            "calls": prepared.calls, "oracle_fds": None}
    fds, served = (), None
    if prepared.oracle_limits:  # only sets whose cases hand the learner an oracle (ex02's locate_bug)
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        fds, plan["oracle_fds"] = (requests_w, replies_r), [requests_w, replies_r]
        served = oracle.start(requests_r, replies_w, prepared.oracle_limits)
    (private / "plan.json").write_text(json.dumps(plan))
    logs = private.parent / "logs"
    logs.mkdir()
    try:
        argv = sandbox.command(private, prepared.package, RUNNER)
        rc, timed_out, _ = sandbox.run(argv, logs, prepared.options["deadline"], pass_fds=fds)
    finally:
        for fd in fds:
            os.close(fd)
        if served:
            served[1].set()  # the sandbox is dead: no more work for it
            served[0].join(timeout=10)
    return rc, timed_out


def grade(path, prepared):
    """One row of grades.csv for the notebook at ``path``; never raises."""
    questions = [q["name"] for q in prepared.spec["questions"]]
    row = {"submission": path.name, **{q: 0.0 for q in questions}, "notes": "", "flags": ""}
    try:
        cells = code_cells(path, prepared.setup_cell)
    except Exception as err:
        row["notes"] = f"not a valid notebook ({type(err).__name__}); scored 0"
        return row
    row["flags"] = flags.analyse(cells, prepared.withheld)
    with tempfile.TemporaryDirectory(dir=prepared.workdir) as tmp:
        private = Path(tmp) / "submission"
        private.mkdir()
        try:
            with sandbox.private_tmpfs(private):  # bounds what the submission can write (root only)
                rc, timed_out = run_sandbox(prepared, cells, private)
                passed = _judge(prepared, private / "answers")
                counts = _cell_counts(private / "answers")
        except Exception:
            row["notes"] = "the grader failed on this notebook; scored 0: " + traceback.format_exc(limit=2)[-300:]
            return row
    row.update(verdict.question_scores(prepared.spec, passed))
    row["notes"] = _notes(row, questions, timed_out, counts, prepared.options)
    return row


def _notes(row, questions, timed_out, counts, options):
    """The notes column, written by the parent from what it observed (the runner's counts are bounded ints)."""
    lost = " ".join(q for q in questions if row[q] == 0) or "none"
    if timed_out:
        return f"stopped after {options['deadline']} s; unfinished questions scored 0: {lost}"
    if counts is None:
        return f"the notebook's code ended the grading run early; questions without answers scored 0: {lost}"
    if counts["interrupted"]:
        return (f"{counts['interrupted']} cell(s) interrupted after {options['cell_timeout']} s; "
                f"unfinished questions scored 0: {lost}")
    return ""
