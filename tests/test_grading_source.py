"""Delegation is judged by what a name resolves to, never by its spelling (SPEC section 7)."""

import json

import pytest
from points import full_marks

from refusal_lesson.commands import main
from refusal_lesson.grading.results import DELEGATION_TITLE
from refusal_lesson.grading.source import delegations
from test_grading_cli import SUBMISSIONS

EXERCISES = ["refusal_metrics", "best_threshold"]
OWN_F1 = '''
def f1_score(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
'''


def uses(text, exercise="best_threshold"):
    return delegations(text, EXERCISES).get(exercise, [])


@pytest.mark.parametrize(
    "imports, call, name",
    [
        ("from sklearn.metrics import f1_score", "f1_score(l, l)", "f1_score"),
        ("from sklearn.metrics import f1_score as f", "f(l, l)", "f1_score"),
        ("import sklearn.metrics as m", "m.f1_score(l, l)", "f1_score"),
        ("import sklearn.metrics", "sklearn.metrics.recall_score(l, l)", "recall_score"),
        ("from sklearn import metrics", "metrics.precision_score(l, l)", "precision_score"),
        ("from sklearn.metrics._classification import f1_score as g", "g(l, l)", "f1_score"),
        ("from sklearn.metrics import *", "confusion_matrix(l, l)", "confusion_matrix"),
        ("from refusal_lesson.sweep import threshold_sweep as sweep", "sweep(s, l, c)", "threshold_sweep"),
        ("from refusal_lesson import threshold_sweep", "threshold_sweep(s, l, c)", "threshold_sweep"),
        ("import refusal_lesson.sweep as rs", "rs.operating_point(c)", "operating_point"),
    ],
)
def test_names_really_imported_count_under_any_alias(imports, call, name):
    assert uses(f"{imports}\n\ndef best_threshold(s, l, c):\n    return {call}\n") == [name]


def test_an_import_inside_the_exercise_counts():
    assert uses("def best_threshold(s, l, c):\n    from sklearn.metrics import f1_score as f\n    return f(l, l)\n") == ["f1_score"]


def test_a_helper_of_its_own_that_delegates_makes_the_exercise_delegate():
    text = "import sklearn.metrics as m\n\ndef _f1(l):\n    return m.f1_score(l, l)\n\ndef best_threshold(s, l, c):\n    return _f1(l)\n"
    assert uses(text) == ["f1_score"] and uses(text, "refusal_metrics") == []


@pytest.mark.parametrize(
    "text",
    [
        # The student's own helper, before or after the exercise.
        OWN_F1 + "\ndef best_threshold(s, l, c):\n    return f1_score(1, 0, 0)\n",
        "def best_threshold(s, l, c):\n    return f1_score(1, 0, 0)\n" + OWN_F1,
        # Imported, then replaced by the student's own before any call can run.
        "from sklearn.metrics import f1_score\n" + OWN_F1 + "\ndef best_threshold(s, l, c):\n    return f1_score(1, 0, 0)\n",
        # A parameter, a local value, a method and a module of the same name that is not scikit-learn's.
        "def best_threshold(s, l, c, f1_score=max):\n    return f1_score(c)\n",
        "from sklearn.metrics import f1_score\n\ndef best_threshold(s, l, c):\n    f1_score = 0.5\n    return f1_score\n",
        "def best_threshold(s, l, c):\n    return s.f1_score(l)\n",
        "from mymetrics import f1_score\n\ndef best_threshold(s, l, c):\n    return f1_score(l, l)\n",
    ],
)
def test_a_name_that_only_looks_like_a_delegate_is_not_one(text):
    assert uses(text) == []


def test_an_own_helper_named_f1_score_costs_nothing_with_the_full_penalty(tmp_path):
    source = (SUBMISSIONS / "correct.py").read_text()
    helper = source.replace(
        'f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0', "f1 = f1_score(tp, fp, fn)"
    ) + OWN_F1
    assert helper != source + OWN_F1
    submission = tmp_path / "own_helper.py"
    submission.write_text(helper)
    results = tmp_path / "results.json"
    assert main(["grade", str(submission), "--results", str(results), "--public-only", "--delegation-penalty", "1"]) == 0
    content = json.loads(results.read_text())
    assert content["score"] == full_marks(submission, public_only=True) > 0
    assert not any(test["name"].endswith(DELEGATION_TITLE) for test in content["tests"])
