r"""Executable descriptions of the recurrent cells: what the diagrams draw and the tests evaluate.

A ``Cell`` is a list of ``Node``s in the order they are computed. A node's value is its operation applied
to its ``Term``s. A term reads a value (an input such as ``h_prev`` or an earlier node), optionally
multiplied by a weight: a matrix product $v W$, or an element-wise product $v \odot w$ for a peephole
(``diag=True``). A term with no source is a bias. Stacked parameters (the GRU's ``W_x`` (D, 3H), the LSTM's
``W_x`` (D, 4H)) are read block by block: ``Term("x_t", "W_x", "z")`` is $x_t W_{xz}$, the block of
``W_x`` at the position of ``z`` in the cell's ``gates`` (r, z, n for the GRU; i, f, g, o for the LSTM).

Operations: ``sigmoid``, ``tanh`` and ``linear`` (the sum of the terms, then the function), ``add`` (+),
``mul`` (⊙, the product of the terms), ``one_minus`` (1 − v) and ``scale`` (a constant times v; the
constant ``coef`` is a parameter name such as ``"alpha"``, or ``"1-alpha"``).
"""
from dataclasses import dataclass, field, replace

OPS = ("sigmoid", "tanh", "linear", "add", "mul", "one_minus", "scale")


@dataclass(frozen=True)
class Term:
    """One input of a node: ``source`` (None for a bias) times ``weight`` (block ``gate``), or as it is."""
    source: str | None
    weight: str | None = None
    gate: str | None = None
    diag: bool = False


@dataclass(frozen=True)
class Node:
    """One computation: ``name = op(terms)``; ``key`` is the colour key, ``label`` the symbol drawn."""
    name: str
    op: str
    terms: tuple
    key: str | None = None
    label: str | None = None
    coef: str | None = None


@dataclass(frozen=True)
class Cell:
    """A cell: its inputs, its nodes in computation order, its outputs; ``gates`` orders stacked blocks."""
    name: str
    inputs: tuple
    nodes: tuple
    outputs: tuple
    gates: tuple = ()
    options: dict = field(default_factory=dict)

    def node(self, name):
        """The node called ``name``."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise ValueError(f"{self.name} has no node {name!r}; its nodes are {[n.name for n in self.nodes]}")

    def replace_node(self, name, **changes):
        """A copy of the cell with node ``name`` changed (the tests plant mistakes with it)."""
        return replace(self, nodes=tuple(replace(n, **changes) if n.name == name else n for n in self.nodes))


def elman():
    r"""The Elman step: $h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b_h)$."""
    h = Node("h", "tanh", (Term("x_t", "W_xh"), Term("h_prev", "W_hh"), Term(None, "b_h")), "h", "tanh")
    return Cell("Elman", ("x_t", "h_prev"), (h,), ("h",))


def jordan():
    r"""The Jordan step: $h_t = \tanh(x_t W_{xh} + y_{t-1} W_{yh} + b_h)$, $y_t = h_t W_{hy} + b_y$."""
    h = Node("h", "tanh", (Term("x_t", "W_xh"), Term("y_prev", "W_yh"), Term(None, "b_h")), "h", "tanh")
    y = Node("y", "linear", (Term("h", "W_hy"), Term(None, "b_y")), "y", "linear")
    return Cell("Jordan", ("x_t", "y_prev"), (h, y), ("h", "y"))


def _block(name, op, gate, extra=()):
    """A gate or candidate of a stacked layout: op(x_t W_x[gate] + b_x[gate] + h_{t-1} W_h[gate] + b_h[gate])."""
    terms = (Term("x_t", "W_x", gate), Term(None, "b_x", gate), Term("h_prev", "W_h", gate), Term(None, "b_h", gate))
    return Node(name, op, terms + tuple(extra), gate, "σ" if op == "sigmoid" else op)


def gru(reset_after=True):
    r"""The GRU step in PyTorch's layout (blocks r, z, n), in either reset form.

    $r_t = \sigma(\cdot)$, $z_t = \sigma(\cdot)$, $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$, and
    ``reset_after=True``: $n_t = \tanh(x_t W_{xn} + b_{xn} + r_t \odot (h_{t-1} W_{hn} + b_{hn}))$;
    ``reset_after=False``: $n_t = \tanh(x_t W_{xn} + b_{xn} + (r_t \odot h_{t-1}) W_{hn} + b_{hn})$.
    """
    r, z = _block("r", "sigmoid", "r"), _block("z", "sigmoid", "z")
    x_n = (Term("x_t", "W_x", "n"), Term(None, "b_x", "n"))
    if reset_after:
        gh_n = Node("gh_n", "linear", (Term("h_prev", "W_h", "n"), Term(None, "b_h", "n")), None, "linear")
        reset = Node("reset", "mul", (Term("r"), Term("gh_n")), "r", "⊙")
        n = Node("n", "tanh", x_n + (Term("reset"),), "n", "tanh")
        middle = (gh_n, reset, n)
    else:
        reset = Node("reset", "mul", (Term("r"), Term("h_prev")), "r", "⊙")
        n = Node("n", "tanh", x_n + (Term("reset", "W_h", "n"), Term(None, "b_h", "n")), "n", "tanh")
        middle = (reset, n)
    nodes = (r, z) + middle + (
        Node("one_minus_z", "one_minus", (Term("z"),), "z", "1−"),
        Node("take", "mul", (Term("one_minus_z"), Term("n")), "n", "⊙"),
        Node("keep", "mul", (Term("z"), Term("h_prev")), "h", "⊙"),
        Node("h", "add", (Term("take"), Term("keep")), "h", "+"),
    )
    return Cell("GRU", ("x_t", "h_prev"), nodes, ("h",), ("r", "z", "n"), {"reset_after": reset_after})


def lstm(peepholes=False):
    r"""The LSTM step in PyTorch's layout (blocks i, f, g, o), with optional peepholes w_ci, w_cf, w_co.

    $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, $h_t = o_t \odot \tanh(c_t)$; with peepholes
    $i_t$ and $f_t$ also read $w_{ci} \odot c_{t-1}$, $w_{cf} \odot c_{t-1}$ and $o_t$ reads $w_{co} \odot c_t$.
    """
    peep = (lambda name, source: (Term(source, name, diag=True),)) if peepholes else (lambda name, source: ())
    nodes = (
        _block("i", "sigmoid", "i", peep("w_ci", "c_prev")),
        _block("f", "sigmoid", "f", peep("w_cf", "c_prev")),
        _block("g", "tanh", "g"),
        Node("forget", "mul", (Term("f"), Term("c_prev")), "c", "⊙"),
        Node("write", "mul", (Term("i"), Term("g")), "g", "⊙"),
        Node("c", "add", (Term("forget"), Term("write")), "c", "+"),
        _block("o", "sigmoid", "o", peep("w_co", "c")),
        Node("tanh_c", "tanh", (Term("c"),), "c", "tanh"),
        Node("h", "mul", (Term("o"), Term("tanh_c")), "h", "⊙"),
    )
    return Cell("LSTM", ("x_t", "h_prev", "c_prev"), nodes, ("h", "c"), ("i", "f", "g", "o"),
                {"peepholes": peepholes})


def scrn():
    r"""The SCRN step: $s_t = (1-\alpha) x_t W_{xs} + \alpha s_{t-1}$,
    $h_t = \sigma(s_t W_{sh} + x_t W_{xh} + h_{t-1} W_{hh} + b_h)$."""
    nodes = (
        Node("s_in", "scale", (Term("x_t", "W_xs"),), "s", "1−α", coef="1-alpha"),
        Node("s_keep", "scale", (Term("s_prev"),), "s", "α", coef="alpha"),
        Node("s", "add", (Term("s_in"), Term("s_keep")), "s", "+"),
        Node("h", "sigmoid", (Term("s", "W_sh"), Term("x_t", "W_xh"), Term("h_prev", "W_hh"), Term(None, "b_h")),
             "h", "σ"),
    )
    return Cell("SCRN", ("x_t", "h_prev", "s_prev"), nodes, ("h", "s"))
