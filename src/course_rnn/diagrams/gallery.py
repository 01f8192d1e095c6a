"""Every diagram of the course: its name, where it is used, its alt text and caption; written as SVG.

``DIAGRAMS`` is the single list that ``tools/build_diagrams.py`` writes to ``book/_static/diagrams/``, the
gallery page (book/diagrams.md) shows and the tests check for staleness.
"""
from dataclasses import dataclass
from pathlib import Path

from . import cells, describe, structures
from .style import figure, style, to_svg

FOLDER = Path("book/_static/diagrams")
PAGE = Path("book/diagrams.md")
NAMES = {"#555555": "grey", "#0072B2": "blue", "#009E73": "bluish green", "#E69F00": "orange",
         "#D55E00": "vermillion", "#56B4E9": "sky blue", "#CC79A7": "reddish purple",
         "#B8A800": "yellow (Okabe–Ito's, darkened to show as a line on white)"}
CHAPTERS = {"01_rnn": "1", "02_bptt": "2", "04_gru": "4", "05_lstm": "5", "07_remedies": "7", "08_language_models": "8"}
LEGEND = (("x", "inputs $x_t$"), ("h", "hidden state $h_t$"), ("c", "LSTM cell state $c_t$, SCRN context $s_t$"),
          ("i", "input gate $i_t$"), ("f", "forget gate $f_t$, GRU update gate $z_t$ (both keep the old state)"),
          ("g", "candidates $g_t$ (LSTM), $n_t$ (GRU)"), ("o", "output gate $o_t$; attention"),
          ("r", "GRU reset gate $r_t$"), ("direct", "BPTT: the direct term $\\partial^+$"),
          ("recurrent", "BPTT: the path through $h_{k-1}$; TBPTT's reach"))


@dataclass(frozen=True)
class Diagram:
    name: str
    chapter: str
    draw: object
    alt: str
    caption: str


def _elman_jordan():
    fig, ax = figure(6.4, 6.4 * 5.75 / 10.2)
    ax.set_xlim(-0.1, 10.1)
    ax.set_ylim(-0.7, 5.05)
    cells.draw_cell(ax, describe.elman(), cells.elman_layout())
    cells.draw_cell(ax, describe.jordan(), cells.jordan_layout((5.2, 0.0)))
    return fig


def _cell(cell, layout):
    return lambda: cells.cell_figure(cell(), layout())[0]


DIAGRAMS = (
    Diagram("rnn_unrolled", "01_rnn", structures.unrolled,
            "The Elman cell folded and unrolled. Left: x_t enters a tanh box through W_xh; the box's output h_t "
            "leaves at the top and loops back into the box through W_hh. Right, after an equals sign: the same "
            "box repeated for steps 1 to 4, each reading x_t from below through W_xh and h_(t-1) from the left "
            "through W_hh, starting from h_0; every column carries the same W_xh, W_hh and b_h.",
            "The Elman RNN, folded (left) and unrolled over four steps (right). Every column uses the same "
            "$W_{xh}$, $W_{hh}$ and $b_h$; time runs left to right."),
    Diagram("elman_jordan", "01_rnn", _elman_jordan,
            "Two cells side by side. Elman: x_t through W_xh and h_(t-1) through W_hh enter one tanh box, whose "
            "output h_t leaves upward and to the right, to the next step. Jordan: x_t through W_xh and the "
            "previous output y_(t-1) through W_yh enter a tanh box; its h_t goes through W_hy into a box that adds "
            "b_y and gives y_t, which leaves upward and to the right; only y is carried to the next step.",
            "The Elman cell (left) carries its hidden state $h_t$ to the next step; the Jordan cell (right) "
            "carries its output $y_t$. Drawn from descriptions that the tests evaluate against "
            "`rnn.step_forward` and `jordan.step_forward`."),
    Diagram("stacked_bidirectional", "01_rnn", structures.stacked_and_bidirectional,
            "Left, a stacked RNN: for steps 1 to 3, x_t feeds a layer-1 box h^(1), which feeds a layer-2 box "
            "h^(2) above it; each layer also passes its state to the right, to its own next step. Right, a "
            "bidirectional layer: each x_t feeds a forward box, whose state passes to the right, and a backward "
            "box, whose state passes to the left; at each step the two states join into [forward h_t; backward h_t].",
            "A stacked RNN with $L = 2$ layers (left) and a bidirectional layer (right), whose output at each "
            "step concatenates the left-to-right state and the right-to-left state."),
    Diagram("bptt_graph", "02_bptt", structures.bptt,
            "The unrolled graph for four steps: h_0 to h_1 to h_4 from left to right, each h_t feeding a loss L_t "
            "above it. The gradient of the last loss L_4 is drawn in colour: a dashed vermillion path runs "
            "from L_4 to h_4 and then backwards from h_4 to h_3, h_2 and h_1, labelled with the Jacobians "
            "dh_k/dh_(k-1); from every h_k an orange arrow goes to the one shared W_hh below, the immediate "
            "derivative d+h_k/dW_hh. The shortcut that treats h_(t-1) as a constant keeps only the orange "
            "arrow of the last step.",
            "Backpropagation through time for the last loss $L_T$. Orange: the direct term "
            r"$\partial^+ h_k / \partial W_{hh}$, one per step into the one shared $W_{hh}$. Dashed vermillion: "
            "the path back through $h_{k-1}$, the product of Jacobians that the shortcut of section 2.2 drops."),
    Diagram("tbptt_windows", "02_bptt", structures.tbptt,
            "A time axis of 12 steps and four update rows. In each row an orange bar covers the 3 steps whose "
            "losses that update backpropagates (steps 1-3, 4-6, 7-9, 10-12), and a pale bar with an arrow "
            "pointing left reaches back over the last 5 steps (1-3, 2-6, 5-9, 8-12); the gradient is cut at the "
            "arrow's head.",
            "TBPTT($k_1 = 3$, $k_2 = 5$) on 12 steps: every $k_1$ steps, the losses of those steps (orange) "
            "are backpropagated through the last $k_2$ steps (arrow). The windows are computed by "
            "`course_rnn.numpy.truncated.windows`."),
    Diagram("gru_reset_after", "04_gru", _cell(lambda: describe.gru(True), lambda: cells.gru_layout(True)),
            "The GRU cell, reset after the product (PyTorch's form). h_(t-1) enters at the top left and runs "
            "along the top, thick blue, through a product with z_t and an addition, to h_t on the right. "
            "From below, x_t and h_(t-1) feed two sigmoid boxes, the reset gate r_t (through W_xr, W_hr) "
            "and the update gate z_t (through W_xz, W_hz). h_(t-1) W_hn plus b_hn is multiplied by r_t; that "
            "and x_t W_xn enter the tanh box of the candidate n_t. z_t goes up to multiply h_(t-1) and, "
            "through a 1 minus z circle, multiplies n_t; the two products add to h_t.",
            "The GRU cell in PyTorch's form: the reset gate $r_t$ multiplies "
            "$h_{t-1} W_{hn} + b_{hn}$, after the product. The thick line is the kept state, "
            r"$z_t \odot h_{t-1}$; each gate box also adds its biases."),
    Diagram("gru_reset_before", "04_gru", _cell(lambda: describe.gru(False), lambda: cells.gru_layout(False)),
            "The GRU cell, reset before the product (the Γ form). As in the other GRU figure, except in the "
            "middle: r_t multiplies h_(t-1) itself, and that product goes through W_hn into the tanh box of "
            "the candidate n_t, together with x_t W_xn.",
            r"The GRU cell with the reset applied before the product, $(r_t \odot h_{t-1}) W_{hn}$: "
            "`gru.step_forward(..., reset_after=False)`, the $\\Gamma$ form of chapter 4."),
    Diagram("lstm_cell", "05_lstm", cells.lstm_figure,
            "The LSTM cell. Along the top, thick green, the cell state c_(t-1) runs to c_t through a product "
            "with the forget gate f_t and an addition: the constant error carousel. From below, x_t and "
            "h_(t-1) feed four boxes in the order i, f, g, o: sigmoid i_t (W_xi, W_hi), sigmoid f_t (W_xf, "
            "W_hf), tanh g_t (W_xg, W_hg), sigmoid o_t (W_xo, W_ho). i_t times g_t is added to the carousel; "
            "c_t goes through tanh and is multiplied by o_t to give h_t, which leaves upward and to the right. "
            "Dashed green peephole lines, optional, feed c_(t-1) into i_t and f_t (w_ci, w_cf) and c_t into o_t (w_co).",
            "The LSTM cell, gates in PyTorch's order $i, f, g, o$. The thick green line is the constant error "
            r"carousel, $c_t = f_t \odot c_{t-1} + i_t \odot g_t$; the dashed peepholes "
            "are optional. Drawn from a description that the tests evaluate against `lstm.step_forward`, "
            "with and without peepholes."),
    Diagram("clockwork_periods", "07_remedies", structures.clockwork,
            "A grid of four rows, modules 1 to 4 with periods 1, 2, 4 and 8, and 16 columns, steps 0 to 15. "
            "A cell is filled blue where the module updates: module 1 at every step, module 2 at even steps, "
            "module 3 at 0, 4, 8, 12, module 4 at 0 and 8. Each module reads its own state and those of the "
            "slower modules.",
            "The Clockwork RNN's four modules with periods $T_i = 2^{i-1}$: filled, the steps where module $i$ "
            r"updates ($t \bmod T_i = 0$), taken from `ClockworkRNN.active`; between them it keeps its state."),
    Diagram("scrn_cell", "07_remedies", _cell(describe.scrn, cells.scrn_layout),
            "The SCRN cell. Along the top, thick green, the context s_(t-1) is scaled by alpha and added to "
            "(1 - alpha) times x_t W_xs, giving s_t with no nonlinearity. Below, a sigmoid box computes h_t "
            "from s_t through W_sh, x_t through W_xh and h_(t-1) through W_hh; h_t leaves upward and to the right.",
            r"The SCRN: a slow context $s_t$ (thick) that "
            r"mixes in the input at the fixed rate $1 - \alpha$, beside a sigmoid hidden layer $h_t$."),
    Diagram("attention", "07_remedies", structures.attention,
            "An encoder of six steps: x_1 to x_6 feed states h_1 to h_6 linked left to right. The last state "
            "h_6 gives the query q = h_T W_q. Above each earlier state a bar shows its attention weight alpha_t "
            "(here 0.22, 0.02, 0.66, 0.06, 0.03, from a random example); lines as thick as the weights join the "
            "states to a sum node, whose output is the context c = sum of alpha_t h_t.",
            "Dot-product attention over an encoder's states: the query from the last "
            "state scores every earlier state; the weights $\\alpha_t$ (bars, computed by "
            "`dot_product_attention` on a random example) average the states into the context $c$."),
    Diagram("bahdanau", "08_language_models", structures.bahdanau,
            "An encoder of five steps: x_1 to x_5 feed states h_1 to h_5, linked in both directions. Above each "
            "state a bar shows its attention weight alpha_ij for one decoder step (from a random example); lines "
            "as thick as the weights join the states to a sum node, whose output, the context c_i, enters the "
            "decoder state s_i. The previous decoder state s_(i-1), dashed, is what scores the encoder states, and "
            "the previous output y_(i-1) also enters s_i, which emits y_i.",
            "Bahdanau attention in an encoder-decoder: the previous decoder state $s_{i-1}$ scores every encoder "
            "state $h_j$; the weights $\\alpha_{ij}$ (bars, computed by `AdditiveAttention` on a random example) "
            "average them into the context $c_i$, which the decoder reads with $y_{i-1}$."),
)


def by_name(name):
    for diagram in DIAGRAMS:
        if diagram.name == name:
            return diagram
    raise ValueError(f"no diagram {name!r}; the diagrams are {[d.name for d in DIAGRAMS]}")


def render(diagram):
    """The diagram as SVG bytes (drawn in the diagrams' style; the same bytes on every machine)."""
    with style():
        return to_svg(diagram.draw())


def page():
    """The gallery page (book/diagrams.md): every diagram with its caption and alt text, and the colours."""
    from .style import colour

    lines = ["# Diagrams", "",
             "The course's models, drawn in one visual language: inputs at the bottom, outputs at the top,",
             "time running left to right, and one colour per gate and state. Each cell diagram is drawn from a",
             "description of its computation (`course_rnn.diagrams.describe`) that the tests run on random inputs",
             "and compare with the model's `step_forward`, so a swapped gate, a missing wire or a mislabelled",
             "weight fails CI. The other diagrams take their facts (truncation windows, clock periods, attention",
             "weights) from the package's own functions. `python tools/build_diagrams.py` regenerates this page",
             "and the SVGs; a test checks that the committed files are current.", "",
             "| colour | meaning |", "|---|---|"]
    lines += [f'| <span style="color:{colour(key)}">■■</span> {NAMES.get(colour(key), colour(key))} | {meaning} |'
              for key, meaning in LEGEND]
    for diagram in DIAGRAMS:
        lines += ["", f"```{{figure}} _static/diagrams/{diagram.name}.svg", f":alt: {diagram.alt}",
                  f":name: fig-gallery-{diagram.name.replace('_', '-')}", ":width: 100%", "",
                  f"{diagram.caption} (Chapter {CHAPTERS[diagram.chapter]}.)", "```"]
    return "\n".join(lines) + "\n"


def write_all(root):
    """Write every diagram to ``root / FOLDER / <name>.svg`` and the gallery page; returns the paths."""
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for diagram in DIAGRAMS:
        path = folder / f"{diagram.name}.svg"
        path.write_bytes(render(diagram))
        paths.append(path)
    (Path(root) / PAGE).write_text(page())
    return paths + [Path(root) / PAGE]


def stale(root):
    """Names of the diagrams (and the page) whose committed file is missing or differs from a fresh one."""
    folder, root = Path(root) / FOLDER, Path(root)
    names = [d.name for d in DIAGRAMS
             if not (folder / f"{d.name}.svg").exists() or (folder / f"{d.name}.svg").read_bytes() != render(d)]
    if not (root / PAGE).exists() or (root / PAGE).read_text() != page():
        names.append(PAGE.as_posix())
    return names
