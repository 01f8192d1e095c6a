"""Where the autograded exercises' public checks live, so they reach Colab without a clone.

`make exercises` copies each set's public tests into the package
(``course_rnn/exercise_tests/<set>/``); a student notebook's setup cell points
otter at them with ``otter.Notebook(tests_dir=public_tests_dir("<set>"))``.
The hidden tests are never in the package.
"""
from pathlib import Path

TESTS_ROOT = Path(__file__).resolve().parent / "exercise_tests"


def public_tests_dir(exercise):
    """The directory of ``exercise``'s public tests (e.g. ``"ex01_rnn"``), made by `make exercises`."""
    if not exercise.replace("_", "").isalnum():
        raise ValueError(f"an exercise set is named like 'ex01_rnn'; got {exercise!r}")
    return TESTS_ROOT / exercise
