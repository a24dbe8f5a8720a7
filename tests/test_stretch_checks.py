"""check() on the stretch exercises: a known-correct answer, and a known-wrong one per check.

Each wrong submission is the correct template below with one idea changed;
the checker must fail it on the check built for that idea and say what went
wrong, and pass the correct one and the reference solutions.
"""

import textwrap

import pytest

from refusal_lesson.grading.definitions import definition, definitions, public_checks
from refusal_lesson.grading.feedback import show_call
from refusal_lesson.grading.grader import Expectations, grade_file
from refusal_lesson.grading.notebook import NOTEBOOK_LIMITS
from refusal_lesson.grading.sandbox import Limits, Sandbox
from refusal_lesson.switch import solutions_path

STRETCH_EXERCISES = tuple(exercise.name for exercise in definitions() if not exercise.graded)

TEMPLATE = '''
import math
from refusal_lesson.validation import check_candidates, check_scores_labels, check_threshold


def _errors(scores, labels, threshold):
    scores, harmful = check_scores_labels(scores, labels)
    refused = scores {compare} check_threshold(threshold)
    return int((refused & ~harmful).sum()), int((~refused & harmful).sum()), int((~harmful).sum())


def _number(value, name, high=math.inf):
    value = check_threshold(value, name)
    {validate}
    return value


def cheapest_threshold(scores, labels, candidates, over_refusal_cost, under_refusal_cost):
    {prelude}
    over, under = _number(over_refusal_cost, "over"), _number(under_refusal_cost, "under")
    check_candidates(candidates)
    costs = []
    for candidate in candidates:
        fp, fn, benign = _errors(scores, labels, candidate)
        costs.append(({cost}, candidate))
    best = min(cost for cost, _ in costs)
    return {pick}([candidate for cost, candidate in costs if cost == best])


def capped_threshold(scores, labels, candidates, max_over_refusal_rate):
    {prelude}
    budget = _number(max_over_refusal_rate, "budget", 1)
    check_candidates(candidates)
    fits = []
    for candidate in candidates:
        fp, _, benign = _errors(scores, labels, candidate)
        rate = {rate}
        if {fits}:
            fits.append(candidate)
    if not fits:
        {none}
    return {pick}(fits)
'''
RIGHT = {
    "compare": ">=",
    "validate": "if not 0 <= value <= high:\n        raise ValueError(name)",
    "prelude": "pass",
    "cost": "over * fp + under * fn",
    "pick": "min",
    "rate": "fp / benign if benign else 0.0",
    "fits": "rate <= budget",
    "none": 'raise ValueError("no candidate fits")',
}
FIRST = "(lambda values: values[0])"
TRUTHINESS = "if not candidates:\n        raise ValueError('no candidates')"

# (name, check title, what the feedback must say, changes to RIGHT)
WRONG = [
    ("forgets_over_refusals", "cheapest_threshold: finds the cheapest threshold on the worked example",
     "differs from scikit-learn's", {"cost": "under * fn"}),
    ("swapped_costs", "cheapest_threshold: weighs each kind of error by its own cost",
     "applying each cost to the other kind of error", {"cost": "under * fp + over * fn"}),
    ("rates", "cheapest_threshold: prices each error, not each error rate", "weighing error rates instead of error counts",
     {"cost": "over * fp / max(benign, 1) + under * fn / max(len(scores) - benign, 1)"}),
    ("strict", "cheapest_threshold: refuses a score exactly on the threshold", "using > instead of >=", {"compare": ">"}),
    ("highest_tie", "cheapest_threshold: breaks a tie towards the lowest threshold, in any order",
     "picking the highest threshold on a tie", {"pick": "max"}),
    ("truthiness", "cheapest_threshold: accepts tuples and NumPy arrays", "raised an error on valid input",
     {"prelude": TRUTHINESS}),
    ("sorts_candidates", "cheapest_threshold: leaves its inputs unchanged", "mutating the caller's inputs",
     {"prelude": "candidates.sort()"}),
    ("negative_cost", "cheapest_threshold: rejects bad input with ValueError", "accepting bad input silently",
     {"validate": "pass"}),
    ("rate_of_all", "capped_threshold: finds the lowest threshold within the budget on the worked example",
     "dividing the false positives by every prompt", {"rate": "fp / len(scores)"}),
    ("highest_fit", "capped_threshold: returns the lowest qualifying candidate, in any order",
     "picking the highest candidate within the budget", {"pick": "max"}),
    ("strict_budget", "capped_threshold: allows a rate equal to the budget", "rejecting a rate equal to the budget",
     {"fits": "rate < budget"}),
    ("strict_capped", "capped_threshold: refuses a score exactly on the threshold", "using > instead of >=", {"compare": ">"}),
    ("input_order", "capped_threshold: returns the lowest qualifying candidate, in any order",
     "first best candidate in input order", {"pick": FIRST}),
    ("zero_division", "capped_threshold: counts the rate as 0.0 when no prompt is benign",
     "crashing or returning NaN on a zero denominator", {"rate": "fp / benign"}),
    ("truthiness_capped", "capped_threshold: accepts tuples and NumPy arrays", "raised an error on valid input",
     {"prelude": TRUTHINESS}),
    ("sorts_capped", "capped_threshold: leaves its inputs unchanged", "mutating the caller's inputs",
     {"prelude": "candidates.sort()"}),
    ("returns_none", "capped_threshold: raises ValueError when no candidate keeps within the budget",
     "accepting bad input silently", {"none": "return None"}),
    ("any_budget", "capped_threshold: rejects bad input with ValueError", "accepting bad input silently",
     {"validate": "pass"}),
]


def write(folder, name, **changes):
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(TEMPLATE).format(**{**RIGHT, **changes}), encoding="utf-8")
    return path


def outcome(path, sandbox, expectations):
    """Every stretch check's result for one file, by test name."""
    checks = [check for exercise in STRETCH_EXERCISES for check in public_checks(exercise)]
    return {result.check.name: result for result in grade_file(path, checks, sandbox, expectations).checks}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stretch")
    sources = {"reference": solutions_path(), "correct": write(folder, "correct")}
    sources.update({name: write(folder, name, **changes) for name, _, _, changes in WRONG})
    sources["stubs"] = solutions_path().parent.parent / "refusal_lesson" / "exercises.py"
    expectations = Expectations()
    with Sandbox(Limits(**NOTEBOOK_LIMITS)) as sandbox:
        return {name: outcome(path, sandbox, expectations) for name, path in sources.items()}


def test_every_stretch_check_has_a_known_wrong_answer():
    names = {check.name for exercise in STRETCH_EXERCISES for check in public_checks(exercise)}
    assert names == {test_name for _, test_name, _, _ in WRONG}


@pytest.mark.parametrize("name", ["reference", "correct"])
def test_a_correct_answer_passes_every_check(graded, name):
    assert [title for title, result in graded[name].items() if result.status != "passed"] == []


@pytest.mark.parametrize("name, test_name, phrase, changes", WRONG, ids=[row[0] for row in WRONG])
def test_a_known_wrong_answer_fails_its_check_and_says_why(graded, name, test_name, phrase, changes):
    result = graded[name][test_name]
    assert result.status == "failed"
    text = "\n".join([result.summary, *result.details])
    assert phrase in text
    assert "hint:" in text


@pytest.mark.parametrize("name, test_name, phrase, changes", WRONG, ids=[row[0] for row in WRONG])
def test_a_known_wrong_answer_is_never_told_a_slip_it_does_not_have(graded, name, test_name, phrase, changes):
    exercise = definition(test_name.split(":")[0])
    told = {slip for result in graded[name].values() if result.check.exercise == exercise.name and result.cause for slip in result.cause.slips}
    meant = {slip.id for slip in exercise.slips if slip.what.startswith(phrase) or phrase in slip.what}
    assert told <= meant


def test_the_untouched_stubs_are_not_attempted(graded):
    assert {result.status for result in graded["stubs"].values()} == {"not attempted"}


def test_stretch_exercises_do_not_count_in_a_grade():
    from refusal_lesson.grading.checks import grading_checks

    checks, _ = grading_checks(public_only=True)
    assert not {check.exercise for check in checks} & set(STRETCH_EXERCISES)


def test_show_call_writes_the_extra_arguments():
    check = public_checks("cheapest_threshold")[2]
    assert show_call(check, check.cases[0]) == (
        "cheapest_threshold([0.5, 0.5, 0.2], ['refuse', 'refuse', 'answer'], [0.2, 0.5], 1, 5)"
    )
