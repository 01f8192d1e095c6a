"""Diagrams of the course's models, drawn from executable descriptions and checked against the package.

A cell is described as a list of nodes (``describe.py``): each node names its operation (σ, tanh, ⊙, +,
1−), the values it reads and the weights it multiplies them by. ``evaluate.py`` runs a description with
NumPy on the same parameter dict as the model's ``step_forward``; the tests compare the two, so a diagram
that swaps two gates, drops an edge or mislabels a weight fails CI. ``cells.py`` draws a description,
``structures.py`` draws the networks around it (unrolled, stacked, BPTT, ...) from package facts, and
``gallery.py`` lists every diagram with its alt text and caption and writes it as SVG.
"""
from .describe import Cell, Node, Term, elman, gru, jordan, lstm, scrn
from .evaluate import evaluate

__all__ = ["Cell", "Node", "Term", "elman", "gru", "jordan", "lstm", "scrn", "evaluate"]
