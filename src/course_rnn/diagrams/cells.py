"""Cell diagrams drawn from their descriptions: every wire is a term of ``describe.py``, nothing more.

A layout says only where things go: a position per input, node and output, and for some wires the
points they pass through and where their weight's label sits. Which wires exist, what each weight is
called and which gate a box is come from the description, which the tests evaluate against the model.
"""
from dataclasses import dataclass, field

from . import describe, draw

SYMBOLS = {"x_t": "$x_t$", "h_prev": "$h_{t-1}$", "c_prev": "$c_{t-1}$", "y_prev": "$y_{t-1}$",
           "s_prev": "$s_{t-1}$", "h": "$h_t$", "c": "$c_t$", "y": "$y_t$", "s": "$s_t$"}
KEYS = {"x_t": "x", "h_prev": "h", "c_prev": "c", "y_prev": "y", "s_prev": "s"}


def weight_symbol(term):
    """The book's symbol for a term's weight: W_x block z -> $W_{xz}$, W_xh -> $W_{xh}$, w_ci -> $w_{ci}$."""
    stem, _, sub = term.weight.partition("_")
    return f"${stem}_{{{sub}{term.gate or ''}}}$"


@dataclass
class Layout:
    """Positions of the inputs, nodes and outputs (name -> (x, y)) and the wires' routes.

    routes: (node, source) -> dict(via=[points], side="right"|"left"|"above"|"below", at=(x, y)).
    outputs: list of (output name, (x, y), via points) — an output may leave the cell twice.
    highlight: colour keys whose wires are drawn thick (the LSTM's carousel, the GRU's kept state).
    """
    positions: dict
    outputs: list
    routes: dict = field(default_factory=dict)
    frame: tuple = None
    highlight: tuple = ()
    offset: tuple = (0.0, 0.0)


def _shift(xy, offset):
    return (xy[0] + offset[0], xy[1] + offset[1])


def _node_text(node):
    if node.op == "linear":
        biases = [t for t in node.terms if t.source is None]
        return "+" + (weight_symbol(biases[0]) if biases else "0")
    return {"σ": r"$\sigma$"}.get(node.label, node.label)


def _draw_node(ax, cell, node, xy):
    if node.op in ("sigmoid", "tanh", "linear"):
        small = node.name not in cell.gates and node.key not in ("h", "y") or node.op == "linear"
        shape = draw.box(ax, xy, _node_text(node), node.key, size=(0.62, 0.36) if small else draw.BOX,
                         fontsize=9 if small else 11)
        if node.name in cell.gates:
            draw.note(ax, (xy[0] + 0.36, xy[1] + 0.3), f"${node.name}_t$", fontsize=10, ha="left", va="bottom")
        return shape
    return draw.op(ax, xy, _node_text(node), node.key)


def draw_cell(ax, cell, layout):
    """Draw ``cell`` on ``ax`` as ``layout`` places it. Returns the shapes by name."""
    at = lambda name: _shift(layout.positions[name], layout.offset)  # noqa: E731
    if layout.frame:
        draw.frame(ax, _shift(layout.frame[0], layout.offset), _shift(layout.frame[1], layout.offset),
                   label=f"{cell.name} cell")
    shapes = {name: draw.state(ax, at(name), SYMBOLS[name], KEYS[name]) for name in cell.inputs}
    keys = dict(KEYS)
    for node in cell.nodes:
        shapes[node.name] = _draw_node(ax, cell, node, at(node.name))
        keys[node.name] = node.key
    for node in cell.nodes:
        for term in node.terms:
            if term.source is None:
                continue  # biases are inside the boxes
            route = layout.routes.get((node.name, term.source), {})
            thick = keys[term.source] in layout.highlight and node.key in layout.highlight
            draw.wire(ax, shapes[term.source], shapes[node.name],
                      [_shift(p, layout.offset) for p in route.get("via", ())], key=keys[term.source],
                      width=3.2 if thick else 1.4, dashed=term.diag,
                      label=weight_symbol(term) if term.weight else None,
                      label_at=_shift(route["at"], layout.offset) if "at" in route else None,
                      label_side=route.get("side", "right"))
    for name, xy, via in layout.outputs:
        end = draw.state(ax, _shift(xy, layout.offset), SYMBOLS[name], keys[name])
        thick = keys[name] in layout.highlight
        draw.wire(ax, shapes[name], end, [_shift(p, layout.offset) for p in via], key=keys[name],
                  width=3.2 if thick else 1.4)
    return shapes


def _stubs(gates, x_bus=1.2, h_bus=0.6, source_x="x_t", source_h="h_prev", h_via=()):
    """Routes from the input bus (x_t) and the state bus (h_{t-1}) up into each gate's box."""
    routes = {}
    for gate, (gx, gy) in gates.items():
        routes[(gate, source_x)] = dict(via=[(1.4, x_bus), (gx - 0.15, x_bus), (gx - 0.15, gy)], side="left",
                                        at=(gx - 0.15, (x_bus + gy - 0.23) / 2 + 0.1))
        routes[(gate, source_h)] = dict(via=list(h_via) + [(h_via[-1][0] if h_via else 0.35, h_bus),
                                                          (gx + 0.15, h_bus), (gx + 0.15, gy)],
                                        at=(gx + 0.15, (h_bus + gy - 0.23) / 2 - 0.05))
    return routes


FRAME = ((0.75, 0.25), (9.85, 5.6))


def lstm_layout(peepholes=True):
    gates = {"i": (2.4, 2.4), "f": (3.9, 2.4), "g": (5.4, 2.4), "o": (6.9, 2.4)}
    positions = dict(gates, x_t=(1.4, -0.45), h_prev=(0.3, 0.6), c_prev=(0.3, 5.0),
                     forget=(3.9, 5.0), c=(5.4, 5.0), write=(5.4, 3.7), tanh_c=(8.1, 4.1), h=(8.1, 2.4))
    routes = _stubs(gates)
    routes.update({
        ("write", "i"): dict(via=[(2.4, 3.7)]),
        ("tanh_c", "c"): dict(via=[(8.1, 5.0)]),
        ("i", "c_prev"): dict(via=[(1.85, 5.0), (1.85, 2.4)], at=(1.85, 3.25), side="left"),
        ("f", "c_prev"): dict(via=[(3.35, 5.0), (3.35, 2.4)], at=(3.35, 3.15), side="left"),
        ("o", "c"): dict(via=[(6.35, 5.0), (6.35, 2.4)], at=(6.35, 3.25), side="left"),
    })
    outputs = [("c", (10.3, 5.0), ()), ("h", (9.1, 6.15), [(9.1, 2.4)]), ("h", (10.3, 0.6), [(8.1, 0.6)])]
    return Layout(positions, outputs, routes, FRAME, highlight=("c",))


def gru_layout(reset_after=True):
    gates = {"r": (2.4, 2.4), "z": (3.9, 2.4), "n": (6.9, 2.4)}
    positions = dict(gates, x_t=(1.4, -0.45), h_prev=(0.3, 5.0), reset=(5.4, 2.4), keep=(3.9, 5.0),
                     one_minus_z=(5.0, 3.7), take=(6.9, 3.7), h=(6.9, 5.0))
    routes = _stubs({"r": gates["r"], "z": gates["z"]}, h_via=[(0.95, 5.0)])
    routes[("n", "x_t")] = _stubs({"n": gates["n"]})[("n", "x_t")]
    routes.update({
        ("reset", "r"): dict(via=[(2.4, 3.15), (5.4, 3.15)]),
        ("one_minus_z", "z"): dict(via=[(3.9, 3.7)]),
    })
    if reset_after:
        positions["gh_n"] = (5.4, 1.65)
        routes[("gh_n", "h_prev")] = dict(via=[(0.95, 5.0), (0.95, 0.6), (5.4, 0.6)], at=(5.4, 0.9), side="left")
    else:
        routes[("reset", "h_prev")] = dict(via=[(0.95, 5.0), (0.95, 0.6), (5.55, 0.6), (5.55, 2.4)],
                                           at=(5.55, 0.9), side="right")
        routes[("n", "reset")] = dict(at=(6.15, 2.4), side="above")
    outputs = [("h", (10.3, 5.0), ()), ("h", (8.4, 6.15), [(8.4, 5.0)])]
    return Layout(positions, outputs, routes, FRAME, highlight=("h",))


def scrn_layout():
    positions = dict(x_t=(1.4, -0.45), h_prev=(0.3, 0.6), s_prev=(0.3, 5.0), s_keep=(2.6, 5.0),
                     s_in=(3.9, 3.7), s=(5.4, 5.0), h=(6.9, 2.4))
    routes = _stubs({"h": positions["h"]})
    routes.update({
        ("s_in", "x_t"): dict(via=[(1.4, 1.2), (3.9, 1.2)], at=(3.9, 2.4)),
        ("s", "s_in"): dict(via=[(5.4, 3.7)]),
        ("h", "s"): dict(via=[(6.25, 5.0), (6.25, 2.4)], at=(6.25, 3.6), side="left"),
    })
    outputs = [("s", (10.3, 5.0), ()), ("h", (8.6, 6.15), [(8.6, 2.4)]), ("h", (10.3, 0.6), [(7.9, 2.4), (7.9, 0.6)])]
    return Layout(positions, outputs, routes, FRAME, highlight=("s",))


def elman_layout(offset=(0.0, 0.0)):
    positions = dict(x_t=(2.4, -0.2), h_prev=(0.3, 2.2), h=(2.4, 2.2))
    routes = {("h", "x_t"): dict(at=(2.4, 0.75)), ("h", "h_prev"): dict(side="above", at=(1.35, 2.2))}
    outputs = [("h", (2.4, 4.6), ()), ("h", (4.5, 2.2), ())]
    return Layout(positions, outputs, routes, ((0.8, 0.4), (4.0, 4.0)), offset=offset)


def jordan_layout(offset=(0.0, 0.0)):
    positions = dict(x_t=(2.4, -0.2), y_prev=(0.3, 3.3), h=(2.4, 1.6), y=(2.4, 3.0))
    routes = {("h", "x_t"): dict(at=(2.4, 0.5)), ("h", "y_prev"): dict(via=[(1.3, 3.3), (1.3, 1.6)], side="left",
                                                                           at=(1.3, 2.4)),
              ("y", "h"): dict(at=(2.4, 2.3))}
    outputs = [("y", (2.4, 4.6), ()), ("y", (4.5, 3.0), [(3.5, 3.0)])]
    return Layout(positions, outputs, routes, ((0.8, 0.4), (4.0, 4.0)), offset=offset)


def cell_figure(cell, layout, width=6.4, limits=((-0.1, 10.75), (-0.8, 6.45))):
    """A figure with one cell drawn, axes limits ``limits`` in layout units, ``width`` inches wide."""
    from .style import figure

    (x0, x1), (y0, y1) = limits
    fig, ax = figure(width, width * (y1 - y0) / (x1 - x0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    draw_cell(ax, cell, layout)
    return fig, ax


def lstm_figure(peepholes=True):
    fig, ax = cell_figure(describe.lstm(peepholes), lstm_layout(peepholes))
    if peepholes:
        draw.note(ax, (9.8, 0.0), "dashed: peepholes (optional)", fontsize=8, ha="right", key="c")
    return fig
