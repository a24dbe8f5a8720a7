"""The diagnosis matrix: every listed slip alone and in pairs, and mistakes no slip describes, as generated mutants.

For each mutant the feedback must name every present slip that changes an
answer of its exercise, and never name a slip the code does not have.
benchmarks/bench_diagnosis.py prints the whole matrix, with the figures per
exercise.
"""

import pytest
from mutants import SLIPS, UNKNOWN, UNKNOWN_EXERCISE, Matrix, combinations, matrix_checks, module, named, source

from refusal_lesson.grading.definitions import definitions
from refusal_lesson.grading.feedback import assess

SEED = 11


@pytest.fixture(scope="module")
def rows():
    return Matrix(matrix_checks(SEED)).rows()



def test_the_matrix_covers_every_slip_alone_every_related_pair_and_five_unknown_mistakes_per_exercise():
    singles = {slips for slips in combinations() if len(slips) == 1 and slips[0] in SLIPS}
    assert singles == {(slip,) for slip in SLIPS}
    across = {frozenset(slips) for slips in combinations() if len({SLIPS[slip][0] for slip in slips if slip in SLIPS}) == 2}
    in_rm = [slip for slip in SLIPS if SLIPS[slip][0] == "refusal_metrics"]
    in_bt = [slip for slip in SLIPS if SLIPS[slip][0] == "best_threshold"]
    assert across == {frozenset((a, b)) for a in in_rm for b in in_bt}
    assert all(len(mistakes) >= 5 for mistakes in UNKNOWN.values()) and len(UNKNOWN) == 5
    assert {(name,) for name in UNKNOWN_EXERCISE} <= set(combinations())


def test_the_unmutated_template_is_correct():
    from mutants import run

    results = assess(*run(module(()), matrix_checks(SEED)))
    assert [result.check.name for result in results if result.status != "passed"] == []
    assert named(results) == set()


def test_no_absent_slip_is_ever_named_unknown_mistakes_included(rows):
    wrongly = [(slips, sorted(got - want)) for slips, want, got in rows if got - want]
    assert wrongly == []


def test_at_least_98_percent_of_the_present_slips_that_change_an_answer_are_named_on_every_exercise(rows):
    missed = [(slips, sorted(want - got)) for slips, want, got in rows if want - got]
    for exercise in definitions():
        expected = sum(len({pair for pair in want if pair[0] == exercise.name}) for _, want, _ in rows)
        found = sum(len({pair for pair in want & got if pair[0] == exercise.name}) for _, want, got in rows)
        assert found / expected >= 0.98, (exercise.name, missed)
    expected = sum(len(want) for _, want, _ in rows)
    found = sum(len(want & got) for _, want, got in rows)
    assert found / expected >= 0.98, missed
    # Alone, every slip changes an answer and is named, the stretch exercises' included.
    assert all(want == got and want for slips, want, got in rows if len(slips) == 1 and slips[0] in SLIPS)


def test_the_one_slip_left_unnamed_shows_only_where_it_makes_the_answer_right(rows):
    # Returning p_o, with the guard for an undefined kappa on judge B's shares
    # squared, answers 0.0 where judge B uses one label: there kappa is 0.0
    # too, so no input tells that guard from the right one, and a slip is
    # named only once an input tells it apart (SPEC section 8).
    missed = {slips: sorted(want - got) for slips, want, got in rows if want - got}
    assert missed == {("ja_raw_agreement", "ja_other_judge_chance"): [("judge_agreement", "other_judge_chance")]}


def test_a_mutant_is_ordinary_source_code():
    text = source(("strict", "highest_tie"))
    assert "score > threshold" in text and "if f1 >= best_f1:" in text
    with pytest.raises(ValueError, match="unknown slips"):
        source(("no_such_slip",))
