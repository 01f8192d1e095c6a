"""The glue helper: what it stores for the book's prose."""
import numpy as np
import pytest

from course_rnn import notebook


@pytest.fixture
def stored(monkeypatch):
    myst_nb = pytest.importorskip("myst_nb")
    values = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=False: values.__setitem__(name, value))
    return values


def test_floats_are_rounded_to_significant_digits(stored):
    notebook.glue("a", 257.18339285714285)
    notebook.glue("b", 1.2345678e-26)
    assert stored == {"a": 257.183, "b": 1.23457e-26}


def test_machine_noise_in_the_last_digits_disappears(stored):
    notebook.glue("x", 257.1832142857143)
    notebook.glue("y", 257.18339285714285)
    assert stored["x"] == stored["y"]


def test_numpy_scalars_become_python_numbers(stored):
    notebook.glue("f", np.float32(0.1))
    notebook.glue("i", np.int64(7))
    assert type(stored["f"]) is float and stored["f"] == 0.1
    assert type(stored["i"]) is int and stored["i"] == 7


def test_integers_strings_and_non_finite_values_pass_unchanged(stored):
    notebook.glue("n", 123456789)
    notebook.glue("s", "Intel Xeon, 2 cores")
    notebook.glue("inf", float("inf"))
    notebook.glue("nan", float("nan"))
    assert stored["n"] == 123456789 and stored["s"] == "Intel Xeon, 2 cores"
    assert stored["inf"] == float("inf") and np.isnan(stored["nan"])
