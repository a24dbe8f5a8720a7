"""Every public check passes a known-correct answer and names the slip in a known-wrong one.

Each known-wrong submission is tests/submissions/correct.py with a line or
two changed, so it differs from a correct answer in one idea only.
"""

import os
from pathlib import Path

import pytest

from points import defined, full_marks

from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.definitions import graded_names, public_checks
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import Limits, Sandbox
from refusal_lesson.switch import solutions_path

GRADED = graded_names()

CORRECT = Path(__file__).parent / "submissions" / "correct.py"
WRITTEN = [name for name in GRADED if name in defined(CORRECT)]
STUBS = Path(__file__).resolve().parent.parent / "refusal_lesson" / "exercises.py"
RATIO = '"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)'
REFUSED = "refused = [score >= threshold for score in scores]"
PICK = 'f1 = refusal_metrics(scores, labels, candidate)["f1"]'
LABEL_CHECK = (
    "    for position, label in enumerate(labels):\n"
    '        if label not in ("refuse", "answer"):\n            raise ValueError(f"labels[{position}] is {label!r}")\n'
)
LENGTH_CHECK = '    if len(scores) != len(labels):\n        raise ValueError("scores and labels differ in length")\n'
EMPTY_CHECK = '    if len(candidates) == 0:\n        raise ValueError("candidates is empty")\n'
KAPPA = "return round(float(kappa), 4)"
CHANCE = "chance = sum(counts_a.get(label, 0) * counts_b.get(label, 0) for label in labels) / (n * n)"
JUDGE_LENGTHS = '    if len(judge_a) != len(judge_b):\n        raise ValueError("judge_a and judge_b differ in length")\n'
SORT_IN_PLACE = (
    "    _validate(scores, labels, threshold)\n",
    "    _validate(scores, labels, threshold)\n    pairs = sorted(zip(scores, labels))\n"
    "    scores[:] = [s for s, _ in pairs]\n    labels[:] = [label for _, label in pairs]\n",
)

# (name, test name, what the feedback must say, [(old, new), ...])
WRONG = [
    ("strings", "refusal_metrics: returns precision, recall and f1 as Python floats", "not Python floats",
     [(RATIO, RATIO.replace("round(", "str(round(").replace(", 4)", ", 4))"))]),
    ("unrounded", "refusal_metrics: rounds each value to 4 decimal places", "not rounding",
     [(RATIO, '"precision": float(precision), "recall": float(recall), "f1": float(f1)')]),
    ("three_places", "refusal_metrics: rounds each value to 4 decimal places", "rounding to the wrong number of places",
     [(RATIO, RATIO.replace(", 4)", ", 3)"))]),
    ("swapped", "refusal_metrics: agrees with scikit-learn on the notebooks' calls", "swapping precision and recall",
     [('"precision": round(float(precision), 4), "recall": round(float(recall), 4)',
       '"precision": round(float(recall), 4), "recall": round(float(precision), 4)')]),
    ("strict", "refusal_metrics: refuses a score exactly on the threshold", "using > instead of >=",
     [(REFUSED, REFUSED.replace(">=", ">"))]),
    ("answer_positive", "refusal_metrics: treats 'refuse' as the positive class", "treating 'answer' as the positive class",
     [('POSITIVE = "refuse"', 'POSITIVE = "answer"'), (REFUSED, REFUSED.replace(">=", "<"))]),
    ("benign_positive", "refusal_metrics: treats 'refuse' as the positive class", "counting benign prompts as true positives",
     [('POSITIVE = "refuse"', 'POSITIVE = "answer"')]),
    ("zero_division", "refusal_metrics: gives 0.0 when a denominator is zero", "crashing or returning NaN on a zero denominator",
     [("precision = tp / (tp + fp) if tp + fp else 0.0", "precision = tp / (tp + fp)")]),
    ("lists_only", "refusal_metrics: accepts tuples and NumPy arrays", "raised an error on valid input",
     [(REFUSED, REFUSED.replace("in scores]", "in list.copy(scores)]"))]),
    ("sorts_inputs", "refusal_metrics: leaves its inputs unchanged", "mutating the caller's inputs", [SORT_IN_PLACE]),
    ("misspelt", "refusal_metrics: rejects a misspelt label", "accepting a misspelt label silently", [(LABEL_CHECK, "")]),
    ("no_length_check", "refusal_metrics: rejects other bad input with ValueError", "accepting bad input silently", [(LENGTH_CHECK, "")]),
    ("type_error", "refusal_metrics: rejects other bad input with ValueError", "raised the wrong kind of error",
     [('raise ValueError("scores and labels differ in length")', 'raise TypeError("scores and labels differ")')]),
    ("returns_f1", "best_threshold: finds the best threshold on the worked example", "returning the best F1 instead of the threshold",
     [("    return best\n", "    return best_f1\n")]),
    ("highest_tie", "best_threshold: breaks a tie towards the lowest threshold", "picking the highest threshold on a tie",
     [("if f1 > best_f1:", "if f1 >= best_f1:")]),
    ("input_order", "best_threshold: handles candidates in any order", "first best candidate in input order",
     [("ordered = sorted(candidates)", "ordered = list(candidates)")]),
    ("no_repeats", "best_threshold: handles repeated candidates", "raised an error on valid input",
     [(EMPTY_CHECK, EMPTY_CHECK + '    if len(set(candidates)) != len(candidates):\n        raise ValueError("repeats")\n')]),
    ("unrounded_f1", "best_threshold: judges ties on the 4-place F1", "comparing unrounded F1",
     [(PICK, "tp, fp, fn = _counts(scores, labels, candidate)\n        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0")]),
    ("rounds_candidate", "best_threshold: returns the winning candidate unchanged", "returning a rounded or converted candidate",
     [("best, best_f1 = candidate, f1", "best, best_f1 = round(candidate, 4), f1")]),
    ("truthiness", "best_threshold: accepts tuples and NumPy arrays", "raised an error on valid input",
     [("if len(candidates) == 0:", "if not candidates:")]),
    ("sorts_candidates", "best_threshold: leaves its inputs unchanged", "mutating the caller's inputs",
     [("ordered = sorted(candidates)", "candidates.sort()\n    ordered = candidates")]),
    ("no_empty_check", "best_threshold: rejects bad input with ValueError", "accepting bad input silently", [(EMPTY_CHECK, "")]),
    ("kappa_string", "judge_agreement: returns kappa as a Python float", "something other than a Python float",
     [(KAPPA, KAPPA.replace("round(", "str(round(").replace(", 4)", ", 4))"))]),
    ("kappa_unrounded", "judge_agreement: rounds kappa to 4 decimal places", "not rounding", [(KAPPA, "return float(kappa)")]),
    ("kappa_three_places", "judge_agreement: rounds kappa to 4 decimal places", "rounding to the wrong number of places",
     [(KAPPA, KAPPA.replace(", 4)", ", 3)"))]),
    ("raw_agreement", "judge_agreement: agrees with scikit-learn on notebook 5's three pairs of judges", "returning the raw agreement p_o",
     [("kappa = (observed - chance) / (1 - chance)", "kappa = observed")]),
    ("one_judge_chance", "judge_agreement: weighs chance by both judges' label shares", "from one judge's label shares alone",
     [(CHANCE, CHANCE.replace("counts_b.get(label, 0)", "counts_a.get(label, 0)"))]),
    ("uniform_chance", "judge_agreement: weighs chance by both judges' label shares", "1 / the number of labels",
     [(CHANCE, "chance = 1 / len(labels)")]),
    ("kappa_zero_division", "judge_agreement: gives 0.0 when both judges use one label", "crashing or returning NaN when p_e is 1",
     [("    if chance == 1:\n        return 0.0\n", "")]),
    ("only_a_labels", "judge_agreement: handles labels only one judge uses", "raised an error on valid input",
     [("counts_a.get(label, 0) * counts_b.get(label, 0)", "counts_a[label] * counts_b[label]")]),
    ("kappa_truthiness", "judge_agreement: accepts tuples and NumPy arrays", "raised an error on valid input",
     [("if len(judge_a) == 0:", "if not judge_a:")]),
    ("sorts_judges", "judge_agreement: leaves its inputs unchanged", "mutating the caller's inputs",
     [("    n = len(judge_a)\n", "    judge_a.sort()\n    n = len(judge_a)\n")]),
    ("no_judge_length_check", "judge_agreement: rejects judges' lists of different lengths",
     "accepting judges' lists of different lengths", [(JUDGE_LENGTHS, "")]),
    ("any_label", "judge_agreement: rejects other bad input with ValueError", "accepting bad input silently",
     [("        if not isinstance(label, str):\n            raise", "        if label is NotImplemented:\n            raise")]),
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wrong")
    source = CORRECT.read_text()
    paths = [CORRECT]
    for name, _, _, edits in WRONG:
        text = source
        for old, new in edits:
            assert old in text, name
            text = text.replace(old, new)
        (folder / f"{name}.py").write_text(text)
        paths.append(folder / f"{name}.py")
    checks, _ = grading_checks(public_only=True)
    # Children started afresh rather than forked: that path is tested here.
    with Sandbox(Limits(call_seconds=1), fork_server=False) as sandbox:
        return grade_batch(paths, folder / "out", checks, sandbox, jobs=2, stream=open(os.devnull, "w"))


def test_every_public_check_has_a_known_wrong_answer():
    # Of the exercises correct.py writes; tests/test_definitions.py holds every
    # exercise's public checks to catching each slip its definition imitates.
    names = {check.name for exercise in WRITTEN for check in public_checks(exercise)}
    assert names == {test_name for _, test_name, _, _ in WRONG}


def test_the_known_correct_answer_passes_everything(graded):
    written = [test for test in graded["correct"]["tests"] if test["name"].split(": ")[0] in WRITTEN]
    assert written and all(test["status"] == "passed" for test in written)


@pytest.mark.parametrize("name, test_name, phrase, edits", WRONG, ids=[row[0] for row in WRONG])
def test_a_known_wrong_answer_fails_its_check_and_names_the_slip(graded, name, test_name, phrase, edits):
    failed = {test["name"]: test for test in graded[name]["tests"]}[test_name]
    assert failed["status"] == "failed" and failed["score"] == 0
    feedback = "\n".join(plain(failed["output"]))
    assert phrase in feedback
    assert "hint:" in feedback


@pytest.fixture(scope="module")
def reference_and_stubs(tmp_path_factory):
    checks, _ = grading_checks(seed=3)
    out = tmp_path_factory.mktemp("reference")
    stubs = out / "stubs" / "refusal_lesson" / "exercises.py"
    stubs.parent.mkdir(parents=True)
    stubs.write_text(STUBS.read_text())
    with Sandbox() as sandbox:
        return grade_batch([solutions_path().parent, stubs.parent.parent], out / "graded", checks, sandbox, stream=open(os.devnull, "w"))


def test_the_reference_solutions_get_full_marks(reference_and_stubs):
    content = reference_and_stubs["solutions"]
    assert content["score"] == content["max_score"] == full_marks()
    assert {test["visibility"] for test in content["tests"]} == {"visible", "after_published"}


def test_the_stubs_get_zero_with_a_friendly_message(reference_and_stubs):
    content = reference_and_stubs["stubs"]
    assert content["score"] == 0
    assert all(test["output"].endswith("not attempted yet") for test in content["tests"])


def test_every_test_name_starts_with_its_exercise(reference_and_stubs):
    for test in reference_and_stubs["solutions"]["tests"]:
        assert test["name"].split(": ")[0] in GRADED
        # A passed check has no misconception, so no tags.
        assert set(test) == {"name", "score", "max_score", "status", "output", "output_format", "visibility", "execution_time"}
