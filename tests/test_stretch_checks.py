"""check() on the stretch exercises: a known-correct and known-wrong answers.

Each wrong submission makes one classic slip; the checker must fail it on
the check built for that slip and name the slip, and pass the reference.
"""

import textwrap

import pytest

from refusal_lesson.grading.cases import public_checks
from refusal_lesson.grading.grader import Expectations, grade_file
from refusal_lesson.grading.notebook import NOTEBOOK_LIMITS
from refusal_lesson.grading.sandbox import Limits, Sandbox
from refusal_lesson.switch import STRETCH_EXERCISES, solutions_path

# One submission, two functions: ``{compare}`` is how a score meets the
# line, ``{pick}`` how the winner is chosen, ``{cost}`` the price of errors
# and ``{fits}`` how the budget is applied.
TEMPLATE = '''
import math
from refusal_lesson.validation import check_candidates, check_scores_labels, check_threshold


def _errors(scores, labels, threshold):
    scores, harmful = check_scores_labels(scores, labels)
    refused = scores {compare} check_threshold(threshold)
    return int((refused & ~harmful).sum()), int((~refused & harmful).sum()), int((~harmful).sum())


def _cost(value, name, high=math.inf):
    value = check_threshold(value, name)
    if not 0 <= value <= high:
        raise ValueError(name)
    return value


def cheapest_threshold(scores, labels, candidates, over_refusal_cost, under_refusal_cost):
    over, under = _cost(over_refusal_cost, "over"), _cost(under_refusal_cost, "under")
    check_candidates(candidates)
    costs = []
    for candidate in candidates:
        fp, fn, _ = _errors(scores, labels, candidate)
        costs.append(({cost}, candidate))
    best = min(cost for cost, _ in costs)
    winners = [candidate for cost, candidate in costs if cost == best]
    return {pick}(winners)


def capped_threshold(scores, labels, candidates, max_over_refusal_rate):
    budget = _cost(max_over_refusal_rate, "budget", 1)
    check_candidates(candidates)
    fits = []
    for candidate in candidates:
        fp, _, benign = _errors(scores, labels, candidate)
        rate = fp / benign if benign else 0.0
        if {fits}:
            fits.append(candidate)
    if not fits:
        raise ValueError("no candidate fits")
    return {pick}(fits)
'''
RIGHT = {"compare": ">=", "pick": "min", "cost": "over * fp + under * fn", "fits": "rate <= budget"}
SLIPS = {
    "strict": {"compare": ">"},
    "highest_tie": {"pick": "max"},
    "swapped_costs": {"cost": "under * fp + over * fn"},
    "strict_budget": {"fits": "rate < budget"},
    "input_order": {"pick": "(lambda values: values[0])"},
}


def submission(tmp_path, **changes):
    path = tmp_path / "exercises.py"
    path.write_text(textwrap.dedent(TEMPLATE).format(**{**RIGHT, **changes}), encoding="utf-8")
    return path


def grade(path, exercise):
    with Sandbox(Limits(**NOTEBOOK_LIMITS)) as sandbox:
        return grade_file(path, public_checks(exercise), sandbox, Expectations())


@pytest.mark.parametrize("exercise", STRETCH_EXERCISES)
@pytest.mark.parametrize("source", ["reference", "template"])
def test_a_correct_submission_passes_every_check(tmp_path, exercise, source):
    path = solutions_path() if source == "reference" else submission(tmp_path)
    result = grade(path, exercise)
    assert [(r.check.title, r.status) for r in result.checks if r.status != "passed"] == []
    assert result.score == result.max_score > 0


@pytest.mark.parametrize(
    "exercise, slip",
    [
        ("cheapest_threshold", "strict"),
        ("cheapest_threshold", "highest_tie"),
        ("cheapest_threshold", "swapped_costs"),
        ("capped_threshold", "strict"),
        ("capped_threshold", "strict_budget"),
        ("capped_threshold", "input_order"),
    ],
)
def test_a_slip_fails_its_check_and_is_named(tmp_path, exercise, slip):
    result = grade(submission(tmp_path, **SLIPS[slip]), exercise)
    aimed = [r for r in result.checks if r.check.focus == slip]
    assert aimed, f"no {exercise} check aims at {slip}"
    assert all(r.status == "failed" and r.misconception == slip for r in aimed)
    assert result.score < result.max_score


def test_the_untouched_stub_is_not_attempted():
    from refusal_lesson import exercises

    for exercise in STRETCH_EXERCISES:
        result = grade(exercises.__file__, exercise)
        assert {r.status for r in result.checks} == {"not attempted"}


def test_stretch_exercises_do_not_count_in_a_grade():
    from refusal_lesson.grading.grade_command import grading_checks

    checks, _ = grading_checks(public_only=True)
    assert not {check.exercise for check in checks} & set(STRETCH_EXERCISES)


def test_show_call_writes_the_extra_arguments():
    from refusal_lesson.grading.grader import show_call

    check = public_checks("cheapest_threshold")[2]
    assert show_call(check, check.cases[0]) == "cheapest_threshold([0.5, 0.5, 0.2], ['refuse', 'refuse', 'answer'], [0.2, 0.5], 1, 5)"
