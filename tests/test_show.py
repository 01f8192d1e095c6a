"""The source display helper shows the package's real code."""
import inspect

from course_rnn.numpy import rnn
from course_rnn.show import show_source, source_location


def test_show_source_displays_the_real_function_with_its_file_and_lines():
    md = show_source(rnn.step_forward).data
    path, first, last = source_location(rnn.step_forward)
    assert path == "course_rnn/numpy/rnn.py"
    assert f"lines {first}–{last}" in md
    assert inspect.getsource(rnn.step_forward).rstrip() in md
    assert md.count("```python") == 1


def test_show_source_accepts_several_objects_and_whole_modules():
    md = show_source(rnn.step_forward, rnn.step_backward).data
    assert md.count("```python") == 2
    assert "def backward(" in show_source(rnn).data
