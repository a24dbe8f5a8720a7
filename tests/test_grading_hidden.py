"""Hidden checks: reproducible from a seed, off every rounding knife-edge, answered by sklearn."""

import math
from fractions import Fraction

import pytest
from oracles import oracle_best, oracle_counts, oracle_kappa, oracle_metrics

from refusal_lesson.grading.definitions import definition, graded_names, public_checks
from refusal_lesson.grading.generate import is_half_way, near_half_way
from refusal_lesson.grading.hidden import hidden_checks

GRADED = graded_names()

PUBLIC = [check for name in GRADED for check in public_checks(name)]


def all_cases(checks):
    return [(check, case) for check in checks for case in check.cases]


def test_the_same_seed_gives_the_same_checks():
    assert hidden_checks(5) == hidden_checks(5)
    assert hidden_checks(5) != hidden_checks(6)


def test_half_way_values():
    assert is_half_way(Fraction(13125, 100000))
    assert not is_half_way(Fraction(1, 3))
    assert not is_half_way(Fraction(1, 8))  # 0.125 has only three places


def exact_values(scores, labels, threshold):
    counts = oracle_counts(scores, labels, threshold)
    tp, fp, fn = int(counts["tp"]), int(counts["fp"]), int(counts["fn"])
    return [Fraction(tp, tp + fp or 1), Fraction(tp, tp + fn or 1), Fraction(2 * tp, 2 * tp + fp + fn or 1)]


def exact_kappa(judge_a, judge_b):
    """Kappa as an exact fraction from the counts (0 where it is undefined)."""
    n = len(judge_a)
    agreed = sum(a == b for a, b in zip(judge_a, judge_b))
    chance = sum(judge_a.count(label) * judge_b.count(label) for label in set(judge_a))
    return Fraction(0) if chance == n * n else Fraction(n * agreed - chance, n * n - chance)


def on_thresholds(case):
    thresholds = case.third if isinstance(case.third, tuple) else (case.third,)
    return [value for threshold in thresholds for value in exact_values(case.scores, case.labels, threshold)]


# Every exact rate an answer rests on, worked out apart from the grader.  An
# exercise added since is held off half-way points by the test after this.
EXACT_ANSWERS = {
    "refusal_metrics": on_thresholds,
    "best_threshold": on_thresholds,
    "judge_agreement": lambda case: [exact_kappa(case.scores, case.labels)],
}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_graded_answer_hinges_on_rounding(seed):
    for check, case in all_cases(hidden_checks(seed)) + all_cases(PUBLIC):
        if check.aspect in ("error", "unchanged") or check.exercise not in EXACT_ANSWERS:
            continue
        for value in EXACT_ANSWERS[check.exercise](case):
            # Half-way means the 5th decimal is an exact 5: round and np.round may differ.
            assert (value * 20000).denominator != 1 or (value * 20000).numerator % 2 == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_returned_rate_sits_on_a_half_way_point(seed):
    """Whatever the exercise: every rate scikit-learn gives for a graded call is off a half-way point."""
    for check, case in all_cases(hidden_checks(seed)) + all_cases(PUBLIC):
        exercise = definition(check.exercise)
        if check.aspect in ("error", "unchanged") or exercise.returns not in ("metrics", "rate"):
            continue
        answer = exercise.answer(case)
        for value in answer.values() if isinstance(answer, dict) else [answer]:
            assert not near_half_way(value), (check.name, case)


TEST_ORACLES = {
    "refusal_metrics": lambda case: oracle_metrics(case.scores, case.labels, case.third),
    "best_threshold": lambda case: oracle_best(case.scores, case.labels, case.third),
    "judge_agreement": lambda case: oracle_kappa(case.scores, case.labels),
}


@pytest.mark.parametrize("seed", [0, 1])
def test_the_grader_oracle_agrees_with_the_test_oracle(seed):
    for check, case in all_cases(hidden_checks(seed)) + all_cases(PUBLIC):
        if check.aspect in ("error", "unchanged"):
            continue
        # An exercise added since these oracles were written is held to
        # scikit-learn by its own definition only.
        if check.exercise not in TEST_ORACLES:
            continue
        got = definition(check.exercise).answer(case)
        want = TEST_ORACLES[check.exercise](case)
        if isinstance(want, dict):
            assert all(math.isclose(got[name], want[name], abs_tol=1e-12) for name in want)
        elif definition(check.exercise).returns == "number":
            assert got == want
        else:
            assert math.isclose(got, want, abs_tol=1e-12)


def test_hidden_checks_are_worth_points_and_hidden():
    for check in hidden_checks(0):
        assert check.hidden and check.points > 0 and check.cases
        assert check.name.split(": ")[0] in GRADED
