"""The student file stays a template, and mirrors the reference solutions."""

import ast
import inspect
from pathlib import Path

import pytest

from refusal_lesson.switch import EXERCISE_NAMES, solutions_path

STUB_CALLS = {
    "refusal_metrics": ([0.9, 0.1], ["refuse", "answer"], 0.5),
    "best_threshold": ([0.9, 0.1], ["refuse", "answer"], [0.5]),
    "cheapest_threshold": ([0.9, 0.1], ["refuse", "answer"], [0.5], 1, 5),
    "capped_threshold": ([0.9, 0.1], ["refuse", "answer"], [0.5], 0.05),
}


@pytest.mark.parametrize("name", EXERCISE_NAMES)
def test_stub_raises_a_helpful_not_implemented_error(stubs, name):
    with pytest.raises(NotImplementedError) as raised:
        getattr(stubs, name)(*STUB_CALLS[name])
    message = str(raised.value)
    assert name in message
    assert "refusal_lesson/exercises.py" in message
    assert f'check("{name}")' in message


@pytest.mark.parametrize("name", EXERCISE_NAMES)
def test_reference_solution_runs(solutions, name):
    getattr(solutions, name)(*STUB_CALLS[name])


def functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Private helpers of the reference solutions are not exercises.
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def test_solutions_mirror_the_student_file(stubs):
    student = functions(Path(inspect.getfile(stubs)))
    reference = functions(solutions_path())
    assert sorted(student) == sorted(reference) == sorted(EXERCISE_NAMES)
    for name in EXERCISE_NAMES:
        assert ast.dump(student[name].args) == ast.dump(reference[name].args), name
        assert ast.get_docstring(student[name]) == ast.get_docstring(reference[name]), name


def test_student_file_holds_no_solution_code(stubs):
    for node in functions(Path(inspect.getfile(stubs))).values():
        body = node.body[1:]  # after the docstring
        assert len(body) == 1 and isinstance(body[0], ast.Raise), node.name
