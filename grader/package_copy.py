"""The grading copy of ``course_rnn`` that the sandbox imports: the package without the answers of the set graded.

While a set is graded, the package functions and classes that implement its answers (``WITHHELD``) are
replaced, in a copy, by stubs that raise ``NotImplementedError``; their source is gone from the copy, so
neither calling them nor reading them with ``inspect`` works. Modules that only call them (e.g.
``jordan.forward``, which steps with ``jordan.step_forward``) fail the same way. The copy has no
``__pycache__`` and is mounted read-only. It is not a wall: torch's own modules remain, and a learner can
paste the package's displayed source by hand; ``flags.copied_from_package`` points at that.
"""
import ast
import shutil
from pathlib import Path

import course_rnn

SOURCE = Path(course_rnn.__file__).resolve().parent

# set -> "module:name" of the package code that answers its questions.
WITHHELD = {
    "ex01_rnn": ["numpy.jordan:step_forward", "numpy.deep:bidirectional_forward", "torch.jordan:JordanRNN"],
    "ex02_bptt": ["numpy.rnn:step_backward", "numpy.rnn:backward", "numpy.truncated:backward"],
    "ex03_gradients": ["numpy.clip:clip_grad_norm", "numpy.jacobians:bound", "numpy.init:orthogonal"],
    "ex04_gru": ["numpy.gru:step_forward", "numpy.gru:step_backward"],
    "ex05_lstm": ["numpy.lstm:step_backward", "numpy.lstm:gates_backward", "numpy.lstm:weight_grads",
                  "numpy.lstm:step_forward"],
    "ex06_optim": ["numpy.ewma:ewma", "numpy.optim:SGD", "numpy.optim:Adam"],
    "ex07_remedies": ["torch.clockwork:ClockworkRNN", "torch.scrn:SCRN", "torch.attention:dot_product_attention"],
    "ex08_language_models": ["perplexity:cross_entropy", "torch.decoding:next_distribution",
                             "torch.truncated:truncated_backward", "numpy.truncated:backward",
                             "torch.seq2seq:AdditiveAttention"],
}


def _stub(node, exercise):
    """A definition with ``node``'s name whose use raises, saying why."""
    message = f"{node.name} is withheld while {exercise} is graded: write it yourself"
    if isinstance(node, ast.ClassDef):
        text = f"class {node.name}:\n    def __init__(self, *args, **kwargs):\n        raise NotImplementedError({message!r})\n"
    else:
        text = f"def {node.name}(*args, **kwargs):\n    raise NotImplementedError({message!r})\n"
    return ast.parse(text).body[0]


def withheld_nodes(exercise):
    """{"module:name": the package's ast node} of what ``exercise`` withholds (names that exist)."""
    found = {}
    for entry in WITHHELD.get(exercise, []):
        module, name = entry.split(":")
        path = SOURCE.joinpath(*module.split(".")).with_suffix(".py")
        if not path.exists():
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                found[entry] = node
    return found


def make(exercise, target):
    """Write the grading copy for ``exercise`` to ``target``/course_rnn; returns that directory."""
    package = Path(target) / "course_rnn"
    shutil.copytree(SOURCE, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
    by_module = {}
    for entry in WITHHELD.get(exercise, []):
        module, name = entry.split(":")
        by_module.setdefault(module, set()).add(name)
    for module, names in by_module.items():
        path = package.joinpath(*module.split(".")).with_suffix(".py")
        if not path.exists():
            continue
        tree = ast.parse(path.read_text())
        tree.body = [_stub(n, exercise) if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in names else n
                     for n in tree.body]
        path.write_text(ast.unparse(ast.fix_missing_locations(tree)) + "\n")
    return package
