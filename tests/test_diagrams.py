"""The diagrams compute what the models compute, and the committed SVGs are the ones the code draws.

Each cell diagram is drawn from a description (course_rnn.diagrams.describe); here that description is
evaluated on random inputs with the model's own parameter dict and compared with the model's
``step_forward``. Planted mistakes (two gates' weights swapped, an edge dropped, a weight relabelled,
the wrong reset form) must break the comparison: the check can fail.
"""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from course_rnn.diagrams import describe, evaluate, gallery, structures
from course_rnn.diagrams.describe import Term
from course_rnn.numpy import gru, jordan, lstm, rnn, truncated
from course_rnn.torch.scrn import SCRN

N, D, H, O = 3, 4, 5, 2
TOL = 1e-12


def _inputs(seed, names):
    rng = np.random.default_rng(seed)
    sizes = {"x_t": D, "y_prev": O}
    return {name: rng.normal(size=(N, sizes.get(name, H))) for name in names}


def _cases(seed):
    """(name, description, inputs, params, the model's step outputs) for every cell the book draws."""
    cases = []
    x = _inputs(seed, ["x_t", "h_prev", "c_prev", "y_prev"])
    p = rnn.init_params(D, H, seed)
    cases.append(("elman", describe.elman(), x, p, {"h": rnn.step_forward(x["x_t"], x["h_prev"], p)[0]}))
    p = jordan.init_params(D, H, O, seed)
    h, y = jordan.step_forward(x["x_t"], x["y_prev"], p)
    cases.append(("jordan", describe.jordan(), x, p, {"h": h, "y": y}))
    p = gru.init_params(D, H, seed)
    for reset_after in (True, False):
        out = gru.step_forward(x["x_t"], x["h_prev"], p, reset_after)[0]
        cases.append((f"gru_reset_after={reset_after}", describe.gru(reset_after), x, p, {"h": out}))
    for peepholes in (False, True):
        p = lstm.init_params(D, H, seed, peepholes=peepholes)
        h, c, _ = lstm.step_forward(x["x_t"], x["h_prev"], x["c_prev"], p)
        cases.append((f"lstm_peepholes={peepholes}", describe.lstm(peepholes), x, p, {"h": h, "c": c}))
    return cases


CASE_NAMES = [case[0] for case in _cases(0)]


def _max_error(cell, inputs, params, expected):
    values = evaluate(cell, inputs, params)
    return max(np.abs(values[name] - expected[name]).max() for name in expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_cell_description_evaluates_to_the_models_step_forward(name, seed):
    _, cell, inputs, params, expected = next(c for c in _cases(seed) if c[0] == name)
    assert set(expected) <= set(cell.outputs)
    assert _max_error(cell, inputs, params, expected) < TOL


def test_scrn_description_evaluates_to_the_torch_modules_first_step():
    torch.manual_seed(0)
    model = SCRN(D, 3, H, alpha=0.9).double()
    params = {name: p.detach().numpy() for name, p in model.named_parameters()} | {"alpha": model.alpha}
    rng = np.random.default_rng(0)
    x, h0, s0 = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, 3))
    with torch.no_grad():
        _, (h, s) = model(torch.from_numpy(x[:, None]), (torch.from_numpy(h0), torch.from_numpy(s0)))
    values = evaluate(describe.scrn(), {"x_t": x, "h_prev": h0, "s_prev": s0}, params)
    assert np.abs(values["h"] - h.numpy()).max() < TOL and np.abs(values["s"] - s.numpy()).max() < TOL


def _swap_gates(cell, a, b):
    """Node a computed with gate b's weights and vice versa (the labels in the drawing stay put)."""
    swap = {a: b, b: a}
    def swapped(node):
        return tuple(replace(t, gate=swap.get(t.gate, t.gate)) for t in node.terms)
    return cell.replace_node(a, terms=swapped(cell.node(a))).replace_node(b, terms=swapped(cell.node(b)))


def _drop_edge(cell, node, source):
    return cell.replace_node(node, terms=tuple(t for t in cell.node(node).terms if t.source != source))


def _relabel(cell, node, source, weight, gate=None):
    terms = tuple(replace(t, weight=weight, gate=gate) if t.source == source else t for t in cell.node(node).terms)
    return cell.replace_node(node, terms=terms)


MUTATIONS = {
    "gru: r and z swapped": ("gru_reset_after=True", lambda c: _swap_gates(c, "r", "z")),
    "gru: the edge h_prev -> z dropped": ("gru_reset_after=True", lambda c: _drop_edge(c, "z", "h_prev")),
    "gru: keep reads n instead of h_prev": ("gru_reset_after=False",
                                            lambda c: c.replace_node("keep", terms=(Term("z"), Term("n")))),
    "gru: the other reset form": ("gru_reset_after=True", lambda c: describe.gru(False)),
    "lstm: i and f swapped": ("lstm_peepholes=False", lambda c: _swap_gates(c, "i", "f")),
    "lstm: g and o swapped": ("lstm_peepholes=True", lambda c: _swap_gates(c, "g", "o")),
    "lstm: a peephole dropped": ("lstm_peepholes=True", lambda c: _drop_edge(c, "f", "c_prev")),
    "lstm: w_co relabelled w_ci": ("lstm_peepholes=True", lambda c: _relabel(c, "o", "c", "w_ci")),
    "lstm: W_h block of i labelled f": ("lstm_peepholes=False", lambda c: _relabel(c, "i", "h_prev", "W_h", "f")),
    "elman: the recurrent edge dropped": ("elman", lambda c: _drop_edge(c, "h", "h_prev")),
    "elman: W_hh relabelled W_xh": ("elman", lambda c: _relabel(c, "h", "h_prev", "W_xh")),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_planted_mistake_in_a_description_fails_the_comparison(mutation):
    name, plant = MUTATIONS[mutation]
    _, cell, inputs, params, expected = next(c for c in _cases(0) if c[0] == name)
    try:
        error = _max_error(plant(cell), inputs, params, expected)
    except ValueError:  # a mistake the evaluator refuses outright also fails the check
        return
    assert error > 1e-3, f"{mutation}: the comparison still passes (error {error:.1e})"


def test_evaluator_refuses_a_term_that_reads_a_value_not_yet_computed():
    cell = describe.lstm().replace_node("i", terms=(Term("c"),))
    with pytest.raises(ValueError, match="before any input or earlier node"):
        evaluate(cell, _inputs(0, ["x_t", "h_prev", "c_prev"]), lstm.init_params(D, H, 0))


def test_unrolled_elman_description_runs_the_whole_sequence_like_rnn_forward():
    rng = np.random.default_rng(3)
    x, h = rng.normal(size=(N, 6, D)), rng.normal(size=(N, H))
    params = rnn.init_params(D, H, 3)
    hs, _ = rnn.forward(x, h, params)
    for t in range(6):
        h = evaluate(describe.elman(), {"x_t": x[:, t], "h_prev": h}, params)["h"]
        assert np.abs(h - hs[:, t]).max() < TOL


def test_the_unrolled_figure_labels_its_weights_as_the_elman_description_names_them():
    assert structures.elman_weights() == ("$W_{xh}$", "$W_{hh}$")


def test_clockwork_schedule_is_the_modules_t_mod_period_rule():
    periods = (1, 2, 4, 8)
    active, mask = structures.clockwork_schedule(periods, 16)
    assert active.tolist() == [[t % p == 0 for t in range(16)] for p in periods]
    assert mask.shape == (4, 4) and np.array_equal(mask, np.tril(np.ones((4, 4))))


def test_attention_weights_drawn_are_a_distribution_over_the_earlier_states():
    alpha = structures.attention_example(6)
    assert alpha.shape == (5,) and abs(alpha.sum() - 1) < 1e-5 and alpha.argmax() == 2


def test_tbptt_figure_draws_the_packages_windows():
    assert truncated.windows(12, 3, 5) == [(2, 0, 0), (5, 3, 1), (8, 6, 4), (11, 9, 7)]


def test_every_diagram_has_alt_text_a_caption_and_a_chapter():
    names = [d.name for d in gallery.DIAGRAMS]
    assert len(set(names)) == len(names)
    for diagram in gallery.DIAGRAMS:
        assert len(diagram.alt) > 80 and diagram.caption and diagram.chapter


def test_committed_svgs_are_current_small_and_free_of_dates():
    root = Path(__file__).resolve().parent.parent
    assert gallery.stale(root) == [], "run `python tools/build_diagrams.py` and commit book/_static/diagrams/"
    for diagram in gallery.DIAGRAMS:
        svg = (root / gallery.FOLDER / f"{diagram.name}.svg").read_bytes()
        assert len(svg) < 80_000 and b"<dc:date>" not in svg
