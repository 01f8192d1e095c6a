"""Flags for a human to look at: code that reaches for the grading machinery, and package code pasted in.

Not verdicts. The sandbox, not these patterns, is what keeps a submission from the grader; flags point at
attempts, so that an instructor can talk to the learner. ``copied_from_package`` compares each of the
learner's functions, as an AST without docstrings and names, with the package code the set withholds:
a hint that source was pasted, not proof (a renamed variable defeats it). The comparison runs in the
grader's own process, so it is skipped, and the flags say ``too-large-to-analyse``, on code longer than
MAX_ANALYSED_CHARS or with more than MAX_NODES syntax nodes (honest answers are a few KB).
"""
import ast
import re

SUSPICIOUS = re.compile(
    r"\b(?:otter|Checker|GradingResults|pickle|dill|subprocess|builtins|sys\.modules|__code__|__closure__|"
    r"__globals__|f_back|f_locals|_getframe|inspect|gc\.get_|setattr|course_rnn\.grading|import\s+grading|os\.system|os\.kill|"
    r"os\.fork|os\.setsid|signal|atexit|ctypes|LD_PRELOAD|base64|marshal|exec|eval|compile|__import__|"
    r"importlib|sys\.executable|post_run_cell|input_transformers|__file__|shutil)\b"
    r"|\b(?:allclose|assert_allclose|isclose|array_equal)\s*=(?!=)")
MAX_ANALYSED_CHARS = 200_000
MAX_NODES = 50_000
TOO_LARGE = "too-large-to-analyse"


class _TooLarge(Exception):
    """The learner's code is beyond what the parent analyses."""


def analyse(cells, withheld):
    """The flags column: suspicious names, then "copies:<entry>" for each withheld function repeated."""
    found = [suspicious(cells)]
    if sum(len(c) for c in cells) > MAX_ANALYSED_CHARS:
        found.append(TOO_LARGE)
    else:
        try:
            found += [f"copies:{e}" for e in copied_from_package(cells, withheld)]
        except (_TooLarge, RecursionError, MemoryError):
            found.append(TOO_LARGE)
    return " ".join(filter(None, found))


def suspicious(cells):
    """The distinct suspicious names in ``cells`` (list of sources), sorted and space-separated."""
    code = re.sub(r"grader\.check(_all)?\(", "", "\n".join(cells))
    return " ".join(sorted({re.sub(r"\s+", "_", match) for match in SUSPICIOUS.findall(code)}))


def _shape(node):
    """The AST of a definition without its name or docstring, as text."""
    node = ast.parse(ast.unparse(node)).body[0]  # a copy
    node.name = "_"
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        node.body = body[1:] or [ast.Pass()]
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def copied_from_package(cells, withheld):
    """Names "module:name" of ``withheld`` (entry -> ast node) whose code one of the learner's functions repeats."""
    trees, nodes = [], 0
    for source in cells:
        try:
            trees.append(ast.parse(source))
        except (SyntaxError, ValueError):
            continue
        for _ in ast.walk(trees[-1]):
            nodes += 1
            if nodes > MAX_NODES:
                raise _TooLarge()
    shapes = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                shapes.setdefault(_shape(node), node.name)
    return sorted(entry for entry, node in withheld.items() if _shape(node) in shapes)
