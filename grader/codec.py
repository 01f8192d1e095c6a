"""Inputs as plain data: a JSON tree plus a dict of arrays, written as ``.json`` and ``.npz`` (no pickle).

The sandbox's runner (grader/runner.py, standalone) decodes the same tree. Markers:
``{"__array__": key}``, ``{"__dict__": {...}}``, ``{"__list__": [...]}``, ``{"__tuple__": [...]}``,
``{"__rng__": seed}`` (a ``np.random.Generator``) and ``{"__oracle__": name, "seed": s}``
(a function whose calls the parent answers).
"""
import json
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rng:
    """Stands for ``np.random.default_rng(seed)`` among a case's inputs."""
    seed: int


@dataclass(frozen=True)
class Oracle:
    """Stands for a function the parent computes (e.g. locate_bug's broken ``backward``)."""
    name: str
    seed: int


def encode(value, arrays, path="v"):
    """The JSON tree of ``value``; its arrays are added to ``arrays`` under fresh keys."""
    if isinstance(value, np.ndarray):
        arrays[path] = value
        return {"__array__": path}
    if isinstance(value, dict):
        return {"__dict__": {str(k): encode(v, arrays, f"{path}.{k}") for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        kind = "__tuple__" if isinstance(value, tuple) else "__list__"
        return {kind: [encode(v, arrays, f"{path}.{i}") for i, v in enumerate(value)]}
    if isinstance(value, Rng):
        return {"__rng__": int(value.seed)}
    if isinstance(value, Oracle):
        return {"__oracle__": value.name, "seed": int(value.seed)}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a {type(value).__name__} to the sandbox")


def write_case(inputs, stem):
    """Write ``inputs`` (keyword arguments) as ``stem.json`` and ``stem.npz``."""
    arrays = {}
    tree = encode(inputs, arrays)
    (stem.parent / f"{stem.name}.json").write_text(json.dumps(tree))
    np.savez(stem.parent / f"{stem.name}.npz", **arrays)
