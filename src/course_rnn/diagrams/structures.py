"""Networks around the cells: unrolled, stacked, bidirectional, the BPTT graph, TBPTT's windows, the
Clockwork RNN's clocks, attention. Each takes its facts from the package: the Elman cell's weight names
from ``describe.elman``, the windows from ``numpy.truncated.windows``, the clocks and the mask from a
``torch.clockwork.ClockworkRNN``, the attention weights from ``torch.attention.dot_product_attention``.
"""
import numpy as np

from . import describe, draw
from .cells import weight_symbol
from .style import INK, colour, figure


def elman_weights():
    """The Elman cell's input and recurrent weight symbols, read from its description."""
    node = describe.elman().node("h")
    by_source = {t.source: weight_symbol(t) for t in node.terms if t.source}
    return by_source["x_t"], by_source["h_prev"]


def _canvas(x0, x1, y0, y1, width=6.4):
    fig, ax = figure(width, width * (y1 - y0) / (x1 - x0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return fig, ax


def unrolled(T=4):
    """The folded Elman cell = the same cell unrolled over T steps, the shared weights in every column."""
    W_xh, W_hh = elman_weights()
    fig, ax = _canvas(-0.2, 11.0, -0.9, 4.3)
    x, h, top = draw.state(ax, (0.9, -0.3), "$x_t$", "x"), draw.box(ax, (0.9, 1.5), "tanh", "h"), draw.state(ax, (0.9, 3.3), "$h_t$", "h")
    draw.wire(ax, x, h, key="x", label=W_xh)
    draw.wire(ax, h, top, key="h")
    draw.wire(ax, h, h, [(1.55, 1.5), (1.55, 2.3), (0.25, 2.3), (0.25, 1.5)], key="h", label=W_hh,
              label_at=(1.55, 1.9), label_side="right")
    draw.note(ax, (2.2, 1.5), "=", fontsize=20)
    previous = draw.state(ax, (3.1, 1.5), "$h_0$", "h")
    for t in range(1, T + 1):
        cx = 3.1 + 1.85 * t
        cell = draw.box(ax, (cx, 1.5), "tanh", "h")
        draw.wire(ax, draw.state(ax, (cx, -0.3), f"$x_{t}$", "x"), cell, key="x", label=W_xh)
        draw.wire(ax, previous, cell, key="h", label=W_hh, label_side="above")
        draw.wire(ax, cell, draw.state(ax, (cx, 3.3), f"$h_{t}$", "h"), key="h")
        previous = cell
    draw.note(ax, (6.8, 4.0), f"the same {W_xh}, {W_hh}, $b_h$ at every step", fontsize=9.5)
    draw.note(ax, (10.9, -0.75), "time →", fontsize=9, ha="right")
    return fig


def stacked_and_bidirectional(T=3):
    """Left: two stacked layers, h^(1) feeding layer 2. Right: a bidirectional layer, states concatenated."""
    fig, ax = _canvas(-0.3, 11.3, -0.9, 5.3)
    draw.note(ax, (2.6, 5.0), "stacked, L = 2", fontsize=10)
    draw.note(ax, (8.3, 5.0), "bidirectional", fontsize=10)
    for t in range(T):
        cx = 0.9 + 1.75 * t
        below = draw.state(ax, (cx, -0.3), f"$x_{t + 1}$", "x")
        for layer, y in ((1, 1.3), (2, 2.9)):
            cell = draw.box(ax, (cx, y), f"$h^{{({layer})}}$", "h", fontsize=9)
            draw.wire(ax, below, cell, key="x" if layer == 1 else "h")
            if t:
                draw.wire(ax, draw.point((cx - 1.75 + 0.37, y)), cell, key="h")
            below = cell
        draw.wire(ax, below, draw.state(ax, (cx, 4.3), f"$h^{{(2)}}_{t + 1}$", "h", size=(0.8, 0.42)), key="h")
    for t in range(T):
        cx = 6.6 + 1.75 * t
        x = draw.state(ax, (cx, -0.3), f"$x_{t + 1}$", "x")
        fwd = draw.box(ax, (cx + 0.3, 1.3), r"$\overrightarrow{h}$", "h", fontsize=10)
        bwd = draw.box(ax, (cx - 0.3, 2.6), r"$\overleftarrow{h}$", "o", fontsize=10)
        draw.wire(ax, x, fwd, [(cx, 0.55), (cx + 0.3, 0.55)], key="x")
        draw.wire(ax, x, bwd, [(cx, 0.55), (cx - 0.3, 0.55)], key="x")
        if t:
            draw.wire(ax, draw.point((cx - 1.75 + 0.67, 1.3)), fwd, key="h")
        if t < T - 1:
            draw.wire(ax, draw.point((cx + 1.75 - 0.67, 2.6)), bwd, key="o")
        top = draw.state(ax, (cx, 4.3), f"$[\\overrightarrow{{h}}_{t + 1}; \\overleftarrow{{h}}_{t + 1}]$", "h",
                         size=(1.4, 0.5))
        draw.wire(ax, fwd, top, [(cx + 0.3, 4.0)], key="h", width=1.2)
        draw.wire(ax, bwd, top, [(cx - 0.3, 4.0)], key="o", width=1.2)
    draw.note(ax, (11.1, -0.75), "time →", fontsize=9, ha="right")
    return fig


def bptt(T=4):
    """The unrolled graph with the gradient of L_T coloured: through h_{k-1} (vermillion) and direct (orange)."""
    fig, ax = _canvas(-0.4, 10.8, -0.9, 4.4)
    states = [draw.state(ax, (0.3, 1.6), "$h_0$", "h")]
    for t in range(1, T + 1):
        cx = 0.3 + 2.2 * t
        h = draw.box(ax, (cx, 1.6), f"$h_{t}$", "h")
        loss = draw.state(ax, (cx, 3.4), f"$L_{t}$", None)
        draw.wire(ax, states[-1], h, key="h", width=1.0)
        draw.wire(ax, h, loss, key="h", width=1.0)
        states.append(h)
    W = draw.box(ax, (5.8, -0.2), "$W_{hh}$", None, size=(0.9, 0.42))
    last = states[-1]
    draw.wire(ax, draw.point((last.xy[0] + 0.22, 3.17)), draw.point((last.xy[0] + 0.22, 1.85)), key="recurrent",
              width=2.2, dashed=True, label=r"$\partial L_T/\partial h_T$", label_side="right")
    for k in range(T, 0, -1):
        h = states[k]
        draw.wire(ax, h, W, key="direct", width=2.0)
        if k in (1, T):  # the outermost two; the legend names the rest
            draw.note(ax, (h.xy[0] + (0.1 if k == T else -0.1), 1.0), rf"$\partial^+ h_{k}/\partial W_{{hh}}$",
                      fontsize=9, ha="left" if k == T else "right")
        if k > 1:
            draw.wire(ax, draw.point((h.xy[0] - 0.36, 1.82)), draw.point((states[k - 1].xy[0] + 0.36, 1.82)),
                      [(h.xy[0] - 1.1, 2.35)], key="recurrent", width=2.2, dashed=True,
                      label=rf"$\partial h_{k}/\partial h_{k - 1}$", label_at=(h.xy[0] - 1.1, 2.38),
                      label_side="above")
    draw.note(ax, (0.0, -0.75), "thin, blue: the forward pass", fontsize=8.5, ha="left", key="h")
    draw.note(ax, (10.6, 4.2), "dashed, vermillion: through $h_{k-1}$ (the shortcut drops it)", fontsize=8.5,
              ha="right", key="recurrent")
    draw.note(ax, (10.6, -0.75), "orange: the direct term $\\partial^+$, one per step", fontsize=8.5, ha="right",
              key="direct")
    return fig


def tbptt(T=12, k1=3, k2=5):
    """TBPTT(k1, k2)'s update windows, from ``course_rnn.numpy.truncated.windows``."""
    from ..numpy.truncated import windows

    spans = windows(T, k1, k2)
    rows = len(spans)
    fig, ax = _canvas(-1.9, T + 0.4, -1.1, rows * 0.8 + 1.25)
    for t in range(T):
        draw.note(ax, (t + 0.5, -0.45), f"{t + 1}", fontsize=8.5)
    draw.note(ax, (-0.15, -0.45), "step t", fontsize=8.5, ha="right")
    draw.note(ax, (T, -0.95), "time →", fontsize=8.5, ha="right")
    for row, (end, first_loss, first_step) in enumerate(spans):
        y = (rows - 1 - row) * 0.8 + 0.3
        draw.note(ax, (-0.15, y + 0.2), f"update {row + 1}", fontsize=8.5, ha="right")
        ax.add_patch(_rect(first_step, y + 0.02, end + 1 - first_step, 0.36, colour("recurrent"), 0.25))
        ax.add_patch(_rect(first_loss, y + 0.02, end + 1 - first_loss, 0.36, colour("direct"), 0.85))
        ax.annotate("", (first_step + 0.05, y + 0.2), (end + 0.95, y + 0.2),
                    arrowprops=dict(arrowstyle="-|>", color=colour("recurrent"), linewidth=1.6, shrinkA=0, shrinkB=0))
    top = rows * 0.8 + 0.5
    draw.note(ax, (0, top + 0.35), f"orange: the k₁ = {k1} steps whose losses this update backpropagates",
              fontsize=8.5, ha="left", key="direct")
    draw.note(ax, (0, top), f"arrow, pale: back through the last k₂ = {k2} steps only, then cut",
              fontsize=8.5, ha="left", key="recurrent")
    return fig


def _rect(x, y, w, h, facecolor, alpha):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=facecolor, alpha=alpha, edgecolor="none", zorder=1)


def clockwork_schedule(periods, T):
    """(g, T) bool array: module i is active at step t (from 0), as ``ClockworkRNN.active`` says."""
    from ..torch.clockwork import ClockworkRNN

    model = ClockworkRNN(1, 1, len(periods), periods)
    return np.stack([model.active(t).numpy() for t in range(T)], axis=1), model.mask.numpy()


def clockwork(periods=(1, 2, 4, 8), T=16):
    """The modules' clocks (filled: the module updates at step t) and which module hears which."""
    active, mask = clockwork_schedule(periods, T)
    g = len(periods)
    fig, ax = _canvas(-3.4, T + 0.3, -0.7, g + 1.1)
    for i, period in enumerate(periods):
        y = i  # fastest module at the bottom
        draw.note(ax, (-0.2, y + 0.4), f"module {i + 1}, $T_{i + 1}$ = {period}", fontsize=8.5, ha="right")
        for t in range(T):
            on = active[i, t]
            ax.add_patch(_rect(t + 0.06, y + 0.1, 0.88, 0.6, colour("h") if on else "#E4E4E4", 1.0))
    for t in range(T):
        draw.note(ax, (t + 0.5, -0.3), f"{t}", fontsize=8)
    draw.note(ax, (-0.2, -0.3), "step t", fontsize=8.5, ha="right")
    blocks = mask[::1, ::1].reshape(g, -1, g, mask.shape[0] // g).any(axis=(1, 3))  # (g, g): module j -> l
    if not np.array_equal(blocks, np.tril(np.ones((g, g), bool))):
        raise ValueError("the Clockwork mask should let each module hear itself and the slower modules only")
    draw.note(ax, (0, g + 0.75), "filled: the module updates at step t (t mod $T_i$ = 0); otherwise it keeps its state",
              fontsize=8.5, ha="left")
    draw.note(ax, (0, g + 0.3), "each module reads its own state and the slower modules' (the mask M)", fontsize=8.5,
              ha="left")
    return fig


def attention_example(T=6, seed=0):
    """Weights alpha_t of a query over T - 1 states, computed by ``dot_product_attention`` on random data."""
    import torch

    from ..torch.attention import dot_product_attention

    generator = torch.Generator().manual_seed(seed)
    states = torch.randn(1, T - 1, 4, generator=generator, dtype=torch.float64)
    query = 1.5 * states[:, 2] + 0.3 * torch.randn(1, 4, generator=generator, dtype=torch.float64)
    _, weights = dot_product_attention(query, states, states)
    return weights[0].numpy().round(6)  # drawn from 6 decimals: the same SVG bytes on any CPU


def attention(T=6):
    """Encoder states h_1..h_{T-1}, the query from h_T, the weights alpha_t and the context c = sum alpha_t h_t."""
    alpha = attention_example(T)
    fig, ax = _canvas(-0.3, 11.0, -0.9, 5.0)
    previous, states = None, []
    for t in range(1, T + 1):
        cx = 0.9 + 1.55 * (t - 1)
        h = draw.box(ax, (cx, 1.0), f"$h_{t}$", "h" if t < T else "o")
        draw.wire(ax, draw.state(ax, (cx, -0.45), f"$x_{t}$", "x"), h, key="x", width=1.0)
        if previous:
            draw.wire(ax, previous, h, key="h", width=1.0)
        previous = h
        states.append(h)
    context = draw.op(ax, (3.2, 4.3), "Σ", "o", radius=0.26)
    for t, (h, a) in enumerate(zip(states[:-1], alpha), start=1):
        top = 1.45 + 1.6 * a
        ax.add_patch(_rect(h.xy[0] - 0.25, 1.45, 0.5, 1.6 * a, colour("o"), 0.8))
        draw.note(ax, (h.xy[0] + 0.3, top - 0.05), f"α{chr(0x2080 + t)} = {a:.2f}", fontsize=8, ha="left", va="bottom")
        ax.plot([h.xy[0], context.xy[0]], [top, context.xy[1] - 0.26], color=colour("o"),
                linewidth=0.6 + 4 * a, zorder=1, solid_capstyle="round")
    draw.wire(ax, context, draw.state(ax, (5.6, 4.3), "$c$", "o"), key="o")
    draw.note(ax, (6.2, 4.3), r"$c = \sum_t \alpha_t h_t$", fontsize=10, ha="left")
    query = states[-1]
    q = draw.state(ax, (query.xy[0], 3.1), "$q = h_T W_q$", "o", size=(1.45, 0.46))
    draw.wire(ax, query, q, key="o")
    draw.note(ax, (10.8, 3.75), "scores each $h_t$: $e_t = q \\cdot k_t / \\sqrt{d}$, softmax → α",
              fontsize=8.5, ha="right")
    draw.note(ax, (10.8, -0.85), "time →", fontsize=8.5, ha="right")
    return fig


def bahdanau_example(S=5, seed=0):
    """Weights alpha_ij of one decoder state over S encoder states, computed by ``AdditiveAttention``."""
    import torch

    from ..torch.seq2seq import AdditiveAttention

    torch.manual_seed(seed)
    attention = AdditiveAttention(4, 6, 5).double()
    generator = torch.Generator().manual_seed(seed)
    hs = torch.randn(1, S, 6, generator=generator, dtype=torch.float64)
    s_prev = 2.0 * torch.randn(1, 4, generator=generator, dtype=torch.float64)
    _, weights = attention(s_prev, hs, torch.ones(1, S, dtype=torch.bool))
    return weights[0].detach().numpy().round(6)  # drawn from 6 decimals: the same SVG bytes on any CPU


def bahdanau(S=5):
    """A bidirectional encoder's states h_1..h_S, the decoder's s_(i-1) -> s_i, and the context c_i they feed."""
    alpha = bahdanau_example(S)
    fig, ax = _canvas(-0.3, 11.0, -1.1, 5.7)
    states = []
    for j in range(1, S + 1):
        cx = 0.8 + 1.35 * (j - 1)
        h = draw.box(ax, (cx, 1.0), f"$h_{j}$", "h")
        draw.wire(ax, draw.state(ax, (cx, -0.45), f"$x_{j}$", "x"), h, key="x", width=1.0)
        if states:
            draw.wire(ax, states[-1], h, [(states[-1].xy[0] + 0.45, 1.12), (cx - 0.45, 1.12)], key="h", width=0.9)
            draw.wire(ax, h, states[-1], [(cx - 0.45, 0.88), (states[-1].xy[0] + 0.45, 0.88)], key="h", width=0.9)
        states.append(h)
    context = draw.op(ax, (3.5, 4.3), "Σ", "o", radius=0.26)
    for j, (h, a) in enumerate(zip(states, alpha), start=1):
        top = 1.45 + 1.6 * a
        ax.add_patch(_rect(h.xy[0] - 0.25, 1.45, 0.5, 1.6 * a, colour("o"), 0.8))
        draw.note(ax, (h.xy[0] + 0.3, top - 0.05), f"α{chr(0x2080 + j)} = {a:.2f}", fontsize=8, ha="left", va="bottom")
        ax.plot([h.xy[0], context.xy[0]], [top, context.xy[1] - 0.26], color=colour("o"),
                linewidth=0.6 + 4 * a, zorder=1, solid_capstyle="round")
    s_prev = draw.box(ax, (7.6, 2.2), "$s_{i-1}$", "h", size=(0.9, 0.46))
    s_i = draw.box(ax, (9.8, 4.3), "$s_i$", "h", size=(0.9, 0.46))
    c = draw.state(ax, (6.3, 4.3), "$c_i$", "o")
    draw.wire(ax, context, c, key="o")
    draw.wire(ax, c, s_i, key="o")
    draw.wire(ax, s_prev, s_i, [(9.8, 2.2)], key="h")
    draw.wire(ax, draw.state(ax, (9.8, 1.0), "$y_{i-1}$", "x", size=(0.9, 0.42)), s_i, [(10.55, 1.0), (10.55, 4.0)],
              key="x", width=1.0)
    draw.wire(ax, s_i, draw.state(ax, (9.8, 5.35), "$y_i$", "o"), key="o")
    draw.wire(ax, s_prev, context, [(7.6, 3.3), (3.5, 3.3)], key="h", width=1.0, dashed=True)
    draw.note(ax, (3.9, 3.6), "scores $e_{ij} = v_a^T \\tanh(s_{i-1} W_a + h_j U_a)$; softmax → α",
              fontsize=8, ha="left")
    draw.note(ax, (0.2, 5.3), r"$c_i = \sum_j \alpha_{ij} h_j$", fontsize=10, ha="left")
    draw.note(ax, (3.5, -0.85), "encoder (bidirectional GRU)", fontsize=8.5)
    draw.note(ax, (8.7, -0.85), "decoder step i", fontsize=8.5)
    return fig
