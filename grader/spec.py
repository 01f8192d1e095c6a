"""A set's grading spec, read from its master notebook: questions, points and hidden tests.

A hidden test cell of a master declares its cases with one call,
``hidden_cases("<case>", <function>, seeds=[...])``; the spec records the case name, the learner's
function, the seeds and the test's points. `make exercises` writes the spec to
``_build/exercises/<set>/spec.json`` (and into the Gradescope zip), and the harness grades from it.
"""
import json
import re

import nbformat
import yaml

CALL = re.compile(r'hidden_cases\(\s*"(\w+)"\s*,\s*(\w+)\s*,\s*seeds=\[([\d,\s]+)\]\s*\)')
CONFIG = re.compile(r'""" # BEGIN TEST CONFIG\n(.*?)""" # END TEST CONFIG', re.S)


def from_master(path):
    """The spec of the master notebook at ``path``: {"set", "questions": [{name, points, tests}]}."""
    nb = nbformat.read(path, as_version=4)
    questions = []
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            meta = yaml.safe_load(cell.source.split("\n", 1)[1])
            questions.append({"name": str(meta["name"]), "points": float(meta["points"]), "tests": []})
        elif cell.cell_type == "code" and questions and CONFIG.search(cell.source):
            config = yaml.safe_load(CONFIG.search(cell.source).group(1))
            if not config.get("hidden"):
                continue
            found = CALL.search(cell.source)
            if not found:
                raise ValueError(f"{path.name}: a hidden test without hidden_cases(...): {cell.source[:200]!r}")
            case, function, seeds = found.group(1), found.group(2), [int(s) for s in found.group(3).split(",")]
            question = questions[-1]
            question["tests"].append({"id": f"{question['name']}.{len(question['tests'])}", "case": case,
                                      "function": function, "seeds": seeds, "points": float(config["points"])})
    for question in questions:
        if sum(t["points"] for t in question["tests"]) != question["points"]:
            raise ValueError(f"{path.name}: {question['name']}'s hidden tests do not add up to its points")
    return {"set": path.stem, "questions": questions}


def write(spec, path):
    path.write_text(json.dumps(spec, indent=1) + "\n")


def read(path):
    """A spec written by ``write``, checked for the fields the harness uses."""
    spec = json.loads(path.read_text())
    for question in spec["questions"]:
        assert re.fullmatch(r"q\d+", question["name"]) and question["tests"], question
    return spec
