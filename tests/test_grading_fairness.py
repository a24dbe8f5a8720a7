"""SPEC section 8's fairness rules, graded in the sandbox as a student's file would be.

No credit for rejecting bad input without an answer on valid input; an
object whose repr raises is not a raise; comparisons are exact but for a
half-way point; a slip is named only once confirmed; public feedback never
names, counts or lists the hidden checks.
"""

import os
from pathlib import Path

import pytest

from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.child import returned
from refusal_lesson.grading.diagnosis import Evidence, Hypothesis, is_rounding
from refusal_lesson.grading.definitions import definition
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import Limits, Sandbox

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct.py"
NO_ANSWER = ("hostile_raises_always", "exits_after_validating", "loops_after_validating")
# Appended to correct.py: the same validation, then no answer on valid input.
AFTER_VALIDATING = """

def refusal_metrics(scores, labels, threshold):
    _validate(scores, labels, threshold)
    {then}


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    _validate(scores, labels, 0.5)
    {then}
"""
# Appended to correct.py: on bad input, an object whose repr raises ValueError is returned instead of raised.
UNPRINTABLE = """

class Unprintable:
    def __repr__(self):
        raise ValueError("no repr")

    __str__ = __repr__

    def __float__(self):
        raise ValueError("no float")


_metrics, _best = refusal_metrics, best_threshold


def refusal_metrics(scores, labels, threshold):
    try:
        return _metrics(scores, labels, threshold)
    except ValueError:
        return Unprintable()


def best_threshold(scores, labels, candidates):
    try:
        return _best(scores, labels, candidates)
    except ValueError:
        return Unprintable()
"""
F1 = "    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0\n"
PICK = '        f1 = refusal_metrics(scores, labels, candidate)["f1"]'
FP = "    fp = sum(r and not p for r, p in zip(refused, positive))"
# Mistakes no listed slip describes, and one that is listed; (old, new) edits of correct.py.
VARIANTS = {
    "rounds_early": [(F1, "    p, r = round(precision, 4), round(recall, 4)\n    f1 = 2 * p * r / (p + r) if p + r else 0.0\n")],
    "picks_by_precision": [(PICK, PICK.replace('["f1"]', '["precision"]'))],
    "fp_off_by_one": [(FP, FP + " + 1")],
    "strict": [("score >= threshold", "score > threshold")],
}
APPENDED = {
    "exits_after_validating": "import os\n" + AFTER_VALIDATING.format(then="os._exit(0)"),
    "loops_after_validating": AFTER_VALIDATING.format(then="while True:\n        pass"),
    "raising_repr": UNPRINTABLE,
}
SECONDS = Limits(import_seconds=7, call_seconds=0.5, memory_bytes=768 << 20)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fairness")
    paths = [SUBMISSIONS / "hostile_raises_always.py"]
    for name, tail in APPENDED.items():
        (folder / f"{name}.py").write_text(CORRECT.read_text() + tail)
        paths.append(folder / f"{name}.py")
    for name, edits in VARIANTS.items():
        text = CORRECT.read_text()
        for old, new in edits:
            assert old in text, name
            text = text.replace(old, new)
        (folder / f"{name}.py").write_text(text)
        paths.append(folder / f"{name}.py")
    checks, _ = grading_checks(seed=7)
    with Sandbox(SECONDS) as sandbox:
        return grade_batch(paths, folder / "out", checks, sandbox, jobs=2, stream=open(os.devnull, "w"))


def checks_of(graded, name):
    return {test["name"]: test for test in graded[name]["tests"] if test["max_score"] > 0}


def said(test):
    return "\n".join(plain(test["output"]))


@pytest.mark.parametrize("name", NO_ANSWER)
def test_rejecting_bad_input_earns_nothing_without_an_answer(graded, name):
    # Only refusal_metrics and best_threshold answer nothing; correct.py's other exercises stand.
    silent = [test for title, test in checks_of(graded, name).items() if title.startswith(("refusal_metrics:", "best_threshold:"))]
    assert silent and all(test["score"] == 0 for test in silent)
    rejections = [test for test in silent if "rejects" in test["name"]]
    assert rejections and all(test["score"] == 0 for test in rejections)
    # The one that raised ValueError on bad input is told why that earned nothing.
    assert any("never returned an answer on valid input" in said(test) for test in rejections)


def test_an_object_whose_repr_raises_is_not_a_raise(graded):
    tests = checks_of(graded, "raising_repr")
    failed = sorted(title for title, test in tests.items() if test["score"] < test["max_score"])
    assert failed == sorted(title for title in tests if "rejects" in title and not title.startswith("judge_agreement"))
    assert "accepting" in said(tests["refusal_metrics: rejects other bad input with ValueError"])


def test_f1_from_rounded_precision_and_recall_fails_a_public_check(graded):
    tests = checks_of(graded, "rounds_early")
    failed = [test for test in tests.values() if test["score"] < test["max_score"] and test["visibility"] == "visible"]
    assert "refusal_metrics: rounds each value to 4 decimal places" in {test["name"] for test in failed}
    assert "got:      {'precision': 1.0, 'recall': 0.1667, 'f1': 0.2858}" in said(tests["refusal_metrics: rounds each value to 4 decimal places"])


@pytest.mark.parametrize("name", ["rounds_early", "picks_by_precision", "fp_off_by_one"])
def test_a_mistake_no_slip_describes_is_never_given_a_slip_name(graded, name):
    tests = checks_of(graded, name)
    assert graded[name]["score"] < graded[name]["max_score"]
    assert not any(test.get("tags") for test in tests.values())
    assert all("differs from scikit-learn's" in said(test) or "refusal_metrics" in said(test) for test in tests.values() if test["score"] == 0)


def test_a_listed_slip_is_named(graded):
    tests = checks_of(graded, "strict")
    assert "using > instead of >=" in said(tests["refusal_metrics: refuses a score exactly on the threshold"])


def test_public_feedback_never_names_counts_or_lists_the_hidden_checks(graded):
    hidden_titles = {check.title for check in grading_checks(seed=7)[0] if check.hidden}
    for content in graded.values():
        visible = [said(test) for test in content["tests"] if test["visibility"] == "visible"]
        text = "\n".join(visible) + "\n".join(plain(content["output"]))
        assert "hidden" not in text
        assert not any(title in text for title in hidden_titles)
    strict = checks_of(graded, "strict")
    # The same slip fails hidden checks too, where it is said after publishing.
    assert any(test["visibility"] != "visible" and test["score"] == 0 for test in strict.values())


def test_a_returned_object_that_cannot_be_described_is_a_return():
    class Unprintable:
        def __repr__(self):
            raise ValueError("no repr")

    def guarded(action, seconds):
        try:
            return {"value": action()}
        except Exception as error:
            return {"error": type(error).__name__}

    outcome = returned(Unprintable(), guarded, 1)
    assert set(outcome) == {"returned"} and outcome["returned"]["type"].endswith("Unprintable")


def test_comparisons_are_exact_but_for_a_half_way_point():
    # 2/7 is 0.2857 to 4 places; 0.13125 sits half-way, so either neighbour is right.
    assert is_rounding(0.2857, 2 / 7) and not is_rounding(0.2858, 2 / 7)
    assert is_rounding(0.1312, 0.13125) and is_rounding(0.1313, 0.13125) and not is_rounding(0.1314, 0.13125)
    exercise = definition("refusal_metrics")
    case = exercise.checks[1].cases[2]
    right = {"precision": 1.0, "recall": 0.1667, "f1": 0.2857}
    assert Evidence(exercise).matches(Hypothesis(), case, right)
    assert not Evidence(exercise).matches(Hypothesis(), case, {**right, "f1": 0.2858})
