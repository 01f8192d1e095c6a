"""Where the autograded exercises' public checks live, so they reach Colab without a clone.

`make exercises` copies each set's public tests into the package
(``course_rnn/exercise_tests/<set>/``); a student notebook's setup cell points
otter at them with ``otter.Notebook(tests_dir=public_tests_dir("<set>"))``.
The hidden tests are never in the package.
"""
from pathlib import Path

TESTS_ROOT = Path(__file__).resolve().parent / "exercise_tests"


def public_tests_dir(exercise):
    """The directory of ``exercise``'s public tests (e.g. ``"ex01_rnn"``)."""
    path = TESTS_ROOT / exercise
    if not path.is_dir():
        known = sorted(p.name for p in TESTS_ROOT.iterdir() if p.is_dir()) if TESTS_ROOT.is_dir() else []
        raise ValueError(f"no public tests for exercise {exercise!r}; known: {known}")
    return path
