"""The diagnosis matrix: every slip of SPEC section 2 alone and in pairs, as generated mutants.

For each mutant the feedback must name every present slip that changes an
answer of its exercise, and never name a slip the code does not have.
benchmarks/bench_diagnosis.py prints the whole matrix.
"""

import pytest
from mutants import SLIPS, Matrix, combinations, module, named, source

from refusal_lesson.grading.feedback import assess
from refusal_lesson.grading.checks import grading_checks

SEED = 11


def template_checks():
    """The graded checks of the exercises the mutants' template writes (judge_agreement has none there yet)."""
    checks, _ = grading_checks(seed=SEED)
    written = {exercise for exercise, *_ in SLIPS.values()}
    return tuple(check for check in checks if check.exercise in written)


@pytest.fixture(scope="module")
def rows():
    return Matrix(template_checks()).rows()


def test_the_matrix_covers_every_slip_alone_and_every_pair_across_the_exercises():
    singles = {slips for slips in combinations() if len(slips) == 1}
    assert singles == {(slip,) for slip in SLIPS}
    across = {frozenset(slips) for slips in combinations() if len({SLIPS[slip][0] for slip in slips}) == 2}
    in_rm = [slip for slip in SLIPS if SLIPS[slip][0] == "refusal_metrics"]
    in_bt = [slip for slip in SLIPS if SLIPS[slip][0] == "best_threshold"]
    assert across == {frozenset((a, b)) for a in in_rm for b in in_bt}


def test_the_unmutated_template_is_correct():
    from mutants import run

    results = assess(*run(module(()), template_checks()))
    assert [result.check.name for result in results if result.status != "passed"] == []
    assert named(results) == set()


def test_no_absent_slip_is_ever_named(rows):
    wrongly = [(slips, sorted(got - want)) for slips, want, got in rows if got - want]
    assert wrongly == []


def test_every_present_slip_that_changes_an_answer_is_named(rows):
    expected = sum(len(want) for _, want, _ in rows)
    found = sum(len(want & got) for _, want, got in rows)
    missed = [(slips, sorted(want - got)) for slips, want, got in rows if want - got]
    assert found / expected >= 0.95, missed
    # Alone, every slip changes an answer and is named.
    assert all(want == got and want for slips, want, got in rows if len(slips) == 1)


def test_a_mutant_is_ordinary_source_code():
    text = source(("strict", "highest_tie"))
    assert "score > threshold" in text and "if f1 >= best_f1:" in text
    with pytest.raises(ValueError, match="unknown slips"):
        source(("no_such_slip",))
