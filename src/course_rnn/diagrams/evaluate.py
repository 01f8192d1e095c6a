"""Run a cell description (``describe.py``) with NumPy: the check that a diagram computes what the model does."""
import numpy as np

from .describe import OPS

ACTIVATIONS = {"sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)), "tanh": np.tanh, "linear": lambda a: a, "add": lambda a: a}


def _param(cell, params, term):
    """The parameter a term names, or its block when the cell stacks gates (W_x (D, 4H) -> (D, H))."""
    if term.weight not in params:
        raise ValueError(f"{cell.name}: a term uses weight {term.weight!r}, which params lacks; "
                         f"params has {sorted(params)}")
    value = params[term.weight]
    if term.gate is None:
        return value
    if term.gate not in cell.gates:
        raise ValueError(f"{cell.name}: gate {term.gate!r} is not one of the stacked blocks {cell.gates}")
    H = value.shape[-1] // len(cell.gates)
    k = cell.gates.index(term.gate)
    return value[..., k * H:(k + 1) * H]  # the gate's block of columns


def _term(cell, values, params, term):
    if term.source is None:  # a bias
        return _param(cell, params, term)
    if term.source not in values:
        raise ValueError(f"{cell.name}: a term reads {term.source!r} before any input or earlier node defines it")
    value = values[term.source]
    if term.weight is None:
        return value
    weight = _param(cell, params, term)
    return value * weight if term.diag else value @ weight  # (N, H)


def _coef(params, coef):
    return 1.0 - params[coef[2:]] if coef.startswith("1-") else params[coef]


def evaluate(cell, inputs, params):
    """Every value of one step of ``cell``.

    Inputs:
    - cell: a ``describe.Cell``.
    - inputs: dict with one (N, D) or (N, H) array per name in ``cell.inputs`` (x_t, h_prev, ...).
    - params: the model's parameter dict, as its ``step_forward`` takes it (plus ``alpha`` for the SCRN).

    Returns a dict: the inputs and every node's value, keyed by name; ``cell.outputs`` name the new states.
    """
    missing = [name for name in cell.inputs if name not in inputs]
    if missing:
        raise ValueError(f"{cell.name} needs the inputs {list(cell.inputs)}; missing {missing}")
    values = dict(inputs)
    for node in cell.nodes:
        if node.op not in OPS:
            raise ValueError(f"{cell.name}: node {node.name!r} has op {node.op!r}; ops are {OPS}")
        terms = [_term(cell, values, params, t) for t in node.terms]
        if node.op in ACTIVATIONS:
            values[node.name] = ACTIVATIONS[node.op](sum(terms))
        elif node.op == "mul":
            values[node.name] = np.prod(np.broadcast_arrays(*terms), axis=0)
        elif node.op == "one_minus":
            values[node.name] = 1.0 - terms[0]
        else:  # scale
            values[node.name] = _coef(params, node.coef) * terms[0]
    return values
