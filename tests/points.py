"""Point totals read from the exercise registry, never typed into a test.

A test that says a submission "gets full marks" means every point of the
graded exercises that submission writes: a new graded exercise changes the
totals, not the tests, and a hand-written submission that predates it (the
hostile ones) is still held to full marks on what it does write.
"""

import ast
from pathlib import Path

from refusal_lesson.grading.checks import grading_checks


def defined(path):
    """The names of the functions a Python file defines at its top level."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def full_marks(path=None, public_only=False):
    """The points of the graded checks; only of the exercises ``path`` defines, if given."""
    checks, _ = grading_checks(public_only=public_only)
    names = defined(path) if path is not None else None
    return sum(check.points for check in checks if names is None or check.exercise in names)


def fraction(score, max_score):
    """A score as the grader prints it, such as ``19/19``."""
    return f"{score:g}/{max_score:g}"
