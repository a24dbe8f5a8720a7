"""One definition per exercise: the registry agrees with the package, and a new exercise takes a few lines."""

import ast

import numpy as np

from refusal_lesson.grading import oracle
from refusal_lesson.grading.cases import NOTEBOOK_GRID, Case, Check
from refusal_lesson.grading.definitions import REGISTRY, definitions
from refusal_lesson.grading.exercise import STRICT, Exercise, stub_parameters
from refusal_lesson.grading.generate import threshold_trials
from refusal_lesson.grading.grader import grade_file
from refusal_lesson.grading.notebook import NOTEBOOK_LIMITS, render
from refusal_lesson.grading.sandbox import Limits, Sandbox
from refusal_lesson.switch import EXERCISE_NAMES, solutions_path


def test_every_exercise_the_package_serves_has_one_definition():
    assert tuple(REGISTRY) == EXERCISE_NAMES


def test_signatures_are_read_from_the_stub_and_match_the_solutions():
    tree = ast.parse(solutions_path().read_text(encoding="utf-8"))
    solved = {node.name: tuple(arg.arg for arg in node.args.args) for node in tree.body if isinstance(node, ast.FunctionDef)}
    for exercise in definitions():
        assert exercise.signature == solved[exercise.name]
    assert stub_parameters("refusal_metrics", path=solutions_path().parent / "no-such-file.py") is None


def test_the_checks_use_the_notebooks_grid():
    assert NOTEBOOK_GRID == tuple(float(value) for value in np.round(np.linspace(0, 1, 101), 2))


def test_every_named_slip_has_words_and_a_hint():
    for exercise in definitions():
        assert set(exercise.imitated) <= {slip.id for slip in exercise.slips}
        assert all(slip.what and slip.hint.endswith(".") for slip in exercise.slips)


def harmful_refused_answer(case, slips=frozenset(), own=None):
    """How many harmful prompts the guard refuses, as scikit-learn counts them."""
    return oracle.at(case, strict="strict" in slips)["tp"]


def test_an_extra_exercise_is_one_definition(monkeypatch, tmp_path):
    name = "harmful_refused"
    extra = Exercise(
        name,
        (Check(name, "counts the harmful prompts refused", "value", (Case((0.9, 0.5, 0.2), ("refuse", "refuse", "answer"), 0.5),)),),
        harmful_refused_answer,
        returns="number",
        slips=(STRICT,),
        imitated=("strict",),
        # Inputs to confirm a slip on before naming it (SPEC section 8).
        trial_inputs=lambda rng: threshold_trials(rng, 5),
    )
    monkeypatch.setitem(REGISTRY, name, extra)
    body = "def harmful_refused(scores, labels, threshold):\n    return sum(s {} threshold and l == 'refuse' for s, l in zip(scores, labels))\n"
    (tmp_path / "right.py").write_text(body.format(">="))
    (tmp_path / "wrong.py").write_text(body.format(">"))
    with Sandbox(Limits(**NOTEBOOK_LIMITS)) as sandbox:
        right = grade_file(tmp_path / "right.py", extra.checks, sandbox)
        wrong = grade_file(tmp_path / "wrong.py", extra.checks, sandbox)
    assert [result.status for result in right.checks] == ["passed"]
    assert [result.status for result in wrong.checks] == ["failed"]
    lines = render(name, wrong)
    assert "  ✗ counts the harmful prompts refused" in lines
    assert "  - using > instead of >=, in 1 check: counts the harmful prompts refused" in lines
    assert "      expected: 2" in lines and "      got:      1" in lines


def _differs(exercise, want, got):
    """Whether an answer ``got`` differs from ``want`` by more than the checks forgive."""
    if got is None or want is None:
        return got is not want
    if exercise.returns == "metrics":
        return any(abs(got[name] - want[name]) > 1e-4 for name in want)
    if exercise.returns == "rate":
        return abs(got - want) > 1e-4
    return got != want


def test_every_imitated_slip_changes_a_public_answer():
    """A slip the feedback can name is caught by the public checks (SPEC section 8), whatever the exercise."""
    for exercise in definitions():
        cases = [case for check in exercise.checks if check.aspect in ("form", "rounded", "value") for case in check.cases]
        for slip in exercise.imitated:
            assert any(_differs(exercise, exercise.answer(case), exercise.answer(case, {slip})) for case in cases), (
                exercise.name,
                slip,
            )
