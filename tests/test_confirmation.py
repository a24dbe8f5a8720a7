"""How a diagnosis is confirmed before a slip is named (SPEC section 8), in the cases that need more than one input.

The diagnosis matrix (tests/test_diagnosis_matrix.py) shows the effect on
whole submissions; these tests hold the reasons.
"""

from mutants import matrix_checks, module, named, run
from sklearn.metrics import f1_score

from refusal_lesson.grading.cases import Case
from refusal_lesson.grading.definitions import definition
from refusal_lesson.grading.definitions.best_threshold import NEAR_TIE_BENIGN
from refusal_lesson.grading.diagnosis import Evidence, Hypothesis, confirmation
from refusal_lesson.grading.feedback import assess


def names(slips):
    return named(assess(*run(module(slips), matrix_checks(11))))


def test_two_slips_that_never_show_on_one_input_together_are_confirmed_one_by_one():
    exercise = definition("capped_threshold")
    pair = Hypothesis(frozenset({"strict", "input_order"}))
    judge = Evidence(exercise)
    # With >, the first candidate in input order within the budget differs
    # from the first with >= only where it is the lowest within the budget.
    assert not any(judge.discriminates(pair, case) for case in exercise.trials)
    cases = confirmation(exercise, pair)
    for slip in pair.slips:
        assert any(judge.discriminates(pair, case, {slip}) for case in cases)
    assert names(("cp_strict", "cp_input_order")) == {("capped_threshold", "strict"), ("capped_threshold", "input_order")}


def test_a_value_error_on_a_valid_input_is_read_as_no_candidate_only_where_that_can_be_the_answer():
    # Rejecting a rate equal to the budget leaves nothing within a budget of
    # 0.0; picking the highest candidate hides that everywhere else.
    assert names(("cp_strict_budget", "cp_highest_fit")) == {("capped_threshold", "strict_budget"), ("capped_threshold", "highest_fit")}
    assert definition("capped_threshold").unanswerable
    assert not any(definition(name).unanswerable for name in ("refusal_metrics", "best_threshold", "judge_agreement", "cheapest_threshold"))


def test_a_crash_where_the_codes_own_rule_of_chance_is_one_is_the_zero_division_slip():
    # Judge A's shares squared sum to 1 wherever A uses one label, though judge B does not.
    assert names(("ja_one_judge_chance", "ja_zero_crash")) == {("judge_agreement", "one_judge_chance"), ("judge_agreement", "zero_division")}
    assert names(("one_judge_denominator",)) == set()


def answer_positive_f1(scores, labels, threshold):
    predicted = ["refuse" if score >= threshold else "answer" for score in scores]
    return round(f1_score(labels, predicted, pos_label="answer", zero_division=0), 4)


def test_confirming_inputs_come_from_more_than_one_labelled_set():
    exercise = definition("best_threshold")
    cases = confirmation(exercise, Hypothesis(frozenset({"unrounded_f1"})))
    assert len({(case.scores, case.labels) for case in cases}) > 1
    # On the near tie with many benign prompts at 0.9, F1 with "answer" as the
    # positive class is best where nothing is refused, not where the unrounded F1 is.
    scores, labels = NEAR_TIE_BENIGN
    candidates = (0.5, 0.7, 0.89, 0.9, 0.95)
    unrounded = max(candidates, key=lambda t: (f1_score(labels, ["refuse" if s >= t else "answer" for s in scores], pos_label="refuse"), -t))
    own = [answer_positive_f1(scores, labels, candidate) for candidate in candidates]
    assert unrounded == 0.7 and candidates[own.index(max(own))] == 0.95
    assert any((case.scores, case.labels) == NEAR_TIE_BENIGN for case in cases)
    assert Case(*NEAR_TIE_BENIGN, candidates) in exercise.trials
